import { useEffect, useRef, useState } from 'react';
import { settledPages, type BatchSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { throughput } from '../logic/items';

/** "4.2 pages/s · about 3 min left" while a batch runs, from the progress it reports. */
export function Throughput({ batch }: { batch: BatchSummary }) {
  const { t, locale } = useApp();
  const samples = useRef<Array<{ at: number; settled: number }>>([]);
  const [rate, setRate] = useState<ReturnType<typeof throughput>>(null);
  const settled = settledPages(batch.counts);
  const running = batch.status === 'running';
  const total = batch.counts.total;
  useEffect(() => {
    if (!running) {
      samples.current = [];
      setRate(null);
      return;
    }
    const list = samples.current;
    list.push({ at: performance.now(), settled });
    if (list.length > 600) list.splice(0, list.length - 600);
    setRate(throughput(list, total));
  }, [settled, running, total]);
  if (!running || !rate) return null;
  const minutes = rate.etaSeconds / 60;
  const left =
    rate.etaSeconds < 60
      ? t('rate.seconds', { count: Math.max(1, Math.round(rate.etaSeconds)) })
      : minutes < 90
        ? t('rate.minutes', { count: Math.round(minutes) })
        : t('rate.hours', { count: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(minutes / 60) });
  return (
    <span className="muted rate" data-testid="batch-rate">
      {t('rate.line', { rate: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(rate.perSecond), left })}
    </span>
  );
}
