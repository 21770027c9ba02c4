import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ItemSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { errorText } from '../logic/error-text';
import { badgeFor, pageLabel, reviewState } from '../logic/items';
import { columnsFor } from '../logic/page-cache';
import { gridMove } from '../logic/grid-keys';
import { ScrollPace } from '../logic/scroll-pace';

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
  // Read by each card's thumbnail when it is about to ask for its image (never rendered from).
  const [pace] = useState(() => new ScrollPace(eagerThumbnails() ? Infinity : undefined));

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    // Thumbnails held back during a fling are asked for once it is over: checked while any wait.
    let check: ReturnType<typeof setTimeout> | undefined;
    const releaseLater = () => {
      check = setTimeout(() => {
        check = undefined;
        if (!pace.release(performance.now()) || pace.waitingCount > 0) releaseLater();
      }, SETTLE_MS);
    };
    const onScroll = () => {
      pace.note(el.scrollTop, performance.now());
      if (check === undefined) releaseLater();
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
      clearTimeout(check);
    };
  }, [pace]);

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
              return <Card key={index} index={index} item={item} url={item ? client.mediaUrl('thumb', item.id) : null} pace={pace} onOpen={props.onOpen} />;
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * For bench/ui.ts only: localStorage `scandesk.bench.eagerThumbnails` = '1' asks for thumbnails
 * even during a fling (the behaviour before ScrollPace), so the benchmark can measure the two
 * side by side in one run. Read once per grid.
 */
function eagerThumbnails(): boolean {
  try {
    return localStorage.getItem('scandesk.bench.eagerThumbnails') === '1';
  } catch {
    return false;
  }
}

/** Memoized: while scrolling only the cards of rows entering the view render. */
const Card = memo(function Card(props: { index: number; item: ItemSummary | undefined; url: string | null; pace: ScrollPace; onOpen: (i: number) => void }) {
  const { t, locale } = useApp();
  const { item } = props;
  if (!item) {
    return <div className="card placeholder" role="listitem" aria-busy="true" style={{ width: CARD_W }} />;
  }
  const badge = badgeFor(item);
  const review = reviewState(item);
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
        data-review={review}
        data-rule={item.rule ? (item.rule.breaks > 0 ? 'break' : 'pass') : undefined}
        onClick={() => props.onOpen(props.index)}
        title={item.error ? `${label}\n${errorText(item.error, t, locale)}` : label}
        aria-label={`${label}: ${badgeText}`}
      >
        <Thumb url={item.status === 'skipped' ? null : props.url} pace={props.pace} />
        <span className="card-name">{label}</span>
        <span className={`badge badge-${badge.kind}`}>{badgeText}</span>
        {item.rule && item.rule.breaks > 0 && (
          <span className="rule-mark" data-testid="card-rule-break" title={t('badge.rule')}>
            ⚠
          </span>
        )}
        {review !== 'none' && (
          <span className={`review-mark ${review}`} data-testid="card-review" title={t(`grid.review.${review}`, { count: item.reviewPending })}>
            {review === 'done' ? '✓' : item.reviewPending}
          </span>
        )}
      </button>
    </div>
  );
});

/** Thumbnails shown once: the browser holds them, so they show at once when scrolled back to. */
const shown = new Set<string>();
const SHOWN_LIMIT = 50_000;
/** How long a card stays mounted before its thumbnail is asked for. */
const SETTLE_MS = 120;

/**
 * A card's thumbnail, asked for once the card has stayed mounted for SETTLE_MS and the grid is
 * not being flung (ScrollPace; while it is, the card waits in pace.defer until the grid's check
 * finds the fling over). Flinging
 * through thousands of pages would otherwise have the host render (sharp: up to ~150 ms for a
 * large scan) a thumbnail for every page flown past (a card stays mounted ~300 ms at a fling,
 * so a timer alone does not hold them back), and the renderer request, decode and paint each;
 * the pages where the scroll stops would wait behind them. Rows mount three rows ahead of the
 * view (overscan), so at a reading pace a thumbnail is asked for before its row is on screen.
 *
 * A CSS background, not an <img>: Chromium re-prioritises every <img> on each layout, which
 * cost more than anything else while scrolling (bench/ui.ts); and a page the host cannot preview
 * keeps its empty frame rather than a broken-image icon.
 */
const Thumb = memo(function Thumb({ url, pace }: { url: string | null; pace: ScrollPace }) {
  const [, settled] = useState(0);
  useEffect(() => {
    if (url === null || shown.has(url)) return;
    const show = () => {
      if (shown.size >= SHOWN_LIMIT) shown.clear();
      shown.add(url);
      settled((n) => n + 1);
    };
    let cancel = () => {};
    const timer = setTimeout(() => {
      if (pace.flinging(performance.now())) cancel = pace.defer(show);
      else show();
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      cancel();
    };
  }, [url, pace]);
  const ready = url !== null && shown.has(url);
  return <span className="thumb" style={ready ? { backgroundImage: `url("${url}")` } : undefined} />;
});
