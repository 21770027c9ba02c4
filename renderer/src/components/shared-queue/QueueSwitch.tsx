import type { SharedQueueStatus } from '../../../../shared/contract';
import { useApp } from '../../api/context';

/**
 * Above the batch list, once a shared queue is set up: whose batches the desk shows (its own,
 * or the shared queue's), and a clear notice while the queue cannot be reached (the desk then
 * shows its own batches, which keep working).
 */
export function QueueSwitch(props: { status: SharedQueueStatus | null }) {
  const { client, t, reportError } = useApp();
  const s = props.status;
  if (!s?.configured) return null;
  const show = (source: 'local' | 'shared') => void client.call('sharedQueue.show', { source }).catch(reportError);
  return (
    <div className="queue-switch" data-testid="queue-switch" data-state={s.state} data-showing={s.showing}>
      <div className="segmented" role="radiogroup" aria-label={t('queue.switch')}>
        <button type="button" className="seg" aria-pressed={s.showing === 'local'} onClick={() => show('local')} data-testid="show-local">
          {t('queue.local')}
        </button>
        <button
          type="button"
          className="seg"
          aria-pressed={s.showing === 'shared'}
          disabled={s.state !== 'connected'}
          title={s.endpoint ?? undefined}
          onClick={() => show('shared')}
          data-testid="show-shared"
        >
          {t('queue.shared')}
        </button>
      </div>
      {s.state === 'lost' && (
        <p className="note error small" role="alert" data-testid="queue-lost">
          {t('queue.lost', { endpoint: s.endpoint ?? '' })}
        </p>
      )}
      {s.state === 'connecting' && <p className="muted small">{t('queue.connecting')}</p>}
    </div>
  );
}
