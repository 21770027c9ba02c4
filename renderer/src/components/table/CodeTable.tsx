import './code-table.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CodeFacets, CodeRow } from '../../../../shared/code-table';
import { DETECTION_ENGINES, type DetectionEngine } from '../../../../shared/detection';
import { useApp } from '../../api/context';
import { pageLabel } from '../../logic/items';
import { REVIEW_STATES, rowMove, shownValue, withFilter, type CodeFilters } from '../../logic/code-filters';
import { useCodes } from './use-codes';
import { ruleBreaksText } from '../../../../shared/rules/text';

const ROW_H = 36;

/**
 * The results table beside the grid (issue 9): every code of the batch, one row each (a code
 * two engines read once), filtered by symbology, engine and review state. Rows are virtualized
 * and fetched a block at a time (use-codes.ts), so 10,000 pages cost what 100 do. A row copies
 * its value (Ctrl+C, or Copy), opens its page in review (Enter, double-click, or Open) and
 * shows its file in the file manager.
 */
export function CodeTable(props: {
  batchId: number;
  filters: CodeFilters;
  onFilters: (f: CodeFilters) => void;
  onOpenItem: (itemId: number) => void;
  /** Changes when the batch's results or verdicts may have changed: what is in view is fetched again. */
  version: string;
}) {
  const { client, t, notify, reportError } = useApp();
  const codes = useCodes(client, props.batchId, props.filters, reportError);
  const [facets, setFacets] = useState<CodeFacets>({ symbologies: [], engines: [] });
  const [selected, setSelected] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const total = codes.total ?? 0;

  const { refresh } = codes;
  useEffect(() => {
    refresh();
    let live = true;
    client.call('detections.facets', { batchId: props.batchId }).then((f) => live && setFacets(f), reportError);
    return () => {
      live = false;
    };
  }, [client, props.batchId, props.version, refresh, reportError]);

  useEffect(() => setSelected(0), [props.filters]);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 10,
    useFlushSync: false,
  });
  const vrows = virtualizer.getVirtualItems();
  const first = vrows[0]?.index ?? 0;
  const last = vrows[vrows.length - 1]?.index ?? 0;
  const { requestRange, rowAt } = codes;
  useEffect(() => {
    requestRange(first, last);
  }, [first, last, requestRange, total]);

  const copy = useCallback(
    (row: CodeRow, data: DataTransfer) => {
      const value = shownValue(row);
      data.setData('text/plain', value);
      notify(t('table.copied', { value: value.length > 60 ? `${value.slice(0, 60)}…` : value }));
    },
    [notify, t],
  );

  // Ctrl+C (or Edit → Copy) while a row has the focus copies its value, through the platform's
  // own copy event: no clipboard permission, and a text selection the user made still copies as usual.
  useEffect(() => {
    const onCopy = (e: ClipboardEvent) => {
      if (!tableRef.current?.contains(document.activeElement) || !e.clipboardData) return;
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return;
      const at = Number((document.activeElement as HTMLElement).closest<HTMLElement>('[data-row]')?.dataset.row ?? selected);
      const row = rowAt(at);
      if (!row) return;
      e.preventDefault();
      copy(row, e.clipboardData);
    };
    document.addEventListener('copy', onCopy);
    return () => document.removeEventListener('copy', onCopy);
  }, [copy, rowAt, selected]);

  const focusRow = (index: number) => {
    setSelected(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    const focus = (tries: number) => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${index}"]`);
      if (el) el.focus();
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    requestAnimationFrame(() => focus(10));
  };

  const engines = facets.engines.length > 0 ? facets.engines : (DETECTION_ENGINES as readonly DetectionEngine[]);
  const select = (key: 'symbology' | 'engine' | 'review', label: string, any: string, options: ReadonlyArray<{ value: string; label: string }>) => (
    <label className="code-filter">
      <span className="muted small">{label}</span>
      <select value={props.filters[key] ?? ''} onChange={(e) => props.onFilters(withFilter(props.filters, key, e.target.value))} data-testid={`code-filter-${key}`}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="code-table-view" data-testid="code-table">
      <div className="filters">
        {select('symbology', t('table.filter.symbology'), t('table.filter.anySymbology'), withCurrent(facets.symbologies, props.filters.symbology).map((s) => ({ value: s, label: s })))}
        {select('engine', t('table.filter.engine'), t('table.filter.anyEngine'), engines.map((e) => ({ value: e, label: t(`engineShort.${e}`) })))}
        {select('review', t('table.filter.review'), t('table.filter.anyReview'), REVIEW_STATES.map((r) => ({ value: r, label: t(`review.status.${r}`) })))}
        <label className="code-filter">
          <input
            type="checkbox"
            checked={props.filters.ruleBreaks === true}
            onChange={(e) => props.onFilters(withFilter(props.filters, 'ruleBreaks', e.target.checked ? true : undefined))}
            data-testid="code-filter-rules"
          />
          <span>{t('table.filter.ruleBreaks')}</span>
        </label>
        <span className="muted" data-testid="code-count">
          {codes.total === null ? t('app.loading') : t('table.count', { count: total })}
        </span>
        <span className="muted small code-hints">{t('table.hints')}</span>
      </div>
      <div className="code-table" ref={tableRef} role="table" aria-label={t('table.label')} aria-rowcount={total + 1}>
        <div className="code-row code-head" role="row" aria-rowindex={1}>
          <span role="columnheader">{t('table.col.page')}</span>
          <span role="columnheader">{t('table.col.symbology')}</span>
          <span role="columnheader">{t('table.col.value')}</span>
          <span role="columnheader">{t('table.col.foundBy')}</span>
          <span role="columnheader">{t('table.col.review')}</span>
          <span role="columnheader">{t('table.col.rule')}</span>
          <span role="columnheader" className="sr-only">
            {t('table.col.actions')}
          </span>
        </div>
        {codes.total === 0 ? (
          <div className="empty">
            <p>{Object.keys(props.filters).length > 0 ? t('table.empty') : t('table.none')}</p>
          </div>
        ) : (
          <div
            className="code-scroll"
            ref={scrollRef}
            role="rowgroup"
            onKeyDown={(e) => {
              const el = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
              if (!el) return;
              const at = Number(el.dataset.row);
              if (e.key === 'Enter' && e.target === el) {
                e.preventDefault();
                const row = rowAt(at);
                if (row) props.onOpenItem(row.itemId);
                return;
              }
              const perScreen = Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_H);
              const next = rowMove(e.key, at, total, perScreen);
              if (next === null) return;
              e.preventDefault();
              focusRow(next);
            }}
          >
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {vrows.map((v) => (
                <Row
                  key={v.key}
                  index={v.index}
                  top={v.start}
                  row={rowAt(v.index)}
                  selected={v.index === selected}
                  onSelect={setSelected}
                  onOpen={props.onOpenItem}
                  onCopy={(index) => {
                    // The Copy button goes through the same copy event as Ctrl+C.
                    scrollRef.current?.querySelector<HTMLElement>(`[data-row="${index}"]`)?.focus();
                    setSelected(index);
                    document.execCommand('copy');
                  }}
                  onReveal={(itemId) => void client.call('items.reveal', { itemId }).catch(reportError)}
                />
              ))}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

/** A filter's choices, keeping the chosen one even when the batch no longer has it. */
function withCurrent(list: readonly string[], current: string | undefined): string[] {
  return current && !list.includes(current) ? [...list, current] : [...list];
}

function Row(props: {
  index: number;
  top: number;
  row: CodeRow | undefined;
  selected: boolean;
  onSelect: (index: number) => void;
  onOpen: (itemId: number) => void;
  onCopy: (index: number) => void;
  onReveal: (itemId: number) => void;
}) {
  const { t } = useApp();
  const { row, index } = props;
  const style = { transform: `translateY(${props.top}px)`, height: ROW_H };
  if (!row) return <div className="code-row placeholder" role="row" aria-rowindex={index + 2} aria-busy="true" style={style} />;
  const value = shownValue(row);
  return (
    <div
      className="code-row"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={props.selected}
      tabIndex={props.selected ? 0 : -1}
      style={style}
      data-row={index}
      data-testid="code-row"
      data-item-id={row.itemId}
      data-detection-id={row.id}
      onClick={() => props.onSelect(index)}
      onDoubleClick={() => props.onOpen(row.itemId)}
    >
      <span role="cell" className="code-page" title={row.path}>
        {pageLabel(row)}
      </span>
      <span role="cell" data-testid="code-symbology">
        {row.symbology}
      </span>
      <span role="cell" className="code-value mono" data-testid="code-value" title={row.correctedText !== null && !row.personal ? t('table.corrected', { value: row.text }) : value}>
        {value}
      </span>
      <span role="cell" data-testid="code-found-by">
        {row.foundBy.map((e) => t(`engineShort.${e}`)).join(', ')}
      </span>
      <span role="cell">
        <span className={`review-pill ${row.review}`} data-testid="code-review" data-review={row.review}>
          {t(`review.status.${row.review}`)}
        </span>
      </span>
      <span role="cell">
        <RuleMark row={row} />
      </span>
      <span role="cell" className="code-actions">
        <button type="button" className="btn small icon-btn" tabIndex={-1} title={t('table.copyTitle')} aria-label={t('table.copy')} data-testid="code-copy" onClick={() => props.onCopy(index)}>
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
            <path d="M3.5 10.5h-1v-8h8v1" />
          </svg>
        </button>
        <button type="button" className="btn small icon-btn" tabIndex={-1} title={t('table.openTitle')} aria-label={t('table.open')} data-testid="code-open" onClick={() => props.onOpen(row.itemId)}>
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path d="M9 2.5h4.5V7M13.5 2.5 7 9M11.5 9.5v4h-9v-9h4" />
          </svg>
        </button>
        <button type="button" className="btn small icon-btn" tabIndex={-1} title={t('review.revealFileTitle')} aria-label={t('review.revealFile')} data-testid="code-reveal" onClick={() => props.onReveal(row.itemId)}>
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path d="M1.5 4.5v8h13v-7h-6.5l-1.5-2h-5z" />
          </svg>
        </button>
      </span>
    </div>
  );
}

/**
 * The code's verdict under the batch's rules, with its page's own breaks (too many or too few
 * codes): nothing when the batch has no rules. The reasons are in the tooltip.
 */
function RuleMark({ row }: { row: CodeRow }) {
  const { t } = useApp();
  if (!row.rule) return <span className="muted">—</span>;
  const breaks = [...row.rule.breaks, ...(row.pageRule ?? [])];
  if (breaks.length === 0) {
    return (
      <span className="rule-mark ok" data-testid="code-rule" data-rule="ok">
        {t('table.rule.ok')}
      </span>
    );
  }
  return (
    <span className="rule-mark breaks" data-testid="code-rule" data-rule="breaks" title={ruleBreaksText(breaks)}>
      {t('table.rule.breaks', { count: breaks.length })}
    </span>
  );
}
