import type { AppError } from './errors';
import type { EnginePlan } from './engines';
import type { StoredDetection } from './detection';

export type BatchStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'done';

/** Item life cycle. `skipped` is for things intake listed but will not decode (non-images). */
export type ItemStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface BatchCounts {
  total: number;
  pending: number;
  done: number;
  failed: number;
  cancelled: number;
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
}
