import { settledPages, type BatchCounts, type ItemSummary } from '../../../shared/batch';
import type { MessageKey } from '../i18n/en';

/** The filters of the batch view, in the order the UI shows them (same names as the service). */
export const ITEM_FILTERS = ['all', 'with-codes', 'without-codes', 'errors', 'needs-review', 'rule-breaks'] as const;
export type ItemFilterName = (typeof ITEM_FILTERS)[number];

export function filterLabel(f: ItemFilterName): MessageKey {
  return `filter.${f}`;
}

export type BadgeKind = 'codes' | 'none' | 'error' | 'pending' | 'running' | 'skipped' | 'cancelled';

export interface Badge {
  kind: BadgeKind;
  label: MessageKey;
  count?: number;
}

/** What the small label on a thumbnail says about its page. */
export function badgeFor(item: Pick<ItemSummary, 'status' | 'detectionCount' | 'error'>): Badge {
  switch (item.status) {
    case 'failed':
      return { kind: 'error', label: 'badge.error' };
    case 'pending':
      return { kind: 'pending', label: 'badge.pending' };
    case 'running':
      return { kind: 'running', label: 'badge.running' };
    case 'skipped':
      return { kind: 'skipped', label: 'badge.skipped' };
    case 'cancelled':
      return { kind: 'cancelled', label: 'badge.cancelled' };
    case 'done':
      if (item.error) return { kind: 'error', label: 'badge.error' };
      if (item.detectionCount === 0) return { kind: 'none', label: 'badge.none' };
      return item.detectionCount === 1
        ? { kind: 'codes', label: 'badge.one', count: 1 }
        : { kind: 'codes', label: 'badge.codes', count: item.detectionCount };
  }
}

export function fileName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A page label: the file name, plus the page number for multi-page files. */
export function pageLabel(item: Pick<ItemSummary, 'path' | 'page' | 'pageCount'>): string {
  const name = fileName(item.path);
  return item.pageCount > 1 ? `${name} · p${item.page}/${item.pageCount}` : name;
}

export interface ProgressParts {
  /** Fractions 0..1 of the bar, in drawing order. */
  done: number;
  failed: number;
  finished: boolean;
  /** Pages no longer waiting (done + failed + cancelled). */
  settled: number;
}

export function progressParts(c: BatchCounts): ProgressParts {
  const settled = settledPages(c);
  if (c.total <= 0) return { done: 0, failed: 0, finished: true, settled };
  return {
    done: c.done / c.total,
    failed: (c.failed + c.cancelled) / c.total,
    finished: settled >= c.total,
    settled,
  };
}

/** Where a page's review stands: codes still open, all decided, or nothing to review. */
export function reviewState(item: Pick<ItemSummary, 'detectionCount' | 'reviewPending'> & { checkedNoCode?: boolean }): 'open' | 'done' | 'none' {
  // "Checked, no code here": a reviewer looked at the page, and it is done.
  if (item.detectionCount === 0) return item.checkedNoCode ? 'done' : 'none';
  return item.reviewPending > 0 ? 'open' : 'done';
}

/**
 * Pages per second and the time left while a batch runs, from progress samples (time in ms,
 * pages settled) over the last `windowMs`: a rate over a window follows a batch that speeds
 * up (results reused) or slows down (a vendor) better than one since the start. Null until
 * two samples some time apart exist.
 */
export function throughput(samples: ReadonlyArray<{ at: number; settled: number }>, total: number, windowMs = 30_000): { perSecond: number; etaSeconds: number } | null {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const first = samples.find((s) => s.at >= last.at - windowMs) ?? samples[0]!;
  const dt = (last.at - first.at) / 1000;
  const dn = last.settled - first.settled;
  if (dt < 1 || dn <= 0) return null;
  const perSecond = dn / dt;
  return { perSecond, etaSeconds: Math.max(0, (total - last.settled) / perSecond) };
}
