import { useCallback, useEffect, useRef, useState } from 'react';
import { batchOutcome, settledPages, type BatchSummary } from '../../../shared/batch';
import { ENGINE_IDS, type EngineId } from '../../../shared/engines';
import { engineLabel, taskLabel } from '../logic/engines';
import { useApp } from '../api/context';
import { ITEM_FILTERS, filterLabel, type ItemFilterName } from '../logic/items';
import { batchActions } from '../state/batches';
import { useItems } from '../logic/use-items';
import { ThumbGrid } from './ThumbGrid';
import { ProgressBar } from './ProgressBar';
import { BatchSpend } from './BatchSpend';
import { IgnoredFiles } from './IgnoredFiles';
import { BulkAccept } from './BulkAccept';
import { Throughput } from './Throughput';
import type { ReviewBefore } from '../logic/use-undo';
import { errorText } from '../logic/error-text';
import type { BatchNotice } from '../logic/notices';
import { BatchIntake } from './intake/BatchIntake';
import { RulesSection } from './rules/RulesSection';
import { CodeTable } from './table/CodeTable';
import type { CodeFilters } from '../logic/code-filters';

export type BatchAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'finishWithoutStopped' | 'delete' | 'export' | 'rerun';

export interface GridQuery {
  filter: ItemFilterName;
  search: string;
  /** Pages (the thumbnail grid, default) or codes (the results table, with its own filters). */
  view?: 'pages' | 'codes';
  codes?: CodeFilters;
}

export function BatchView(props: {
  batch: BatchSummary;
  query: GridQuery;
  onQuery: (q: GridQuery) => void;
  onOpen: (index: number, total: number) => void;
  onAction: (a: BatchAction) => void;
  focusSearch: number;
  /** Vendor notices for this batch (each once), with what to do. */
  notices?: readonly BatchNotice[];
  onDismissNotices?: () => void;
  /** Bulk verdicts made here, as the detections were before (for Undo). */
  onReviewed?: (before: ReviewBefore[], after?: ReviewBefore[]) => void;
  /** Changes after an undo: what is in view is fetched again. */
  reviewVersion?: number;
}) {
  const { client, t, locale, reportError } = useApp();
  const [showIgnored, setShowIgnored] = useState(false);
  const { batch, query } = props;
  const [typed, setTyped] = useState(query.search);
  const searchRef = useRef<HTMLInputElement>(null);
  const items = useItems(client, { batchId: batch.id, filter: query.filter, search: query.search }, reportError);
  const actions = batchActions(batch);
  // A stop is shown once, with its choices, in the stopped panel: not again as a notice.
  const notices = (props.notices ?? []).filter((n) => !batch.stopped.some((s) => s.engine === n.engine && s.message === n.message));
  const { onOpen } = props;
  const total = items.total ?? 0;
  const openAt = useCallback((i: number) => onOpen(i, total), [onOpen, total]);

  // Search as the user types, but only once they pause (one request, not one per key).
  const { onQuery } = props;
  // A row of the results table opens its page in review, the grid unfiltered (the table stays
  // chosen, with its filters, for when the review closes).
  const openItem = useCallback(
    (itemId: number) => {
      client
        .call('items.position', { batchId: batch.id, itemId })
        .then(({ index, total: pages }) => {
          onQuery({ ...query, filter: 'all', search: '' });
          onOpen(index, pages);
        })
        .catch(reportError);
    },
    [client, batch.id, query, onQuery, onOpen, reportError],
  );
  useEffect(() => {
    if (typed === query.search) return;
    const h = setTimeout(() => onQuery({ ...query, search: typed.trim() }), 250);
    return () => clearTimeout(h);
  }, [typed, query, onQuery]);

  useEffect(() => {
    if (props.focusSearch > 0) searchRef.current?.focus();
  }, [props.focusSearch]);

  // Live thumbnails/badges: refetch what is in view when this batch reports progress.
  const { refresh } = items;
  const settled = settledPages(batch.counts);
  // New rules judge every page again: the grid refetches, and the results table's version moves.
  const [rulesVersion, setRulesVersion] = useState(0);
  const rulesChanged = useCallback(() => {
    refresh();
    setRulesVersion((v) => v + 1);
  }, [refresh]);
  useEffect(() => {
    refresh();
  }, [settled, batch.status, refresh, props.reviewVersion]);

  return (
    <section className="batch-view" aria-label={batch.name} data-testid="batch-view" data-batch-id={batch.id}>
      <header className="view-head">
        <div className="view-title">
          <h2 title={batch.name}>{batch.name}</h2>
          <span className={`status status-${batchOutcome(batch)}`} data-testid="batch-status" data-outcome={batchOutcome(batch)}>
            {t(`batches.status.${batchOutcome(batch)}`)}
          </span>
          <span className="muted small" data-testid="batch-plan">
            {planLabel(batch.plan, t)}
          </span>
          {batch.engines.length > 1 && (
            <span className="muted small" data-testid="batch-engines">
              {t('batches.engines', { engines: batch.engines.map((e) => engineShort(e, t)).join(', ') })}
            </span>
          )}
        </div>
        <div className="toolbar" role="toolbar" aria-label={batch.name}>
          {actions.pause && (
            <button type="button" className="btn" onClick={() => props.onAction('pause')}>
              {t('actions.pause')}
            </button>
          )}
          {actions.resume && (
            <button type="button" className="btn" onClick={() => props.onAction('resume')}>
              {t('actions.resume')}
            </button>
          )}
          {actions.cancel && (
            <button type="button" className="btn" onClick={() => props.onAction('cancel')}>
              {t('actions.cancel')}
            </button>
          )}
          {actions.retry && (
            <button type="button" className="btn" onClick={() => props.onAction('retry')}>
              {t('actions.retry')}
            </button>
          )}
          {!actions.pause && (
            <button type="button" className="btn" onClick={() => props.onAction('rerun')} data-testid="rerun-open">
              {t('actions.rerun')}
            </button>
          )}
          <button type="button" className="btn primary" onClick={() => props.onAction('export')} data-testid="export-open">
            {t('actions.export')}
          </button>
          <button type="button" className="btn danger" onClick={() => props.onAction('delete')} data-testid="delete-open">
            {t('actions.delete')}
          </button>
        </div>
      </header>
      <div className="view-progress">
        <ProgressBar counts={batch.counts} />
        <span className="muted" data-testid="batch-progress-text">
          {t('batches.progress', { done: settled, total: batch.counts.total, failed: batch.counts.failed, codes: batch.counts.codes })}
        </span>
        {batch.expanding && (
          <span className="muted" data-testid="batch-expanding">
            {t('batches.expanding')}
          </span>
        )}
        <Throughput batch={batch} />
      </div>
      <BatchSpend batchId={batch.id} version={`${batch.status}:${settled}`} />
      {batch.counts.skipped > 0 && (
        <p className="ignored muted small" data-testid="batch-ignored">
          {t('ignored.summary', { count: batch.counts.skipped })}{' '}
          <button type="button" className="btn link" onClick={() => setShowIgnored(true)} data-testid="ignored-show">
            {t('ignored.show')}
          </button>
        </p>
      )}
      {showIgnored && <IgnoredFiles batch={batch} onClose={() => setShowIgnored(false)} />}
      {batch.stopped.length > 0 && (
        <div className="stopped" role="alert" data-testid="batch-stopped">
          {batch.stopped.map((s) => (
            <p key={s.engine} data-testid="stopped-engine" data-engine={s.engine}>
              <strong>{t('stopped.title', { engine: engineName(s.engine, t), message: errorText({ code: s.code, message: s.message.replace(/^[A-Z_]+: /, '') }, t, locale) })}</strong>{' '}
              {t(batch.status === 'paused' ? 'stopped.choose' : 'stopped.waiting', { count: s.pages })}
            </p>
          ))}
          {/* Only a paused batch can take the choice: while other pages run, these simply wait. */}
          {batch.status === 'paused' && (
            <div className="row">
              <button type="button" className="btn" data-testid="stopped-retry" onClick={() => props.onAction('resume')}>
                {t('stopped.retry')}
              </button>
              <button type="button" className="btn" data-testid="stopped-finish" onClick={() => props.onAction('finishWithoutStopped')}>
                {t('stopped.finish', { engine: batch.stopped.map((s) => engineName(s.engine, t)).join(', ') })}
              </button>
            </div>
          )}
        </div>
      )}
      {notices.length > 0 && (
        <div className="notices" role="status" data-testid="batch-notices">
          <ul>
            {notices.map((n) => (
              <li key={`${n.engine}:${n.message}`} data-testid="batch-notice">
                <strong>{engineName(n.engine, t)}</strong> {n.message.replace(/^[A-Z_]+: /, '')}
              </li>
            ))}
          </ul>
          {props.onDismissNotices && (
            <button type="button" className="btn link" onClick={props.onDismissNotices}>
              {t('notice.dismiss')}
            </button>
          )}
        </div>
      )}
      <div className="batch-intake">
        <RulesSection batchId={batch.id} onChanged={rulesChanged} />
      </div>
      <BatchIntake batch={batch} settled={settled} onQuery={props.onQuery} onOpen={props.onOpen} />
      <div className="filters view-switch">
        <div className="segmented" role="group" aria-label={t('view.label')}>
          {(['pages', 'codes'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="seg"
              aria-pressed={(query.view ?? 'pages') === v}
              data-testid={`view-${v}`}
              onClick={() => props.onQuery({ ...query, view: v })}
            >
              {t(`view.${v}`)}
            </button>
          ))}
        </div>
      </div>
      {query.view === 'codes' ? (
        <CodeTable
          batchId={batch.id}
          filters={query.codes ?? NO_CODE_FILTERS}
          onFilters={(codes) => props.onQuery({ ...query, codes })}
          onOpenItem={openItem}
          version={`${batch.status}:${settled}:${props.reviewVersion ?? 0}:${rulesVersion}`}
        />
      ) : (
        <>
          <div className="filters">
            <div className="segmented" role="group" aria-label={t('filter.label')}>
              {ITEM_FILTERS.map((f) => (
                <button
                  key={f}
                  type="button"
                  className="seg"
                  aria-pressed={query.filter === f}
                  data-testid={`filter-${f}`}
                  onClick={() => props.onQuery({ ...query, filter: f })}
                >
                  {t(filterLabel(f))}
                </button>
              ))}
            </div>
            <input
              ref={searchRef}
              type="search"
              className="search"
              aria-label={t('search.label')}
              placeholder={t('search.placeholder')}
              value={typed}
              maxLength={200}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="search"
            />
            <BulkAccept
              batch={batch}
              query={query}
              shown={items.total ?? 0}
              version={props.reviewVersion ?? 0}
              onDone={(before, after) => {
                props.onReviewed?.(before, after);
                refresh();
              }}
            />
            <span className="muted" data-testid="grid-count">
              {items.total === null ? t('app.loading') : t('grid.pages', { count: items.total })}
            </span>
          </div>
          {items.total === 0 ? (
            <div className="empty">
              <p>{t('grid.empty')}</p>
            </div>
          ) : (
            <ThumbGrid
              total={items.total ?? 0}
              version={items.version}
              itemAt={items.itemAt}
              requestRange={items.requestRange}
              onOpen={openAt}
            />
          )}
        </>
      )}
    </section>
  );
}

function engineShort(engine: string, t: ReturnType<typeof useApp>['t']): string {
  return (ENGINE_IDS as readonly string[]).includes(engine) ? t(`engineShort.${engine as EngineId}`) : engine;
}

/** A notice names its engine by id; show the product name when it is one we know. */
function engineName(engine: string, t: ReturnType<typeof useApp>['t']): string {
  return (ENGINE_IDS as readonly string[]).includes(engine) ? t(engineLabel(engine as EngineId)) : engine;
}

/** "Tencent · ID card fields", or "Local → Tencent · Barcodes and QR codes" for a fallback plan. */
function planLabel(plan: BatchSummary['plan'], t: ReturnType<typeof useApp>['t']): string {
  const engines = plan.fallback ? `${t('engineShort.local')} → ${t(`engineShort.${plan.fallback}`)}` : t(`engineShort.${plan.engine}`);
  return `${engines} · ${t(taskLabel(plan.task))}`;
}

const NO_CODE_FILTERS: CodeFilters = {};
