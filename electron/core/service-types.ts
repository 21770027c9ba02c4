import type { BatchProgress, BatchSummary, ItemDetail, ItemSummary } from '../../shared/batch';
import type { CodeFacets, CodeQuery, CodeRow, RegionCode } from '../../shared/code-table';
import type { ReviewStatus, StoredDetection } from '../../shared/detection';
import type { EnginePlan } from '../../shared/engines';
import type { SkippedEntry } from './intake/types';
import type { ExportFormat, ExportOutcome } from './export/types';
import type { BulkScope, ReviewBefore } from './store/bulk-review';
import type { ManualCode } from './store/manual';
import type { DocumentsApi } from './documents/service';
import type { ReconciliationApi } from './reconcile/service';
import type { HotFoldersApi } from './hotfolder/service';
import type { BatchEstimate, BatchUsage, UsageSummary } from '../../shared/usage';
import type { BatchRules } from '../../shared/rules/types';
import type { RulesChange } from './store/rules-set';

/**
 * The engine as its drivers (CLI, browser host, Electron main) see it. One implementation
 * (electron/core/service.ts) over a Store (store/store.ts); every method is asynchronous and
 * safe to call at any time.
 */
export interface CreateBatchInput {
  paths: string[];
  name?: string;
  plan: EnginePlan;
  /** Review rules for the batch (shared/rules), stored before its first page is read. */
  rules?: BatchRules | null;
}

export type ItemFilter = 'all' | 'with-codes' | 'without-codes' | 'errors' | 'needs-review' | 'rule-breaks';

export interface ItemQuery {
  filter?: ItemFilter;
  /** Substring of a detection's value (decoded or corrected) or of the file name. */
  search?: string;
  offset?: number;
  limit?: number;
}

export interface ExportRequest {
  batchId: number;
  format: ExportFormat;
  path: string;
  acceptedOnly?: boolean;
  /** ID-card numbers in full (default: masked, as personal data). */
  revealPersonalData?: boolean;
  /** A file already named `path`: 'replace' it (default) or 'keep' it and write "name (2).ext". */
  existing?: 'replace' | 'keep';
}

export interface EstimateOptions {
  /** Fingerprint of the account each vendor would use now (usage/meter accountOf); default: every account. */
  account?: (vendor: string) => Promise<string | null>;
}

export interface Notice {
  batchId: number;
  engine: string;
  message: string;
}

export interface ScanServiceEvents {
  /** Throttled; always sent once more when a batch settles. */
  progress: (p: BatchProgress) => void;
  /** A batch was created, deleted, or changed status. */
  batches: () => void;
  /** Something to tell the user once (vendor stopped, operation offline...). */
  notice: (n: Notice) => void;
}

/**
 * A page's file, for showing it: `path` as submitted (what the page is called, in exports and
 * in the preview cache's names) and, on a shared queue with a blob store, the copy to read
 * instead, which must hash to `sha256` (another machine has no such `path`).
 */
export interface PageFile {
  path: string;
  page: number;
  blob?: { path: string; sha256: string };
}

export interface ScanService {
  createBatch(input: CreateBatchInput): Promise<{ batch: BatchSummary; skipped: SkippedEntry[] }>;
  listBatches(): Promise<BatchSummary[]>;
  getBatch(batchId: number): Promise<BatchSummary>;
  listItems(batchId: number, query?: ItemQuery): Promise<{ total: number; items: ItemSummary[] }>;
  getItem(itemId: number): Promise<ItemDetail>;
  /** Where a page's image is read for previews and thumbnails (api/media-cache.ts). NOT_FOUND for no item. */
  pageFile(itemId: number): Promise<PageFile>;
  /** Files intake ignored for the batch (not pages), each with the reason. */
  listIgnored(batchId: number, page?: { offset?: number; limit?: number }): Promise<{ total: number; files: Array<{ path: string; reason: string }> }>;
  pause(batchId: number): Promise<BatchSummary>;
  resume(batchId: number): Promise<BatchSummary>;
  cancel(batchId: number): Promise<BatchSummary>;
  /** Go on without the engines stopped for this batch: their waiting pages fail with the reason. */
  finishWithoutStopped(batchId: number): Promise<BatchSummary>;
  retryFailed(batchId: number): Promise<BatchSummary>;
  /**
   * Runs a finished (or paused, cancelled) batch again with another engine or task; each
   * page keeps every engine's detections, each named by its engine. Pages that engine already
   * did are not sent again. The batch's plan becomes `plan`.
   */
  rerun(batchId: number, plan: EnginePlan): Promise<BatchSummary>;
  deleteBatch(batchId: number): Promise<void>;
  reviewDetection(detectionId: number, change: { review?: ReviewStatus; correctedText?: string | null }): Promise<StoredDetection>;
  /** One verdict for every open detection in the scope; answers them as they were (for Undo). */
  bulkReview(batchId: number, scope: BulkScope, review: ReviewStatus): Promise<ReviewBefore[]>;
  /** Undo: detections back as they were. Answers how many pages changed. */
  restoreReviews(list: ReviewBefore[]): Promise<number>;
  batchSymbologies(batchId: number): Promise<Array<{ symbology: string; total: number; pending: number }>>;
  /** The results table: one page of the batch's detections (each merged code once) under its filters. */
  listCodes(batchId: number, query?: CodeQuery): Promise<{ total: number; rows: CodeRow[] }>;
  codeFacets(batchId: number): Promise<CodeFacets>;
  /** Where a page sits among the batch's pages, to open it in review. */
  itemPosition(batchId: number, itemId: number): Promise<{ index: number; total: number }>;
  /** The codes the local decoder reads inside a box drawn on a page (region-read.ts). */
  readRegion(itemId: number, box: { left: number; top: number; width: number; height: number }): Promise<RegionCode[]>;
  /** A code a reviewer drew where no engine found one (engine 'manual', accepted); answers the page as it is now. */
  addManualDetection(itemId: number, code: ManualCode): Promise<{ detection: StoredDetection; item: ItemDetail }>;
  /** Undo of addManualDetection (refuses an engine's detection); answers the page. */
  removeManualDetection(detectionId: number): Promise<ItemDetail>;
  /** A reviewer's "checked, no code here" on a page, or its removal; answers the page. */
  setCheckedNoCode(itemId: number, checked: boolean): Promise<ItemDetail>;
  /** A batch's review rules (null: none); NOT_FOUND for no batch. */
  getRules(batchId: number): Promise<BatchRules | null>;
  /**
   * Sets (null: removes) a batch's review rules; every read page is judged again and, with
   * autoAccept, its pending codes that now pass are accepted. Rules that check nothing are none.
   */
  setRules(batchId: number, rules: BatchRules | null): Promise<RulesChange>;
  exportBatch(req: ExportRequest): Promise<ExportOutcome>;
  /**
   * What a batch of these paths with this plan would send to each vendor (pages with a stored
   * result are not counted) and the daily quotas it would exceed; creates nothing.
   */
  estimateBatch(input: Omit<CreateBatchInput, 'name'>, options?: EstimateOptions): Promise<BatchEstimate>;
  /** Vendor calls today and this month (vendors' calendar, UTC+8), per vendor, account and operation. */
  usageSummary(): Promise<UsageSummary>;
  /** What one batch spent, per vendor and operation. */
  batchUsage(batchId: number): Promise<BatchUsage>;
  /**
   * An image kept with a detection's result: IDCardOCR's cropped card or portrait (personal
   * data: the UI asks for it only when the user chooses to see it). NOT_FOUND when there is none.
   */
  detectionImage(detectionId: number, kind: 'idcard' | 'portrait'): Promise<{ format: 'jpeg' | 'png' | 'bmp'; data: Buffer }>;
  /** Runs `fn` counting the vendor calls it makes (outside any batch: a connection test). */
  metered<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves when the batch has nothing left to run (done, paused or cancelled). */
  whenSettled(batchId: number): Promise<BatchSummary>;
  /** Resolves once intake has added every page it will add to the batch (submit, then exit). */
  whenIntakeDone(batchId: number): Promise<void>;
  /** A batch split into documents (rule, documents, one PDF per document). */
  readonly documents: DocumentsApi;
  /** A batch checked against an expected list. */
  readonly reconciliation: ReconciliationApi;
  /** Watched folders feeding continuous batches (the watching itself: hotfolder/watcher.ts). */
  readonly hotFolders: HotFoldersApi;
  /** Adds files to a batch (a hot folder's new files); a settled batch runs again, a cancelled one refuses. */
  addPaths(batchId: number, paths: string[]): Promise<{ items: number; skipped: SkippedEntry[] }>;
  on<E extends keyof ScanServiceEvents>(event: E, listener: ScanServiceEvents[E]): this;
  off<E extends keyof ScanServiceEvents>(event: E, listener: ScanServiceEvents[E]): this;
  /** Stops: pages in flight are given back untouched, or with `finishInFlight` (a worker told to stop) finished first. */
  close(options?: { finishInFlight?: boolean }): Promise<void>;
}
