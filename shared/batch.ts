import type { AppError } from './errors';
import type { EnginePlan } from './engines';
import type { StoredDetection } from './detection';
import type { PageRuleVerdict } from './rules/types';

export type BatchStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'done';

/** Item life cycle. `skipped` is for things intake listed but will not decode (non-images). */
export type ItemStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface BatchCounts {
  /** Pages (files intake ignored are not pages: see `skipped`). */
  total: number;
  pending: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Files intake listed but ignored (not images, duplicates...): not pages, not in `total`. */
  skipped: number;
  /** Number of detections found so far in the batch. */
  codes: number;
}

export interface BatchSummary {
  id: number;
  name: string;
  createdAt: string; // ISO 8601
  status: BatchStatus;
  plan: EnginePlan;
  counts: BatchCounts;
  /** Engines stopped for this batch (key refused, quota used up), each with its waiting pages. */
  stopped: StoppedEngine[];
  /** Every engine that ran (or waits to run) on the batch's pages, in the order first used. */
  engines: string[];
  /**
   * Intake is still reading the batch's files: more pages join it (the total grows) and it
   * does not finish before they are all in. Absent once every page is known.
   */
  expanding?: true;
}

/**
 * An engine that stopped for a batch: its pages wait until the user tries it again (after
 * fixing the key, say) or finishes the batch without it.
 */
export interface StoppedEngine {
  engine: string;
  /** Why it stopped (the error that stopped it). */
  code: string;
  message: string;
  /** Pages waiting for it. */
  pages: number;
}

export interface ItemSummary {
  id: number;
  batchId: number;
  path: string; // absolute
  page: number; // 1-based page of a multi-page TIFF/PDF, 1 otherwise
  pageCount: number;
  status: ItemStatus;
  error: AppError | null;
  detectionCount: number;
  /** Detections on the page not yet accepted or rejected. */
  reviewPending: number;
  /** A reviewer looked at the page and marked it "checked, no code here". */
  checkedNoCode: boolean;
  /** The batch's review rules on this page (breaks > 0: flagged); absent when the batch has none or the page is not read yet. */
  rule?: PageRuleVerdict;
  width: number | null; // oriented page size, once known
  height: number | null;
}

export interface ItemDetail extends ItemSummary {
  detections: StoredDetection[];
}

/** Emitted (throttled) while a batch runs. */
export interface BatchProgress {
  batchId: number;
  status: BatchStatus;
  counts: BatchCounts;
  /** Intake still adds pages: the total grows (BatchSummary.expanding). */
  expanding?: true;
}

/**
 * What a person reads as the batch's state: a settled batch whose every page failed is
 * "failed", one with some failed pages "done-with-errors" (never a green "Done" over a batch
 * that read nothing); otherwise its status.
 */
export type BatchOutcome = BatchStatus | 'failed' | 'done-with-errors';

export function batchOutcome(b: Pick<BatchSummary, 'status' | 'counts'>): BatchOutcome {
  const c = b.counts;
  if (b.status !== 'done' || c.failed === 0) return b.status;
  return c.done === 0 ? 'failed' : 'done-with-errors';
}

/** Pages no longer waiting (ignored files are not pages). */
export function settledPages(c: BatchCounts): number {
  return c.done + c.failed + c.cancelled;
}
