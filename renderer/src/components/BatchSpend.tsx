import './usage.css';
import { useEffect, useState } from 'react';
import type { EngineId } from '../../../shared/engines';
import type { BatchUsage } from '../../../shared/usage';
import { useApp } from '../api/context';
import { engineLabel } from '../logic/engines';

/** What a batch spent at the vendors, one line per vendor operation; nothing for a local batch. */
export function BatchSpend(props: { batchId: number; version: string }) {
  const { client, t, reportError } = useApp();
  const [usage, setUsage] = useState<BatchUsage | null>(null);
  const { batchId, version } = props;
  useEffect(() => {
    let live = true;
    client.call('usage.batch', { batchId }).then((u) => live && setUsage(u), reportError);
    return () => {
      live = false;
    };
  }, [client, batchId, version, reportError]);
  if (!usage || usage.batchId !== batchId || usage.operations.length === 0) return null;
  return (
    <p className="batch-spend muted small" data-testid="batch-spend">
      <span>{t('usage.batchSpent')}</span>{' '}
      {usage.operations.map((o, i) => (
        <span key={`${o.vendor}:${o.operation}`} data-testid="batch-spend-op" data-operation={o.operation} data-calls={o.calls} data-billable={o.billable}>
          {i > 0 && ' · '}
          {t('usage.batchLine', { vendor: t(engineLabel(o.vendor as EngineId)), operation: o.operation, calls: o.calls, billable: o.billable })}
          {o.errors > 0 && t('usage.batchErrors', { count: o.errors })}
        </span>
      ))}
    </p>
  );
}
