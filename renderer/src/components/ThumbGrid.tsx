import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ItemSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { badgeFor, pageLabel } from '../logic/items';
import { columnsFor } from '../logic/page-cache';
import { gridMove } from '../logic/grid-keys';

const CARD_W = 168;
const CARD_H = 200;
const GAP = 12;

/**
 * Every page of the batch as a thumbnail card. Rows are virtualized (only the rows in view
 * exist in the DOM) and items are fetched in blocks as rows come into view, so 10,000 pages
 * cost the same as 100.
 */
export function ThumbGrid(props: {
  total: number;
  version: number;
  itemAt: (i: number) => ItemSummary | undefined;
  requestRange: (first: number, last: number) => void;
  onOpen: (index: number) => void;
}) {
  const { client, t } = useApp();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const cols = columnsFor(width - 2 * GAP, CARD_W, GAP);
  const rows = Math.ceil(props.total / cols);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_H + GAP,
    overscan: 3,
    // Let React batch scroll updates instead of rendering synchronously inside each scroll event.
    useFlushSync: false,
  });
  const vrows = virtualizer.getVirtualItems();
  const firstRow = vrows[0]?.index ?? 0;
  const lastRow = vrows[vrows.length - 1]?.index ?? 0;
  const { requestRange } = props;

  useEffect(() => {
    requestRange(firstRow * cols, (lastRow + 1) * cols - 1);
  }, [firstRow, lastRow, cols, requestRange, props.total]);

  return (
    <div
      className="grid-scroll"
      ref={scrollRef}
      data-testid="grid"
      tabIndex={-1}
      onKeyDown={(e) => {
        // Arrow keys move between cards; the focused card opens with Enter or Space.
        const el = e.target as HTMLElement;
        const at = Number(el.dataset.index ?? -1);
        if (at < 0) return;
        const perScreen = cols * Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / (CARD_H + GAP)));
        const next = gridMove(e.key, at, props.total, cols, perScreen);
        if (next === null || next === at) return;
        e.preventDefault();
        virtualizer.scrollToIndex(Math.floor(next / cols), { align: 'auto' });
        const focus = (tries: number) => {
          const card = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`);
          if (card) card.focus();
          else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
        };
        requestAnimationFrame(() => focus(10));
      }}
    >
      <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }} role="list" aria-label={t('grid.pages', { count: props.total })}>
        {vrows.map((row) => (
          <div key={row.key} className="grid-row" style={{ transform: `translateY(${row.start}px)`, height: CARD_H, gap: GAP, paddingInline: GAP }}>
            {Array.from({ length: cols }, (_, c) => {
              const index = row.index * cols + c;
              if (index >= props.total) return null;
              const item = props.itemAt(index);
              return <Card key={index} index={index} item={item} url={item ? client.mediaUrl('thumb', item.id) : null} onOpen={props.onOpen} />;
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Memoized: while scrolling only the cards of rows entering the view render. */
const Card = memo(function Card(props: { index: number; item: ItemSummary | undefined; url: string | null; onOpen: (i: number) => void }) {
  const { t } = useApp();
  const { item } = props;
  if (!item) {
    return <div className="card placeholder" role="listitem" aria-busy="true" style={{ width: CARD_W }} />;
  }
  const badge = badgeFor(item);
  const label = pageLabel(item);
  const badgeText = t(badge.label, { count: badge.count ?? 0 });
  return (
    <div role="listitem" style={{ width: CARD_W }}>
      <button
        type="button"
        className="card"
        data-testid="card"
        data-item-id={item.id}
        data-index={props.index}
        data-badge={badge.kind}
        onClick={() => props.onOpen(props.index)}
        title={item.error ? `${label}\n${item.error.message}` : label}
        aria-label={`${label}: ${badgeText}`}
      >
        {/* A CSS background, not an <img>: Chromium re-prioritises every <img> on each layout,
            which cost more than anything else while scrolling (bench/ui.ts); and a page the host
            cannot preview keeps its empty frame rather than a broken-image icon. */}
        <span className="thumb" style={props.url && item.status !== 'skipped' ? { backgroundImage: `url("${props.url}")` } : undefined} />
        <span className="card-name">{label}</span>
        <span className={`badge badge-${badge.kind}`}>{badgeText}</span>
      </button>
    </div>
  );
});
