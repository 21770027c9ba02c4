import type { AppError } from '../../../shared/errors';
import type { BatchStatus } from '../../../shared/batch';
import type { ReviewStatus } from '../../../shared/detection';
import type { EngineId, EnginePlan } from '../../../shared/engines';
import { ScanError } from '../errors';
import type { ExportItem } from '../export/types';
import type { IntakeItem, SkippedEntry } from '../intake/types';
import {
  blockEngine,
  blockMissingEngine,
  cancelWaiting,
  claim,
  enqueue,
  failBlocked,
  failFinal,
  findCached,
  finish,
  jobActivity,
  leaseOwners,
  nextAvailableAt,
  pendingEngines,
  release,
  renewLease,
  requeueFailed,
  requeueLost,
  scheduleRetry,
  unblock,
  type CacheKey,
  type ClaimedJob,
  type Fence,
} from '../queue/jobs';
import { enqueueRerun, nothingToRerun } from '../rerun';
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
import { listIgnored } from './ignored';
import { batchSymbologies, bulkReview, restoreReviews, type BulkScope, type ReviewBefore } from './bulk-review';
import { getItem, listItems, reviewDetection } from './items';
import type { NewBatch, Store } from './store';
import type { BatchData } from '../batch-data';
import { batchUsage, billableOnDay, recordVendorCall, usageSummary } from './usage';
import type { VendorCall } from '../usage/meter';
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

  /** What documents and reconciliation (batch-data.ts) read and write beside the queue. */
  batchData(): BatchData {
    return { db: this.db, openReadonly: () => openReadonly(this.path), batchName: (id) => batchRow(this.db, id).name };
  }

  async createBatch(input: NewBatch): Promise<number> {
    const db = this.db;
    return db
      .transaction(() => {
        const id = insertBatchRow(db, input.name, input.plan, input.createdAt);
        this.insertItems(id, input.plan, input.items, input.skipped);
        return id;
      })
      .immediate();
  }

  async addItems(batchId: number, items: IntakeItem[], skipped: SkippedEntry[] = []): Promise<{ itemIds: number[] }> {
    const db = this.db;
    return db
      .transaction(() => {
        const row = batchRow(db, batchId);
        const plan = JSON.parse(row.plan_json) as EnginePlan;
        const { itemIds, runnable } = this.insertItems(batchId, plan, items, skipped);
        if (row.status === 'cancelled') cancelWaiting(db, batchId);
        else if (row.status === 'done' && runnable > 0) setBatchStatus(db, batchId, 'running');
        return { itemIds };
      })
      .immediate();
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

  async pauseBatch(batchId: number): Promise<boolean> {
    const row = batchRow(this.db, batchId);
    if (row.status !== 'running' && row.status !== 'queued') return false;
    setBatchStatus(this.db, batchId, 'paused');
    return true;
  }

  async resumeBatch(batchId: number): Promise<boolean> {
    const row = batchRow(this.db, batchId);
    if (row.status === 'cancelled') {
      throw new ScanError('INVALID_INPUT', `Batch ${batchId} was cancelled; retry its failed pages or start a new batch.`);
    }
    if (row.status !== 'paused' && row.status !== 'queued') return false;
    this.db.transaction(() => {
      unblock(this.db, batchId);
      setBatchStatus(this.db, batchId, 'running');
    })();
    return true;
  }

  async cancelBatch(batchId: number): Promise<boolean> {
    const row = batchRow(this.db, batchId);
    if (row.status === 'done' || row.status === 'cancelled') return false;
    // Waiting jobs are cancelled; jobs being decoded finish and keep their result.
    this.db.transaction(() => {
      setBatchStatus(this.db, batchId, 'cancelled');
      cancelWaiting(this.db, batchId);
    })();
    return true;
  }

  async finishWithoutStopped(batchId: number): Promise<number> {
    const row = batchRow(this.db, batchId);
    if (row.status === 'cancelled' || row.status === 'done') return 0;
    return this.db
      .transaction(() => {
        const n = failBlocked(this.db, batchId);
        const a = jobActivity(this.db, batchId);
        // Paused by the stop alone: nothing else waits, so settling makes it done.
        if (n > 0 && row.status === 'paused' && a.pending === 0 && a.running === 0) setBatchStatus(this.db, batchId, 'running');
        return n;
      })
      .immediate();
  }

  async rerunBatch(batchId: number, plan: EnginePlan): Promise<number> {
    const row = batchRow(this.db, batchId);
    if (row.status === 'running' || row.status === 'queued') {
      throw new ScanError('INVALID_INPUT', `Batch ${batchId} is still running: wait for it to finish (or pause it) before running it again.`);
    }
    return this.db
      .transaction(() => {
        const n = enqueueRerun(this.db, batchId, plan);
        // Nothing to run: say why, and leave the batch as it was (the plan change rolls back).
        if (n === 0) throw new ScanError('NOTHING_TO_DO', nothingToRerun(this.db, batchId, plan));
        setBatchStatus(this.db, batchId, 'running');
        return n;
      })
      .immediate();
  }

  async retryFailed(batchId: number) {
    batchRow(this.db, batchId);
    const unread = unreadItems(this.db, batchId);
    const requeued = this.db.transaction(() => {
      const count = requeueFailed(this.db, batchId);
      if (count > 0 || unread.length > 0) setBatchStatus(this.db, batchId, 'running');
      return count;
    })();
    return { requeued, unread };
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

  async settleIfIdle(batchId: number, holdOpen: boolean): Promise<{ status: BatchStatus; changed: boolean }> {
    const status = batchRow(this.db, batchId).status;
    // A hot folder's batch stays open while its folder is watched (store/hot-folders.ts).
    if (status !== 'running' || holdOpen || batchHeldOpen(this.db, batchId)) return { status, changed: false };
    const a = jobActivity(this.db, batchId);
    if (a.pending > 0 || a.running > 0) return { status, changed: false };
    const next = a.blocked > 0 ? 'paused' : 'done';
    setBatchStatus(this.db, batchId, next);
    return { status: next, changed: true };
  }

  async claim(engine: EngineId, lease: { leaseMs: number; owner: string }): Promise<ClaimedJob | null> {
    return claim(this.db, engine, { now: this.now(), leaseMs: lease.leaseMs, owner: lease.owner });
  }

  async renewLease(fence: Fence, leaseMs: number): Promise<boolean> {
    return renewLease(this.db, fence, this.now() + leaseMs);
  }

  async finish(job: ClaimedJob, outcome: Parameters<typeof finish>[2], key: CacheKey) {
    return finish(this.db, job, outcome, key, this.now());
  }

  async failFinal(job: Fence & { itemId: number }, error: AppError): Promise<boolean> {
    return failFinal(this.db, job, error, this.now());
  }

  async scheduleRetry(job: Fence & { itemId: number }, error: AppError, delayMs: number): Promise<boolean> {
    return scheduleRetry(this.db, job, error, this.now() + delayMs);
  }

  async blockEngine(job: Fence & { itemId: number; batchId: number; engine: string }, error: AppError, optionsKey: string): Promise<boolean> {
    return blockEngine(this.db, job, error, this.now(), optionsKey);
  }

  async blockMissingEngine(batchId: number, engine: string, error: AppError): Promise<number> {
    return blockMissingEngine(this.db, batchId, engine, error);
  }

  async release(job: Fence & { itemId: number }): Promise<boolean> {
    return release(this.db, job);
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

  async recordVendorCall(call: VendorCall, batchId: number | null): Promise<void> {
    recordVendorCall(this.db, call, batchId);
  }

  async usageSummary(): Promise<UsageSummary> {
    return usageSummary(this.db, this.now());
  }

  async batchUsage(batchId: number): Promise<BatchUsage> {
    return batchUsage(this.db, batchId);
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
