import { useState, type FormEvent } from 'react';
import type { SharedQueueStatus, SharedQueueTest } from '../../../../shared/contract';
import { useApp } from '../../api/context';

/**
 * Settings → Shared queue (issue 7): the PostgreSQL queue this desk opens beside its own
 * profile, and this machine's path to the queue's blob folder. The password is kept in the
 * system keychain; it is sent to ScanDesk once and never shown again.
 */
export function SharedQueueSection(props: { status: SharedQueueStatus | null }) {
  const { client, t, reportError } = useApp();
  const s = props.status;
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [blobs, setBlobs] = useState('');
  const [tested, setTested] = useState<SharedQueueTest | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const address = () => ({
    url: (url.trim() || s?.url) ?? '',
    ...(password ? { password } : {}),
    blobs: blobs.trim() || (url.trim() ? null : (s?.blobs ?? null)),
  });
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await what();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const test = () =>
    run(async () => {
      setTested(null);
      setTested(await client.call('sharedQueue.test', address()));
    });
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await client.call('sharedQueue.save', address());
      setUrl('');
      setPassword('');
      setBlobs('');
    });
  };
  const forget = () => client.call('sharedQueue.forget').then(() => setTested(null), reportError);

  const stateText = s ? t(`queue.state.${s.state}`) : '';
  return (
    <section className="shared-queue" data-testid="shared-queue">
      <h3>{t('queue.title')}</h3>
      <p className="muted">{t('queue.intro')}</p>
      {s?.configured && (
        <article className="vendor-card">
          <header className="vendor-head">
            <code className="grow" data-testid="queue-url">
              {s.url}
            </code>
            <span className={`status ${s.state === 'connected' ? 'status-running' : s.state === 'lost' ? 'status-failed' : ''}`} data-testid="queue-state">
              {stateText}
            </span>
          </header>
          <p className="muted small">
            {t('queue.blobsShown', { blobs: s.blobs ?? t('queue.blobsRecorded') })} · {s.passwordSaved ? t('queue.passwordSaved') : t('queue.noPassword')}
          </p>
          {s.message && (
            <p className="note error small" data-testid="queue-message">
              {s.message}
            </p>
          )}
          <div className="row">
            <button type="button" className="btn danger" onClick={() => void forget()} data-testid="queue-forget">
              {t('queue.forget')}
            </button>
          </div>
        </article>
      )}
      <form className="form vendor-card" onSubmit={save} data-testid="queue-form">
        <label className="field grow">
          <span>{t('queue.url')}</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder={s?.url ?? 'postgres://scandesk@dbhost/scandesk'} spellCheck={false} autoComplete="off" data-testid="queue-url-input" />
        </label>
        <div className="row">
          <label className="field grow">
            <span>{t('queue.password')}</span>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" placeholder={s?.passwordSaved ? t('queue.passwordKept') : ''} data-testid="queue-password" />
          </label>
          <label className="field grow">
            <span>{t('queue.blobs')}</span>
            <input value={blobs} onChange={(e) => setBlobs(e.target.value)} placeholder={t('queue.blobsPlaceholder')} spellCheck={false} data-testid="queue-blobs" />
          </label>
        </div>
        <div className="row">
          <button type="button" className="btn" disabled={busy || !(url.trim() || s?.url)} onClick={() => void test()} data-testid="queue-test">
            {t('queue.test')}
          </button>
          <button type="submit" className="btn primary" disabled={busy || !(url.trim() || s?.url)} data-testid="queue-save">
            {t('queue.save')}
          </button>
        </div>
        {tested && (
          <p className="note ok small" role="status" data-testid="queue-tested">
            {t('queue.tested', { endpoint: tested.endpoint, version: tested.serverVersion })}{' '}
            {tested.initialized ? t('queue.initialized') : t('queue.notInitialized')}{' '}
            {tested.blobsReadable === null ? t('queue.noBlobs') : tested.blobsReadable ? t('queue.blobsOk') : t('queue.blobsMissing')}
          </p>
        )}
        {failure && (
          <p className="note error small" role="alert" data-testid="queue-failure">
            {failure}
          </p>
        )}
      </form>
    </section>
  );
}
