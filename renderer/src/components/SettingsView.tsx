import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  CREDENTIAL_FIELDS,
  VENDOR_IDS,
  type ConnectionTestView,
  type KeychainStatusView,
  type VendorId,
  type VendorSettingsPatchInput,
  type VendorSettingsResult,
} from '../../../shared/contract';
import { useApp } from '../api/context';
import type { MessageKey } from '../i18n/en';
import { engineLabel } from '../logic/engines';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * Settings → Cloud vendors: per vendor, its keys (saved to the system keychain, never shown
 * again: only a masked id comes back), a connection test, and the non-secret options
 * (region, bucket, endpoint, rate limits). Key inputs are uncontrolled and cleared after
 * saving, so a secret never sits in React state or in a DOM attribute.
 */
export function SettingsView(props: { onClose: () => void; onChanged: () => void }) {
  const { client, t, reportError } = useApp();
  const [status, setStatus] = useState<KeychainStatusView | null>(null);
  const [settings, setSettings] = useState<VendorSettingsResult | null>(null);

  const load = useCallback(async () => {
    try {
      const [st, vs] = await Promise.all([client.call('credentials.status'), client.call('vendorSettings.get')]);
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
        {status &&
          settings &&
          VENDOR_IDS.map((v) => (
            <VendorCard
              key={v}
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
      </div>
    </section>
  );
}

const REGIONS_TENCENT = ['ap-guangzhou', 'ap-beijing'];

const RATE_OPS: Record<VendorId, string[]> = {
  tencent: ['QrcodeOCR', 'IDCardOCR', 'QueryBarCode'],
  wechat: ['qrcode', 'ocr'],
  alioss: ['PutObject', 'ProcessImage'],
};

function VendorCard(props: {
  vendor: VendorId;
  status: KeychainStatusView;
  settings: VendorSettingsResult;
  onStatus: (s: KeychainStatusView) => void;
  onSettings: (s: VendorSettingsResult) => void;
}) {
  const { client, t, reportError } = useApp();
  const { vendor } = props;
  const name = t(engineLabel(vendor));
  // What just happened to this vendor, said in place (not as a toast over the page).
  const [done, setDone] = useState<string | null>(null);
  const cred = props.status.vendors.find((v) => v.vendor === vendor);
  const configured = !!cred?.configured;
  const [replacing, setReplacing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<ConnectionTestView | 'running' | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [keyNote, setKeyNote] = useState<string | null>(null);
  // Keys saved for another endpoint than the vendor now uses are not sent there: ask again.
  const moved = configured && !!cred?.endpointChanged;
  const showKeys = props.status.available && (!configured || replacing || moved);
  const fields = CREDENTIAL_FIELDS[vendor];

  async function saveKeys(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const values = Object.fromEntries(fields.map((f) => [f, String(data.get(f) ?? '').trim()]));
    if (fields.some((f) => !values[f])) {
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
      <p className="muted small">{t(`settings.about.${vendor}` as MessageKey)}</p>
      {showKeys && (
        <form className="form keys" onSubmit={(e) => void saveKeys(e)} autoComplete="off" data-testid="keys-form">
          {moved && (
            <p className="note warn" role="status" data-testid="keys-endpoint-moved">
              {t('settings.endpointMoved', { savedFor: cred?.savedFor ?? '' })}
            </p>
          )}
          <div className="row">
            {fields.map((f, i) => (
              <label key={f} className="field grow">
                <span>{t(`settings.field.${f}` as MessageKey)}</span>
                <input
                  name={f}
                  type={i === 0 ? 'text' : 'password'}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={512}
                  data-testid={`key-${f}`}
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
      {configured && (
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
      {test && test !== 'running' && (
        <p className={`note ${test.ok ? 'ok' : 'error'}`} role="status" data-testid="vendor-test-result" data-ok={test.ok ? 'true' : 'false'}>
          {test.ok ? t('settings.testOk', { ms: test.elapsedMs }) : t('settings.testFailed', { message: test.error?.message ?? '' })}
        </p>
      )}
      <VendorOptions
        vendor={vendor}
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

type Draft = Record<string, string | boolean>;

function draftOf(vendor: VendorId, s: VendorSettingsResult['settings']): Draft {
  const v = s[vendor] as unknown as Record<string, unknown>;
  const rates = (v.rateLimits ?? {}) as Record<string, number | undefined>;
  const d: Draft = {
    concurrency: String(v.concurrency ?? ''),
    endpoint: String((vendor === 'wechat' ? v.baseUrl : v.endpoint) ?? ''),
  };
  for (const op of RATE_OPS[vendor]) d[`rate.${op}`] = rates[op] === undefined ? '' : String(rates[op]);
  if (vendor === 'tencent') {
    d.region = String(v.region ?? 'ap-guangzhou');
    d.enrich = !!v.enrichWithProductData;
  }
  if (vendor === 'alioss') {
    d.region = String(v.region ?? '');
    d.bucket = String(v.bucket ?? '');
    d.keepUploads = !!v.keepUploads;
  }
  return d;
}

/** The form's values as a settings change: empty text clears a field back to its default. */
function patchOf(vendor: VendorId, d: Draft): VendorSettingsPatchInput {
  const str = (k: string) => {
    const s = String(d[k] ?? '').trim();
    return s === '' ? null : s;
  };
  const num = (k: string) => {
    const s = String(d[k] ?? '').trim();
    return s === '' ? null : Number(s);
  };
  const rateLimits = Object.fromEntries(RATE_OPS[vendor].map((op) => [op, num(`rate.${op}`)]));
  if (vendor === 'tencent') {
    return { tencent: { region: str('region'), endpoint: str('endpoint'), concurrency: num('concurrency'), rateLimits, enrichWithProductData: !!d.enrich } };
  }
  if (vendor === 'wechat') return { wechat: { baseUrl: str('endpoint'), concurrency: num('concurrency'), rateLimits } };
  return {
    alioss: { region: str('region'), bucket: str('bucket'), endpoint: str('endpoint'), concurrency: num('concurrency'), rateLimits, keepUploads: !!d.keepUploads },
  };
}

function VendorOptions(props: { vendor: VendorId; settings: VendorSettingsResult; onSaved: (s: VendorSettingsResult) => void }) {
  const { client, t, reportError } = useApp();
  const { vendor } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(vendor, props.settings.settings));
  const [busy, setBusy] = useState(false);
  // OSS cannot run without a bucket: its options start open until one is set.
  const [open, setOpen] = useState(vendor === 'alioss' && !draft.bucket);
  const set = (k: string, v: string | boolean) => setDraft((d) => ({ ...d, [k]: v }));
  const text = (k: string, label: string, extra: { placeholder?: string; type?: string; testId?: string } = {}) => (
    <label className="field grow">
      <span>{label}</span>
      <input
        type={extra.type ?? 'text'}
        value={String(draft[k] ?? '')}
        placeholder={extra.placeholder}
        onChange={(e) => set(k, e.target.value)}
        data-testid={extra.testId ?? `opt-${k}`}
        autoComplete="off"
        spellCheck={false}
      />
    </label>
  );

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const s = await client.call('vendorSettings.set', patchOf(vendor, draft));
      setDraft(draftOf(vendor, s.settings));
      props.onSaved(s);
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="vendor-options" data-testid="vendor-options" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('settings.options')}</summary>
      <form className="form" onSubmit={(e) => void save(e)}>
        {props.settings.overridden.includes(vendor) && <p className="note">{t('settings.overridden')}</p>}
        <div className="row">
          {vendor === 'tencent' && (
            <label className="field grow">
              <span>{t('settings.region')}</span>
              <select value={String(draft.region)} onChange={(e) => set('region', e.target.value)} data-testid="opt-region">
                {REGIONS_TENCENT.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
          )}
          {vendor === 'alioss' && text('region', t('settings.region'), { placeholder: 'cn-hangzhou' })}
          {vendor === 'alioss' && text('bucket', t('settings.bucket'))}
        </div>
        <div className="row">{text('endpoint', t('settings.endpoint'), { placeholder: t('settings.endpointHint') })}</div>
        <div className="row">
          {text('concurrency', t('settings.concurrency'), { type: 'number' })}
          {RATE_OPS[vendor].map((op) => (
            <span key={op} className="grow">
              {text(`rate.${op}`, t('settings.rateLimit', { op }), { type: 'number', placeholder: t('settings.rateHint') })}
            </span>
          ))}
        </div>
        {vendor === 'tencent' && (
          <label className="check">
            <input type="checkbox" checked={!!draft.enrich} onChange={(e) => set('enrich', e.target.checked)} data-testid="opt-enrich" />
            <span>{t('settings.productData')}</span>
          </label>
        )}
        {vendor === 'alioss' && (
          <label className="check">
            <input type="checkbox" checked={!!draft.keepUploads} onChange={(e) => set('keepUploads', e.target.checked)} />
            <span>{t('settings.keepUploads')}</span>
          </label>
        )}
        <div className="row">
          <button type="submit" className="btn" disabled={busy} data-testid="opt-save">
            {t('settings.saveOptions')}
          </button>
        </div>
      </form>
    </details>
  );
}
