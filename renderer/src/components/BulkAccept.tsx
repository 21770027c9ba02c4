import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import type { ReviewBefore } from '../logic/use-undo';
import type { GridQuery } from './BatchView';

/**
 * Accept many at once: every open code of the pages the grid shows (its filter and search), or
 * every open code of one symbology in the batch. Undo (Ctrl+Z) puts them back in one step.
 */
export function BulkAccept(props: { batch: BatchSummary; query: GridQuery; shown: number; onDone: (before: ReviewBefore[], after: ReviewBefore[]) => void; version: number }) {
  const { client, t, notify, reportError } = useApp();
  const [symbologies, setSymbologies] = useState<Array<{ symbology: string; pending: number }>>([]);
  const { batch, version } = props;
  const codes = batch.counts.codes;
  useEffect(() => {
    let live = true;
    client
      .call('detections.symbologies', { batchId: batch.id })
      .then((list) => live && setSymbologies(list.filter((s) => s.pending > 0)))
      .catch(reportError);
    return () => {
      live = false;
    };
  }, [client, batch.id, codes, version, reportError]);

  async function accept(scope: { filter: GridQuery['filter']; search?: string } | { symbology: string }) {
    try {
      const { changed } = await client.call('detections.bulkReview', { batchId: batch.id, review: 'accepted', scope });
      props.onDone(changed, changed.map((c) => ({ ...c, review: 'accepted' as const })));
      notify(t('bulk.done', { count: changed.length }));
    } catch (e) {
      reportError(e);
    }
  }

  return (
    <div className="bulk" role="group" aria-label={t('bulk.label')}>
      <button
        type="button"
        className="btn"
        disabled={props.shown === 0}
        onClick={() => void accept({ filter: props.query.filter, ...(props.query.search ? { search: props.query.search } : {}) })}
        data-testid="accept-shown"
      >
        {t('bulk.shown', { count: props.shown })}
      </button>
      {symbologies.length > 0 && (
        <select
          value=""
          aria-label={t('bulk.symbology')}
          data-testid="accept-symbology"
          onChange={(e) => {
            if (e.target.value) void accept({ symbology: e.target.value });
          }}
        >
          <option value="">{t('bulk.symbology')}</option>
          {symbologies.map((s) => (
            <option key={s.symbology} value={s.symbology}>
              {t('bulk.symbologyOption', { symbology: s.symbology, count: s.pending })}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
