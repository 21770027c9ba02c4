import { useState, type FormEvent } from 'react';
import type { KeychainStatusView, VendorSettingsResult } from '../../../shared/contract';
import { useApp } from '../api/context';

/**
 * How every vendor reaches the network: the system's proxy (HTTPS_PROXY and NO_PROXY, which the
 * desktop app fills from the OS setting), no proxy, or one given here; and the proxy's sign-in,
 * which goes to the keychain (bound to that proxy: it is given to no other) and never comes back.
 * Like the vendor keys, the sign-in inputs are uncontrolled and cleared after saving, so the
 * password never sits in React state.
 */
export function NetworkOptions(props: {
  settings: VendorSettingsResult;
  status: KeychainStatusView | null;
  onSaved: (s: VendorSettingsResult) => void;
  onStatus: (s: KeychainStatusView) => void;
}) {
  const { client, t, reportError } = useApp();
  const current = props.settings.settings.network.proxy;
  const [mode, setMode] = useState<'system' | 'none' | 'manual'>(current === 'system' || current === 'none' ? current : 'manual');
  const [url, setUrl] = useState(current === 'system' || current === 'none' ? '' : current);
  const [busy, setBusy] = useState(false);
  // A message key, not text: it follows a language switch.
  const [note, setNote] = useState<NoteKey | null>(null);
  const signIn = props.status?.proxy;
  const manualOrigin = mode === 'manual' && current !== 'system' && current !== 'none' ? safeOrigin(current) : null;
  // The saved sign-in applies when it was saved for the proxy set here (or, under "system", for HTTPS_PROXY's).
  const signInApplies = !!signIn?.configured && (mode !== 'manual' || signIn.proxy === manualOrigin);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      props.onSaved(await client.call('vendorSettings.set', { network: { proxy: mode === 'manual' ? url.trim() : mode } }));
      setNote('settings.networkSaved');
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  }

  async function saveSignIn(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const username = String(data.get('proxyUser') ?? '').trim();
    const password = String(data.get('proxyPassword') ?? '');
    if (!username || !password) {
      setNote('settings.proxyNeedBoth');
      return;
    }
    setBusy(true);
    setNote(null);
    try {
      const st = await client.call('credentials.setProxy', { username, password });
      form.reset();
      props.onStatus(st);
      setNote('settings.proxySignInSaved');
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  }

  async function removeSignIn() {
    setNote(null);
    try {
      props.onStatus(await client.call('credentials.deleteProxy'));
      setNote('settings.proxySignInRemoved');
    } catch (err) {
      reportError(err);
    }
  }

  return (
    <section className="vendor-card" data-testid="network-options">
      <header className="vendor-head">
        <h4>{t('settings.network')}</h4>
      </header>
      <p className="muted small">{t('settings.networkIntro')}</p>
      <form className="form" onSubmit={(e) => void save(e)}>
        <div className="row">
          <label className="field grow">
            <span>{t('settings.proxy')}</span>
            <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)} data-testid="proxy-mode">
              <option value="system">{t('settings.proxySystem')}</option>
              <option value="none">{t('settings.proxyNone')}</option>
              <option value="manual">{t('settings.proxyManual')}</option>
            </select>
          </label>
          {mode === 'manual' && (
            <label className="field grow">
              <span>{t('settings.proxyUrl')}</span>
              <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://proxy.example.com:3128" autoComplete="off" spellCheck={false} data-testid="proxy-url" />
            </label>
          )}
        </div>
        <div className="row">
          <button type="submit" className="btn" disabled={busy} data-testid="proxy-save">
            {t('settings.saveOptions')}
          </button>
        </div>
      </form>
      {mode !== 'none' && props.status?.available && (
        <form className="form keys" onSubmit={(e) => void saveSignIn(e)} autoComplete="off" data-testid="proxy-signin-form">
          <p className="muted small" data-testid="proxy-signin-status">
            {signInApplies ? t('settings.proxySignInFor', { proxy: signIn!.proxy ?? '' }) : t('settings.proxySignInNone')}
          </p>
          <div className="row">
            <label className="field grow">
              <span>{t('settings.proxyUser')}</span>
              <input name="proxyUser" type="text" autoComplete="off" spellCheck={false} maxLength={512} data-testid="proxy-user" />
            </label>
            <label className="field grow">
              <span>{t('settings.proxyPassword')}</span>
              <input name="proxyPassword" type="password" autoComplete="off" maxLength={512} data-testid="proxy-password" />
            </label>
          </div>
          <div className="row">
            <button type="submit" className="btn" disabled={busy} data-testid="proxy-signin-save">
              {t('settings.saveCredentials')}
            </button>
            {signIn?.configured && (
              <button type="button" className="btn" onClick={() => void removeSignIn()} data-testid="proxy-signin-remove">
                {t('settings.proxySignInRemove')}
              </button>
            )}
          </div>
        </form>
      )}
      {note && (
        <p className="muted small" role="status" data-testid="proxy-note">
          ✓ {t(note)}
        </p>
      )}
    </section>
  );
}

type NoteKey = 'settings.networkSaved' | 'settings.proxyNeedBoth' | 'settings.proxySignInSaved' | 'settings.proxySignInRemoved';

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
