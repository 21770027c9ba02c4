import type { IntakeKnown, IntakeState, UnfinishedIntake } from './intake-state';
import type { AppError } from '../../../shared/errors';
import type { BatchStatus, BatchSummary, ItemDetail, ItemSummary } from '../../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../../shared/detection';
import type { EngineId, EnginePlan } from '../../../shared/engines';
import type { ExportItem } from '../export/types';
import type { IntakeItem, SkippedEntry } from '../intake/types';
import type { ClaimedJob, Fence, FinishOutcome } from '../queue/jobs';
import type { CacheKey, Outcome } from './results';
import type { ItemQuery } from '../service-types';
import type { BulkScope, ReviewBefore } from './bulk-review';
import type { ManualCode } from './manual';
import type { VendorCall } from '../usage/meter';
import type { SharedRateLimiter } from '../limits/shared-rate';
import type { ResultImage } from '../engines/engine';
import type { BatchUsage, UsageSummary } from '../../../shared/usage';
import type { CodeFacets, CodeQuery, CodeRow } from '../../../shared/code-table';
import type { BatchRules } from '../../../shared/rules/types';
import type { RulesChange } from './rules-set';
import type { BatchData } from './batch-data';
import type { HotFolderStore } from './hot-folder-store';
import type { ItemFile } from './items';

/**
 * The one asynchronous interface between the engine (ScanService, Runner) and where batches,
 * jobs and results live. Implementations: SqliteStore (store/sqlite-store.ts, the embedded
 * default, one file per profile). Every method is one transaction unless it says otherwise;
 * every time (leases, backoff) is the store's own clock, never the caller's, so several
 * processes on several machines agree.
 *
 * Adding an operation: declare it here, implement it in every store, and cover it in the store
 * contract tests.
 */
export interface Store {
  /** Documents' and reconciliation's per-batch data: separation rule, expected list, page values (store/batch-data.ts). */
  readonly batchData: BatchData;
  /** Hot folders and the files seen in them (store/hot-folder-store.ts). */
  readonly hotFolders: HotFolderStore;

  // ---- batches and their items (what the desks read and change)
  /** Batch, items and their first jobs in one transaction: from its commit on, the batch survives a crash. */
  createBatch(input: NewBatch): Promise<number>;
  /**
   * Adds pages to an existing batch (pages streamed in as a document is expanded, a hot folder's
   * new files): items and their jobs for the batch's current plan, in one transaction. A batch
   * that had settled (done) runs again; a cancelled one refuses them (INVALID_INPUT).
   */
  addItems(batchId: number, items: IntakeItem[], skipped?: SkippedEntry[]): Promise<{ itemIds: number[] }>;
  // ---- intake under way (store/intake-state.ts): a batch created with NewBatch.intake gets the
  // rest of its pages through addItems and does not settle until finishIntake.
  /** Every page of the batch is in: it may settle now. */
  finishIntake(batchId: number): Promise<void>;
  /** Batches whose intake has not finished, with the paths and the process adding them. */
  unfinishedIntakes(): Promise<UnfinishedIntake[]>;
  /** Takes over an intake whose process is gone; false when another process took it first or it finished. */
  takeIntake(batchId: number, from: string, to: string): Promise<boolean>;
  /** The pages and ignored files the batch has, for a taken-over intake to add only the rest. */
  intakeKnown(batchId: number): Promise<IntakeKnown>;
  listBatches(): Promise<BatchSummary[]>;
  /** Ids of the running batches (cheap: no counts), for a periodic sweep that settles idle ones. */
  runningBatchIds(): Promise<number[]>;
  /** NOT_FOUND when it does not exist. */
  getBatch(batchId: number): Promise<BatchSummary>;
  /** Status and plan only (cheaper than getBatch's counts). NOT_FOUND when it does not exist. */
  batchState(batchId: number): Promise<{ status: BatchStatus; plan: EnginePlan }>;
  listItems(batchId: number, query?: ItemQuery): Promise<{ total: number; items: ItemSummary[] }>;
  getItem(itemId: number): Promise<ItemDetail>;
  /** The file a page was read from (as submitted) and the sha256 of its bytes (null: intake could not read it). NOT_FOUND for no item. */
  itemFile(itemId: number): Promise<ItemFile>;
  reviewDetection(detectionId: number, change: { review?: ReviewStatus; correctedText?: string | null }): Promise<StoredDetection>;
  /** A batch's pages with their detections in intake order, streamed (constant memory). */
  exportItems(batchId: number): AsyncIterable<ExportItem>;
  deleteBatch(batchId: number): Promise<void>;
  /** Files intake ignored for the batch (not pages), each with the reason. NOT_FOUND for no batch. */
  listIgnored(batchId: number, offset: number, limit: number): Promise<{ total: number; files: Array<{ path: string; reason: string }> }>;
  /** One verdict for every open detection in the scope; answers them as they were (for Undo). */
  bulkReview(batchId: number, scope: BulkScope, review: ReviewStatus): Promise<ReviewBefore[]>;
  /** Undo: detections back as they were. Answers how many pages changed. */
  restoreReviews(list: ReviewBefore[]): Promise<number>;
  batchSymbologies(batchId: number): Promise<Array<{ symbology: string; total: number; pending: number }>>;
  /** The results table: one page of the batch's detections, each merged code once (store/code-table.ts). NOT_FOUND for no batch. */
  listCodes(batchId: number, query?: CodeQuery): Promise<{ total: number; rows: CodeRow[] }>;
  /** The symbologies and engines of a batch's detections. */
  codeFacets(batchId: number): Promise<CodeFacets>;
  /** Where a page sits among the batch's pages (unfiltered grid order). NOT_FOUND when it is not one. */
  itemPosition(batchId: number, itemId: number): Promise<{ index: number; total: number }>;
  /** A code a reviewer drew where no engine found one: stored as an accepted detection of engine 'manual' (store/manual.ts). */
  addManualDetection(itemId: number, code: ManualCode): Promise<StoredDetection>;
  /** Undo of addManualDetection; refuses an engine's detection. Answers its page id. */
  removeManualDetection(detectionId: number): Promise<number>;
  /** A reviewer's "checked, no code here" on a page (or its removal). */
  setCheckedNoCode(itemId: number, checked: boolean): Promise<ItemDetail>;
  /** A batch's review rules (null: none). NOT_FOUND is not raised: a missing batch has none. */
  getRules(batchId: number): Promise<BatchRules | null>;
  /** Sets (null or checking nothing: removes) a batch's review rules and judges its read pages again, accepting what passes if the rules say so. */
  setRules(batchId: number, rules: BatchRules | null): Promise<RulesChange>;

  // ---- batch life cycle (batch-lifecycle.ts: one table of status x action)
  /**
   * Applies one life-cycle action to a batch in one transaction: reads its status (locked
   * against other writers), refuses or ignores the action as the table says, runs the action's
   * effect on the jobs and moves the batch on. Safe when several processes act at once.
   */
  changeBatch(batchId: number, change: BatchChange): Promise<BatchChangeResult>;
  /** After reading unread pages again (retryFailed): the ones that now read get a job, the others their new error. */
  reviveItems(batchId: number, revived: Array<{ itemId: number; item: IntakeItem }>, errors: Array<{ itemId: number; error: AppError }>): Promise<void>;

  // ---- the job queue (fenced transitions; see queue/jobs.ts)
  /** The next runnable job of `engine` (running batches, backoff respected), leased to `owner`. */
  claim(engine: EngineId, lease: { leaseMs: number; owner: string }): Promise<ClaimedJob | null>;
  /** False when the lease was lost meanwhile. */
  renewLease(fence: Fence, leaseMs: number): Promise<boolean>;
  /**
   * The holder begins decoding (calls the engine): only from here does losing it count toward
   * the crash quarantine (queue/jobs.ts startDecode). False when the lease was lost meanwhile.
   */
  startDecode(fence: Fence): Promise<boolean>;
  finish(job: ClaimedJob, outcome: Outcome, key: CacheKey): Promise<FinishOutcome>;
  failFinal(job: Fence & { itemId: number }, error: AppError): Promise<boolean>;
  scheduleRetry(job: Fence & { itemId: number }, error: AppError, delayMs: number): Promise<boolean>;
  blockEngine(job: Fence & { itemId: number; batchId: number; engine: string }, error: AppError, optionsKey: string): Promise<boolean>;
  /** Blocks the waiting jobs of an engine this process does not have. Answers how many. */
  blockMissingEngine(batchId: number, engine: string, error: AppError): Promise<number>;
  /** Gives a job back untouched (closing, batch deleted): no attempt counted. */
  release(job: Fence & { itemId: number }): Promise<boolean>;
  /** Jobs whose lease expired, or whose holder is in `deadOwners`, go back to the queue. */
  requeueLost(deadOwners?: string[]): Promise<number>;
  /** Holders of running jobs (host:pid), to find the ones whose process is gone. */
  leaseOwners(): Promise<string[]>;
  /** Engines with waiting jobs in running batches. */
  pendingEngines(): Promise<Array<{ batchId: number; engine: string }>>;
  /** Milliseconds until the earliest backed-off job of `engine` becomes claimable (null: none waits). */
  msUntilAvailable(engine: EngineId): Promise<number | null>;
  /** A stored result to reuse instead of calling the engine (same bytes, page, engine, task, options). */
  findCached(key: CacheKey): Promise<number | null>;

  // ---- vendor usage (store/usage.ts)
  /** Counts one vendor call for its account and day, and for the batch it was made for (if any and still there). */
  recordVendorCall(call: VendorCall, batchId: number | null): Promise<void>;
  /** Today's and this month's usage (the vendors' calendar, UTC+8) per vendor, account and operation. */
  usageSummary(): Promise<UsageSummary>;
  batchUsage(batchId: number): Promise<BatchUsage>;
  /** An image kept with the result of a detection (IDCardOCR's card or portrait crop); null when there is none. */
  detectionImage(detectionId: number, kind: ResultImage['kind']): Promise<Omit<ResultImage, 'kind'> | null>;
  /** Billable calls of one operation on one vendor day (for one account, or all). */
  billableOnDay(q: { vendor: string; operation: string; day: string; account: string | null }): Promise<number>;

  /**
   * Optional (a shared queue): calls `work` when any process queued work, `batch` when a
   * batch's pages or status changed, until the returned function is called.
   */
  watch?(handlers: StoreEvents): Promise<() => Promise<void>>;
  /** Optional (a shared queue): vendor rate limits kept in the store, shared by every worker. */
  rateLimiter?(): SharedRateLimiter;

  close(): Promise<void>;
}

export interface StoreEvents {
  work(): void;
  batch(batchId: number): void;
}

export interface NewBatch {
  name: string;
  plan: EnginePlan;
  createdAt: string;
  items: IntakeItem[];
  skipped: SkippedEntry[];
  /** Review rules stored with the batch (shared/rules), before any of its pages is read. */
  rules?: BatchRules | null;
  /** More pages follow (intake still reads the paths, in process `owner`): the batch holds open until finishIntake. */
  intake?: IntakeState;
}

/** The life-cycle actions (batch-lifecycle.ts), with what each needs. */
export type BatchChange =
  | { action: 'pause' | 'resume' | 'cancel' | 'finishWithoutStopped' | 'retryFailed' }
  | { action: 'rerun'; plan: EnginePlan }
  /** `holdOpen`: its pages are still being read in this process (it must not settle yet). */
  | { action: 'settle'; holdOpen: boolean };

export interface BatchChangeResult {
  /** The batch's status after the action. */
  status: BatchStatus;
  /** The status changed. */
  changed: boolean;
  /** Jobs the action queued, settled or unblocked (0: nothing to do, or ignored in this status). */
  count: number;
  /** retryFailed: pages intake could not read, for the caller to read again (reviveItems). */
  unread: UnreadItem[];
}

export interface UnreadItem {
  id: number;
  path: string;
  page: number;
}
