import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type {
  ConnectionTestView,
  KeychainStatusView,
  Localized,
  SettingFieldView,
  SharedQueueStatus,
  VendorDescription,
  VendorSettingsPatchInput,
  VendorSettingsResult,
} from '../../../shared/contract';
import { useApp } from '../api/context';
import { ConfirmDialog } from './ConfirmDialog';
import { UsagePanel } from './UsagePanel';
import { HotFoldersSection } from './intake/HotFoldersSection';
import { SharedQueueSection } from './shared-queue/SharedQueueSection';
import { NetworkOptions } from './NetworkOptions';

/**
 * Settings → Cloud vendors: per vendor, its keys (saved to the system keychain, never shown
 * again: only a masked id comes back), a connection test, and the non-secret options. Every
 * vendor card is drawn from the vendor's own description (vendors.describe: its name, its
 * credential fields, its settings), so this screen lists no vendor by name. Key inputs are
 * uncontrolled and cleared after saving, so a secret never sits in React state or in a DOM
 * attribute.
 */
export function SettingsView(props: { onClose: () => void; onChanged: () => void; sharedQueue: SharedQueueStatus | null }) {
  const { client, t, reportError } = useApp();
  const [status, setStatus] = useState<KeychainStatusView | null>(null);
  const [settings, setSettings] = useState<VendorSettingsResult | null>(null);
  const [vendors, setVendors] = useState<VendorDescription[] | null>(null);

  const load = useCallback(async () => {
    try {
      const [described, st, vs] = await Promise.all([client.call('vendors.describe'), client.call('credentials.status'), client.call('vendorSettings.get')]);
      setVendors(described);
      setStatus(st);
      setSettings(vs);
    } catch (e) {
      reportError(e);
    }
  }, [client, reportError]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="settings-view" aria-label={t('settings.title')} data-testid="settings-view">
      <header className="view-head">
        <div className="view-title">
          <h2>{t('settings.title')}</h2>
        </div>
        <div className="toolbar">
          <button type="button" className="btn" onClick={props.onClose} data-testid="settings-back">
            ← {t('settings.back')}
          </button>
        </div>
      </header>
      <div className="settings-body">
        <HotFoldersSection />
        <SharedQueueSection status={props.sharedQueue} />
        <h3>{t('settings.vendors')}</h3>
        <p className="muted">{t('settings.vendorsIntro')}</p>
        {status && !status.available && (
          <p className="note warn" role="status" data-testid="keychain-unavailable">
            {t('settings.keychainUnavailable', { message: status.error?.message ?? '' })}
          </p>
        )}
        {settings?.problem && (
          <p className="note warn" role="status">
            {settings.problem}
          </p>
        )}
        {settings && (
          <NetworkOptions
            settings={settings}
            status={status}
            onSaved={(s) => {
              setSettings(s);
              props.onChanged();
              // The proxy's sign-in is bound to one proxy: the status says whether it still applies.
              client.call('credentials.status').then(setStatus, reportError);
            }}
            onStatus={(s) => {
              setStatus(s);
              props.onChanged();
            }}
          />
        )}
        {status &&
          settings &&
          vendors?.map((v) => (
            <VendorCard
              key={v.id}
              vendor={v}
              status={status}
              settings={settings}
              onStatus={(s) => {
                setStatus(s);
                props.onChanged();
              }}
              onSettings={(s) => {
                setSettings(s);
                props.onChanged();
                // A moved endpoint changes what the keys may be used for: the status says so.
                client.call('credentials.status').then(setStatus, reportError);
              }}
            />
          ))}
        <UsagePanel />
      </div>
    </section>
  );
}

/** A vendor's text in the interface's language. */
function useText(): (text: Localized) => string {
  const { locale } = useApp();
  return (text) => text[locale] ?? text.en;
}

function VendorCard(props: {
  vendor: VendorDescription;
  status: KeychainStatusView;
  settings: VendorSettingsResult;
  onStatus: (s: KeychainStatusView) => void;
  onSettings: (s: VendorSettingsResult) => void;
}) {
  const { client, t, reportError } = useApp();
  const text = useText();
  const vendor = props.vendor.id;
  const name = text(props.vendor.name);
  // What just happened to this vendor, said in place (not as a toast over the page).
  const [done, setDone] = useState<string | null>(null);
  const cred = props.status.vendors.find((v) => v.vendor === vendor);
  const configured = !!cred?.configured;
  // Credentials from environment variables are the process's: shown, not replaced or removed here.
  const fromEnv = cred?.source === 'environment';
  const [replacing, setReplacing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<ConnectionTestView | 'running' | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [keyNote, setKeyNote] = useState<string | null>(null);
  // Keys saved for another endpoint than the vendor now uses are not sent there: ask again.
  const moved = configured && !!cred?.endpointChanged;
  const showKeys = props.status.available && !fromEnv && (!configured || replacing || moved);
  const fields = props.vendor.credentials;

  async function saveKeys(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const values = Object.fromEntries(fields.map((f) => [f.key, String(data.get(f.key) ?? '').trim()]).filter(([, v]) => v !== ''));
    if (fields.some((f) => !f.optional && !values[f.key])) {
      setKeyNote(t('settings.needBoth'));
      return;
    }
    setBusy(true);
    try {
      const st = await client.call('credentials.set', { vendor, fields: values });
      form.reset();
      setReplacing(false);
      setKeyNote(null);
      setTest(null);
      props.onStatus(st);
      setDone(t('settings.saved', { vendor: name }));
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  }

  async function runTest() {
    setDone(null);
    setTest('running');
    try {
      setTest(await client.call('credentials.test', { vendor }));
    } catch (err) {
      setTest(null);
      reportError(err);
    }
  }

  async function remove() {
    setConfirm(false);
    try {
      props.onStatus(await client.call('credentials.delete', { vendor }));
      setTest(null);
      setDone(t('settings.removed', { vendor: name }));
    } catch (err) {
      reportError(err);
    }
  }

  return (
    <article className="vendor-card" data-testid={`vendor-${vendor}`} data-configured={configured ? 'true' : 'false'}>
      <header className="vendor-head">
        <h4>{name}</h4>
        <span className={`vendor-state ${configured && !moved ? 'ok' : ''}`} data-testid="vendor-status">
          {moved
            ? t('settings.keysForOtherEndpoint')
            : configured
              ? cred?.maskedId
                ? t('settings.configured', { id: cred.maskedId })
                : t('settings.configuredNoId')
              : t('settings.notConfigured')}
        </span>
      </header>
      {configured && cred?.temporary && <TemporaryKeys expiresAt={cred.expiresAt ?? null} />}
      <p className="muted small">{text(props.vendor.about)}</p>
      {fromEnv && (
        <p className="muted small" data-testid="vendor-from-env">
          {t('settings.fromEnvironment', { vars: fields.map((f) => f.env).join(', ') })}
        </p>
      )}
      {showKeys && (
        <form className="form keys" onSubmit={(e) => void saveKeys(e)} autoComplete="off" data-testid="keys-form">
          {moved && (
            <p className="note warn" role="status" data-testid="keys-endpoint-moved">
              {t('settings.endpointMoved', { savedFor: cred?.savedFor ?? '' })}
            </p>
          )}
          <div className="row">
            {fields.map((f) => (
              <label key={f.key} className="field grow">
                <span>{f.optional ? t('settings.optionalField', { field: text(f.label) }) : text(f.label)}</span>
                <input
                  name={f.key}
                  type={f.secret ? 'password' : 'text'}
                  placeholder={f.expiry ? '2026-12-06T18:00:00Z' : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={512}
                  data-testid={`key-${f.key}`}
                />
              </label>
            ))}
          </div>
          {keyNote && <p className="note">{keyNote}</p>}
          <div className="row">
            <button type="submit" className="btn primary" disabled={busy} data-testid="keys-save">
              {t('settings.saveCredentials')}
            </button>
            {replacing && (
              <button type="button" className="btn" onClick={() => setReplacing(false)}>
                {t('settings.cancelReplace')}
              </button>
            )}
          </div>
        </form>
      )}
      {configured && !fromEnv && (
        <div className="row">
          <button type="button" className="btn" onClick={() => void runTest()} disabled={test === 'running'} data-testid="vendor-test">
            {test === 'running' ? t('settings.testing') : t('settings.test')}
          </button>
          {!replacing && !moved && (
            <button type="button" className="btn" onClick={() => setReplacing(true)} data-testid="vendor-replace">
              {t('settings.replace')}
            </button>
          )}
          <button type="button" className="btn danger" onClick={() => setConfirm(true)} data-testid="vendor-remove">
            {t('settings.remove')}
          </button>
        </div>
      )}
      {done && (
        <p className="muted small" role="status" data-testid="vendor-done">
          ✓ {done}
        </p>
      )}
      {configured && fromEnv && (
        <div className="row">
          <button type="button" className="btn" onClick={() => void runTest()} disabled={test === 'running'} data-testid="vendor-test">
            {test === 'running' ? t('settings.testing') : t('settings.test')}
          </button>
        </div>
      )}
      {test && test !== 'running' && (
        <p className={`note ${test.ok ? 'ok' : 'error'}`} role="status" data-testid="vendor-test-result" data-ok={test.ok ? 'true' : 'false'}>
          {test.ok ? t('settings.testOk', { ms: test.elapsedMs }) : t('settings.testFailed', { message: test.error?.message ?? '' })}
        </p>
      )}
      <VendorOptions
        vendor={props.vendor}
        settings={props.settings}
        onSaved={(s) => {
          props.onSettings(s);
          setDone(t('settings.optionsSaved', { vendor: name }));
        }}
      />
      {confirm && (
        <ConfirmDialog
          title={t('settings.confirmRemove.title', { vendor: name })}
          body={t('settings.confirmRemove.body', { vendor: name })}
          confirm={t('settings.confirmRemove.ok')}
          onClose={() => setConfirm(false)}
          onConfirm={() => void remove()}
        />
      )}
    </article>
  );
}

/** When temporary keys (STS) expire, in the interface's language; expired ones say so loudly. */
function TemporaryKeys(props: { expiresAt: string | null }) {
  const { t, locale } = useApp();
  const at = props.expiresAt ? Date.parse(props.expiresAt) : NaN;
  const expired = Number.isFinite(at) && at <= Date.now();
  const when = Number.isFinite(at) ? new Date(at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : null;
  return (
    <p className={`note ${expired ? 'error' : ''}`} role="status" data-testid="vendor-temporary" data-expires-at={props.expiresAt ?? ''} data-expired={expired ? 'true' : 'false'}>
      {when === null ? t('settings.temporaryNoExpiry') : expired ? t('settings.temporaryExpired', { time: when }) : t('settings.temporaryUntil', { time: when })}
    </p>
  );
}

type Draft = Record<string, string | boolean>;

/** The form's values from the stored settings: one entry per field (rates: one per operation). */
function draftOf(fields: readonly SettingFieldView[], stored: Record<string, unknown>): Draft {
  const d: Draft = {};
  for (const f of fields) {
    const v = stored[f.key];
    if (f.kind === 'rates') {
      const rates = (v ?? {}) as Record<string, number | undefined>;
      for (const op of f.operations) d[`${f.key}.${op}`] = rates[op] === undefined ? '' : String(rates[op]);
    } else if (f.kind === 'checkbox') d[f.key] = !!v;
    else d[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return d;
}

/** The form's values as a settings change: empty text clears a field back to its default. */
function patchOf(fields: readonly SettingFieldView[], d: Draft): Record<string, string | number | boolean | null | Record<string, number | null>> {
  const str = (k: string) => {
    const s = String(d[k] ?? '').trim();
    return s === '' ? null : s;
  };
  const num = (k: string) => {
    const s = String(d[k] ?? '').trim();
    return s === '' ? null : Number(s);
  };
  const out: ReturnType<typeof patchOf> = {};
  for (const f of fields) {
    if (f.kind === 'rates') out[f.key] = Object.fromEntries(f.operations.map((op) => [op, num(`${f.key}.${op}`)]));
    else if (f.kind === 'checkbox') out[f.key] = !!d[f.key];
    else if (f.kind === 'number') out[f.key] = num(f.key);
    else out[f.key] = str(f.key);
  }
  return out;
}

function VendorOptions(props: { vendor: VendorDescription; settings: VendorSettingsResult; onSaved: (s: VendorSettingsResult) => void }) {
  const { client, t, reportError } = useApp();
  const text = useText();
  const vendor = props.vendor.id;
  const fields = props.vendor.settings;
  const [draft, setDraft] = useState<Draft>(() => draftOf(fields, props.settings.settings[vendor]));
  const [busy, setBusy] = useState(false);
  // A vendor that cannot run without a setting (OSS: its bucket) starts open until it is set.
  const [open, setOpen] = useState(fields.some((f) => f.key === 'bucket') && !draft.bucket);
  const set = (k: string, v: string | boolean) => setDraft((d) => ({ ...d, [k]: v }));
  const input = (k: string, label: string, extra: { placeholder?: string; type?: string } = {}) => (
    <label key={k} className="field grow">
      <span>{label}</span>
      <input
        type={extra.type ?? 'text'}
        value={String(draft[k] ?? '')}
        placeholder={extra.placeholder}
        onChange={(e) => set(k, e.target.value)}
        data-testid={`opt-${k}`}
        autoComplete="off"
        spellCheck={false}
      />
    </label>
  );

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const patch = { [vendor]: patchOf(fields, draft) } as VendorSettingsPatchInput;
      const s = await client.call('vendorSettings.set', patch);
      setDraft(draftOf(fields, s.settings[vendor]));
      props.onSaved(s);
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  }

  const boxes = fields.filter((f) => f.kind === 'checkbox');
  return (
    <details className="vendor-options" data-testid="vendor-options" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('settings.options')}</summary>
      <form className="form" onSubmit={(e) => void save(e)}>
        {props.settings.overridden.includes(vendor) && <p className="note">{t('settings.overridden')}</p>}
        <div className="row">
          {fields.map((f) => {
            switch (f.kind) {
              case 'select':
                return (
                  <label key={f.key} className="field grow">
                    <span>{text(f.label)}</span>
                    <select value={String(draft[f.key])} onChange={(e) => set(f.key, e.target.value)} data-testid={`opt-${f.key}`}>
                      {f.choices.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </label>
                );
              case 'text':
              case 'url':
                return input(f.key, text(f.label), { placeholder: f.placeholder ? text(f.placeholder) : undefined });
              case 'number':
                return input(f.key, text(f.label), { type: 'number' });
              case 'rates':
                return f.operations.map((op) => input(`${f.key}.${op}`, t('settings.rateLimit', { op }), { type: 'number', placeholder: t('settings.rateHint') }));
              case 'checkbox':
                return null;
            }
          })}
        </div>
        {boxes.map((f) => (
          <label key={f.key} className="check">
            <input type="checkbox" checked={!!draft[f.key]} onChange={(e) => set(f.key, e.target.checked)} data-testid={`opt-${f.key}`} />
            <span>{text(f.label)}</span>
          </label>
        ))}
        <div className="row">
          <button type="submit" className="btn" disabled={busy} data-testid="opt-save">
            {t('settings.saveOptions')}
          </button>
        </div>
      </form>
    </details>
  );
}
