import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { Modal } from './Modal';

const SHOWN = 500;

/** The files a batch ignored (not images, duplicates...), each with the reason: one click from its header. */
export function IgnoredFiles(props: { batch: BatchSummary; onClose: () => void }) {
  const { client, t, reportError } = useApp();
  const [list, setList] = useState<{ total: number; files: Array<{ path: string; reason: string }> } | null>(null);
  useEffect(() => {
    let live = true;
    client
      .call('batches.ignored', { batchId: props.batch.id, limit: SHOWN })
      .then((r) => live && setList(r))
      .catch(reportError);
    return () => {
      live = false;
    };
  }, [client, props.batch.id, reportError]);
  return (
    <Modal title={t('ignored.title', { name: props.batch.name })} onClose={props.onClose} className="ignored-dialog" testId="ignored-dialog">
      {!list ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <ul className="ignored-list" data-testid="ignored-list">
          {list.files.map((f) => (
            <li key={f.path} data-testid="ignored-file">
              <span className="mono" title={f.path}>
                {f.path}
              </span>
              <span className="muted small">{f.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {list && list.total > list.files.length && <p className="muted small">{t('ignored.more', { count: list.total - list.files.length })}</p>}
      <div className="actions">
        <button type="button" className="btn primary" onClick={props.onClose} autoFocus>
          {t('ignored.close')}
        </button>
      </div>
    </Modal>
  );
}
