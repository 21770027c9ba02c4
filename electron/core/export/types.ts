import type { AppError } from '../../../shared/errors';
import type { BatchSummary, ItemStatus } from '../../../shared/batch';
import type { Detection, ReviewStatus } from '../../../shared/detection';
import type { PageRuleVerdict, RuleVerdict } from '../../../shared/rules/types';
import type { DocumentSummary } from '../../../shared/documents';
import type { ExpectedListInfo, Reconciliation } from '../../../shared/reconciliation';
import type { ValueStanding } from '../reconcile/reconcile';

export type ExportFormat = 'xlsx' | 'csv' | 'json';

export interface ExportDetection extends Detection {
  review: ReviewStatus;
  correctedText: string | null;
  /** The batch's review rules on this code (absent: not judged). */
  rule?: RuleVerdict;
}

/** One page of a batch, with what was found on it, as the export writers read it. */
export interface ExportItem {
  /** The page's id in the store (absent in hand-made sources): how extras find their page. */
  itemId?: number;
  path: string; // absolute
  page: number;
  status: ItemStatus;
  error: AppError | null;
  detections: ExportDetection[];
  /** The batch's review rules on this page (absent: not judged). */
  rule?: PageRuleVerdict;
}

/**
 * What a writer needs. `items()` is iterated once, lazily, with `for await` (the store streams
 * its rows, from SQLite or PostgreSQL), so a batch of any size is written in constant memory.
 */
export interface ExportSource {
  batch: BatchSummary;
  items(): AsyncIterable<ExportItem> | Iterable<ExportItem>;
  /** Documents and reconciliation, when the batch has a separation rule or an expected list. */
  extras?: ExportExtras;
}

/**
 * Computed before the rows are written (export/extras.ts). Writers add: a document number per
 * page and a Documents table; a reconciliation standing per value and the reconciliation
 * itself (found, missing, unexpected, duplicates).
 */
export interface ExportExtras {
  documents?: {
    list: DocumentSummary[];
    placementOf(itemId: number): { document: number; separator: boolean } | null;
  };
  reconciliation?: {
    list: ExpectedListInfo;
    result: Reconciliation;
    standingOf(value: string): ValueStanding | null;
  };
}

export interface ExportOptions {
  /** Only detections a reviewer accepted. Pages are still all listed. */
  acceptedOnly?: boolean;
  /**
   * ID-card numbers (personal data) are masked ("440***********0014") unless this is true:
   * a caller who needs them in full has to ask for it.
   */
  revealPersonalData?: boolean;
  /**
   * What to do when a file has the target's name: 'replace' it (the user chose that very
   * file: the save dialog, the CLI's --out; the default) or 'keep' it and write "name (2).ext".
   */
  existing?: 'replace' | 'keep';
}

/**
 * What an export wrote, counted the same way whatever the format: every page of the batch is
 * listed in each (a page without codes too), and `codes` are the detections exported.
 */
export interface ExportOutcome {
  path: string;
  pages: number;
  codes: number;
}
