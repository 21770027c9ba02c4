import type { BatchCounts } from '../../../shared/batch';
import { progressParts } from '../logic/items';
import { useApp } from '../api/context';

export function ProgressBar({ counts }: { counts: BatchCounts }) {
  const { t } = useApp();
  const p = progressParts(counts);
  const label = t('batches.progress', { done: p.settled, total: counts.total, failed: counts.failed, codes: counts.codes });
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={counts.total}
      aria-valuenow={p.settled}
      title={label}
      data-settled={p.settled}
      data-total={counts.total}
    >
      <span className="progress-done" style={{ width: `${p.done * 100}%` }} />
      <span className="progress-failed" style={{ width: `${p.failed * 100}%` }} />
    </div>
  );
}
