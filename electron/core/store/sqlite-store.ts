import type { AppError } from '../../../shared/errors';
import type { BatchStatus, ItemDetail } from '../../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../../shared/detection';
import type { EngineId, EnginePlan } from '../../../shared/engines';
import { ScanError } from '../errors';
import type { ExportItem } from '../export/types';
import type { IntakeItem, SkippedEntry } from '../intake/types';
import { nextStatus, ruleFor, type Effect } from '../batch-lifecycle';
import {
  blockEngine,
  blockMissingEngine,
  claim,
  enqueue,
  failFinal,
  finish,
  leaseOwners,
  nextAvailableAt,
  pendingEngines,
  release,
  renewLease,
  startDecode,
  requeueLost,
  scheduleRetry,
  type ClaimedJob,
  type Fence,
} from '../queue/jobs';
import {
  cancelWaiting,
  enqueueRerun,
  failBlocked,
  jobActivity,
  nothingToRerun,
  readablePages,
  requeueFailed,
  unblock,
} from './batch-jobs';
import { findCached, type CacheKey, type Outcome } from './results';
import type { ItemQuery } from '../service-types';
import {
  batchRow,
  deleteBatchRows,
  getBatch,
  insertBatchRow,
  insertItem,
  insertSkipped,
  listBatches,
  reviveItem,
  setBatchStatus,
  setItemError,
  unreadItems,
} from './batches';
import { openDatabase, openReadonly, type Db } from './db';
import { exportItems } from './export-items';
import { batchHeldOpen } from './hot-folders';
import { intakeKnown, intakeOpen, setIntake, takeIntake, unfinishedIntakes, type IntakeKnown, type UnfinishedIntake } from './intake-state';
import { listIgnored } from './ignored';
import { batchSymbologies, bulkReview, restoreReviews, type BulkScope, type ReviewBefore } from './bulk-review';
import { getItem, itemFile, listItems, reviewDetection } from './items';
import { codeFacets, itemPosition, listCodes } from './code-table';
import type { CodeQuery } from '../../../shared/code-table';
import { addManualDetection, removeManualDetection, setCheckedNoCode, type ManualCode } from './manual';
import { getRules, insertRules } from './rules';
import { setRules, type RulesChange } from './rules-set';
import type { BatchRules } from '../../../shared/rules/types';
import type { BatchChange, BatchChangeResult, NewBatch, Store, UnreadItem } from './store';
import { sqliteBatchData, type BatchData } from './batch-data';
import { sqliteHotFolders, type HotFolderStore } from './hot-folder-store';
import { batchUsage, billableOnDay, recordVendorCall, usageSummary } from './usage';
import type { VendorCall } from '../usage/meter';
import type { ResultImage } from '../engines/engine';
import { detectionImage } from './result-images';
import type { BatchUsage, UsageSummary } from '../../../shared/usage';

/**
 * The embedded store: one SQLite file per profile (better-sqlite3, synchronous). Each method
 * runs its statements at once, inside one immediate transaction where it writes, and answers a
 * settled promise: one writer at a time, so every transaction behaves as if serial. Leases and
 * backoff use this process's clock (every process sharing the file runs on the same machine).
 */
export class SqliteStore implements Store {
  private constructor(
    readonly db: Db,
    private readonly path: string,
    private readonly now: () => number,
  ) {}

  /** Opens (creating and migrating if needed) the profile's SQLite file. */
  static open(path: string, options: { now?: () => number } = {}): SqliteStore {
    return new SqliteStore(openDatabase(path), path, options.now ?? Date.now);
  }

  /** What documents and reconciliation read and write beside the queue (store/batch-data.ts). */
  get batchData(): BatchData {
    this.data ??= sqliteBatchData(this.db, () => openReadonly(this.path), (id) => batchRow(this.db, id).name);
    return this.data;
  }

  private data: BatchData | undefined;

  /** Hot folders and their files (store/hot-folder-store.ts), heartbeats on this process's clock. */
  get hotFolders(): HotFolderStore {
    this.folders ??= sqliteHotFolders(this.db, this.now);
    return this.folders;
  }

  private folders: HotFolderStore | undefined;

  async createBatch(input: NewBatch): Promise<number> {
    const db = this.db;
    return db
      .transaction(() => {
        const id = insertBatchRow(db, input.name, input.plan, input.createdAt);
        insertRules(db, id, input.rules);
        this.insertItems(id, input.plan, input.items, input.skipped);
        if (input.intake) setIntake(db, id, input.intake);
        return id;
      })
      .immediate();
  }

  async addItems(batchId: number, items: IntakeItem[], skipped: SkippedEntry[] = []): Promise<{ itemIds: number[] }> {
    const db = this.db;
    return db
      .transaction(() => {
        const row = batchRow(db, batchId);
        ruleFor(batchId, row.status, 'addItems');
        const plan = JSON.parse(row.plan_json) as EnginePlan;
        const { itemIds, runnable } = this.insertItems(batchId, plan, items, skipped);
        const next = nextStatus(row.status, 'addItems', { count: runnable });
        if (next !== row.status) setBatchStatus(db, batchId, next);
        return { itemIds };
      })
      .immediate();
  }

  async finishIntake(batchId: number): Promise<void> {
    setIntake(this.db, batchId, null);
  }

  async unfinishedIntakes(): Promise<UnfinishedIntake[]> {
    return unfinishedIntakes(this.db);
  }

  async takeIntake(batchId: number, from: string, to: string): Promise<boolean> {
    return this.db.transaction(() => takeIntake(this.db, batchId, from, to)).immediate();
  }

  async intakeKnown(batchId: number): Promise<IntakeKnown> {
    return intakeKnown(this.db, batchId);
  }

  private insertItems(batchId: number, plan: EnginePlan, items: IntakeItem[], skipped: SkippedEntry[]): { itemIds: number[]; runnable: number } {
    const itemIds: number[] = [];
    let n = 0;
    for (const it of items) {
      const { id: itemId, runnable } = insertItem(this.db, batchId, it);
      itemIds.push(itemId);
      if (runnable) {
        enqueue(this.db, { batchId, itemId, engine: plan.engine, task: plan.task, role: 'primary' });
        n++;
      }
    }
    for (const s of skipped) insertSkipped(this.db, batchId, s);
    return { itemIds, runnable: n };
  }

  async listBatches() {
    return listBatches(this.db);
  }

  async runningBatchIds(): Promise<number[]> {
    return (this.db.prepare(`SELECT id FROM batches WHERE status = 'running' ORDER BY id`).all() as Array<{ id: number }>).map((r) => r.id);
  }

  async getBatch(batchId: number) {
    return getBatch(this.db, batchId);
  }

  async batchState(batchId: number): Promise<{ status: BatchStatus; plan: EnginePlan }> {
    const row = batchRow(this.db, batchId);
    return { status: row.status, plan: JSON.parse(row.plan_json) as EnginePlan };
  }

  async listItems(batchId: number, query?: ItemQuery) {
    batchRow(this.db, batchId);
    return listItems(this.db, batchId, query);
  }

  async getItem(itemId: number) {
    return getItem(this.db, itemId);
  }

  async itemFile(itemId: number) {
    return itemFile(this.db, itemId);
  }

  async reviewDetection(detectionId: number, change: { review?: ReviewStatus; correctedText?: string | null }) {
    return reviewDetection(this.db, detectionId, change);
  }

  /**
   * On its own read-only connection: the row cursor stays open across the writer's awaits (on
   * the writer's connection it would block every write with "connection is busy").
   */
  async *exportItems(batchId: number): AsyncGenerator<ExportItem> {
    const ro = openReadonly(this.path);
    try {
      yield* exportItems(ro, batchId);
    } finally {
      ro.close();
    }
  }

  async deleteBatch(batchId: number): Promise<void> {
    deleteBatchRows(this.db, batchId);
  }

  async changeBatch(batchId: number, change: BatchChange): Promise<BatchChangeResult> {
    const db = this.db;
    return db
      .transaction((): BatchChangeResult => {
        const status = batchRow(db, batchId).status;
        const nothing: BatchChangeResult = { status, changed: false, count: 0, unread: [] };
        if (!ruleFor(batchId, status, change.action).run) return nothing;
        const { effect, unread } = this.effect(batchId, status, change);
        const next = nextStatus(status, change.action, effect);
        if (next !== status) setBatchStatus(db, batchId, next);
        return { status: next, changed: next !== status, count: effect.count, unread };
      })
      .immediate();
  }

  /** What each action does to the batch's jobs (inside changeBatch's transaction). */
  private effect(batchId: number, status: BatchStatus, change: BatchChange): { effect: Effect; unread: UnreadItem[] } {
    const db = this.db;
    const now = this.now();
    switch (change.action) {
      case 'pause':
        return { effect: { count: 0 }, unread: [] };
      case 'resume':
        return { effect: { count: unblock(db, batchId) }, unread: [] };
      case 'cancel':
        // Waiting jobs are cancelled; jobs being decoded finish and keep their result.
        return { effect: { count: cancelWaiting(db, batchId, now) }, unread: [] };
      case 'finishWithoutStopped':
        return { effect: { count: failBlocked(db, batchId, now), activity: jobActivity(db, batchId) }, unread: [] };
      case 'rerun': {
        const n = enqueueRerun(db, batchId, change.plan);
        // Nothing to run: say why, and leave the batch as it was (the plan change rolls back).
        if (n === 0) throw new ScanError('NOTHING_TO_DO', nothingToRerun(readablePages(db, batchId), change.plan));
        return { effect: { count: n }, unread: [] };
      }
      case 'retryFailed': {
        const unread = unreadItems(db, batchId);
        return { effect: { count: requeueFailed(db, batchId) + unread.length }, unread };
      }
      case 'settle':
        // A hot folder's batch stays open while its folder is watched (store/hot-folders.ts), and
        // any batch while intake still adds its pages (store/intake-state.ts).
        if (change.holdOpen || batchHeldOpen(db, batchId) || intakeOpen(db, batchId)) return { effect: { count: 0 }, unread: [] };
        return { effect: { count: 0, activity: jobActivity(db, batchId) }, unread: [] };
      default:
        throw new ScanError('INTERNAL', `Unknown batch action on batch ${batchId} (${status}).`);
    }
  }

  async reviveItems(
    batchId: number,
    revived: Array<{ itemId: number; item: IntakeItem }>,
    errors: Array<{ itemId: number; error: AppError }>,
  ): Promise<void> {
    const plan = JSON.parse(batchRow(this.db, batchId).plan_json) as EnginePlan;
    this.db.transaction(() => {
      for (const e of errors) setItemError(this.db, e.itemId, e.error);
      for (const r of revived) {
        if (reviveItem(this.db, r.itemId, r.item)) {
          enqueue(this.db, { batchId, itemId: r.itemId, engine: plan.engine, task: plan.task, role: 'primary' });
        }
      }
    })();
  }

  async claim(engine: EngineId, lease: { leaseMs: number; owner: string }): Promise<ClaimedJob | null> {
    return claim(this.db, engine, { now: this.now(), leaseMs: lease.leaseMs, owner: lease.owner });
  }

  async renewLease(fence: Fence, leaseMs: number): Promise<boolean> {
    return renewLease(this.db, fence, this.now() + leaseMs);
  }

  async startDecode(fence: Fence): Promise<boolean> {
    return startDecode(this.db, fence);
  }

  async finish(job: ClaimedJob, outcome: Outcome, key: CacheKey) {
    return finish(this.db, job, outcome, key, this.now());
  }

  async failFinal(job: Fence & { itemId: number }, error: AppError): Promise<boolean> {
    return failFinal(this.db, job, error, this.now());
  }

  async scheduleRetry(job: Fence & { itemId: number }, error: AppError, delayMs: number): Promise<boolean> {
    const now = this.now();
    return scheduleRetry(this.db, job, error, now + delayMs, now);
  }

  async blockEngine(job: Fence & { itemId: number; batchId: number; engine: string }, error: AppError, optionsKey: string): Promise<boolean> {
    return blockEngine(this.db, job, error, this.now(), optionsKey);
  }

  async blockMissingEngine(batchId: number, engine: string, error: AppError): Promise<number> {
    return blockMissingEngine(this.db, batchId, engine, error);
  }

  async release(job: Fence & { itemId: number }): Promise<boolean> {
    return release(this.db, job, this.now());
  }

  async requeueLost(deadOwners: string[] = []): Promise<number> {
    return requeueLost(this.db, this.now(), deadOwners);
  }

  async leaseOwners(): Promise<string[]> {
    return leaseOwners(this.db);
  }

  async pendingEngines(): Promise<Array<{ batchId: number; engine: string }>> {
    return pendingEngines(this.db).map((r) => ({ batchId: r.batch_id, engine: r.engine }));
  }

  async msUntilAvailable(engine: EngineId): Promise<number | null> {
    const at = nextAvailableAt(this.db, engine);
    return at === null ? null : Math.max(0, at - this.now());
  }

  async findCached(key: CacheKey): Promise<number | null> {
    return findCached(this.db, key);
  }

  async listIgnored(batchId: number, offset: number, limit: number) {
    batchRow(this.db, batchId);
    return listIgnored(this.db, batchId, offset, limit);
  }

  async bulkReview(batchId: number, scope: BulkScope, review: ReviewStatus): Promise<ReviewBefore[]> {
    batchRow(this.db, batchId);
    return bulkReview(this.db, batchId, scope, review);
  }

  async restoreReviews(list: ReviewBefore[]): Promise<number> {
    return restoreReviews(this.db, list);
  }

  async batchSymbologies(batchId: number) {
    batchRow(this.db, batchId);
    return batchSymbologies(this.db, batchId);
  }

  async listCodes(batchId: number, query?: CodeQuery) {
    batchRow(this.db, batchId);
    return listCodes(this.db, batchId, query);
  }

  async codeFacets(batchId: number) {
    batchRow(this.db, batchId);
    return codeFacets(this.db, batchId);
  }

  async itemPosition(batchId: number, itemId: number) {
    return itemPosition(this.db, batchId, itemId);
  }

  async addManualDetection(itemId: number, code: ManualCode): Promise<StoredDetection> {
    return addManualDetection(this.db, itemId, code);
  }

  async removeManualDetection(detectionId: number): Promise<number> {
    return removeManualDetection(this.db, detectionId);
  }

  async setCheckedNoCode(itemId: number, checked: boolean): Promise<ItemDetail> {
    return setCheckedNoCode(this.db, itemId, checked);
  }

  async getRules(batchId: number): Promise<BatchRules | null> {
    return getRules(this.db, batchId);
  }

  async setRules(batchId: number, rules: BatchRules | null): Promise<RulesChange> {
    return setRules(this.db, batchId, rules);
  }

  async recordVendorCall(call: VendorCall, batchId: number | null): Promise<void> {
    recordVendorCall(this.db, call, batchId);
  }

  async usageSummary(): Promise<UsageSummary> {
    return usageSummary(this.db, this.now());
  }

  async batchUsage(batchId: number): Promise<BatchUsage> {
    return batchUsage(this.db, batchId);
  }

  async detectionImage(detectionId: number, kind: ResultImage['kind']): Promise<Omit<ResultImage, 'kind'> | null> {
    return detectionImage(this.db, detectionId, kind);
  }

  async billableOnDay(q: { vendor: string; operation: string; day: string; account: string | null }): Promise<number> {
    return billableOnDay(this.db, q);
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      this.db.pragma('optimize'); // keeps the query planner's statistics fresh, cheap on close
    } catch {
      // locked by another process: next time
    }
    this.db.close();
  }
}
