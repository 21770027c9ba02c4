import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../../../shared/batch';
import { useApp } from '../../api/context';
import type { GridQuery } from '../BatchView';
import { DocumentsSection } from './DocumentsSection';
import { ReconciliationSection } from './ReconciliationSection';
import { useOpenItem } from './use-open-item';

/**
 * What a batch view shows beyond its pages: the hot folder feeding it (a live batch), its
 * documents and its reconciliation. Both refresh as pages settle (`settled` grows).
 */
export function BatchIntake(props: {
  batch: BatchSummary;
  settled: number;
  onQuery: (q: GridQuery) => void;
  onOpen: (index: number, total: number) => void;
}) {
  const { client, t, reportError } = useApp();
  const { batch } = props;
  const openItem = useOpenItem(client, batch.id, props.onQuery, props.onOpen, reportError);
  const [folder, setFolder] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.call('hotFolders.list').then((fs) => live && setFolder(fs.find((f) => f.batchId === batch.id && f.enabled)?.path ?? null), reportError);
    return () => {
      live = false;
    };
  }, [client, batch.id, batch.status, reportError]);
  const version = props.settled * 8 + ['queued', 'running', 'paused', 'cancelled', 'done'].indexOf(batch.status);
  return (
    <div className="batch-intake">
      {folder && batch.status === 'running' && (
        <p className="note" role="status" data-testid="batch-watching">
          <span className="status status-running">{t('hot.watching')}</span> {t('hot.batchWatching', { folder })}
        </p>
      )}
      <DocumentsSection batchId={batch.id} version={version} onOpenItem={openItem} />
      <ReconciliationSection batchId={batch.id} version={version} onOpenItem={openItem} />
    </div>
  );
}
