import type pg from 'pg';
import * as codeTable from './pg/code-table';
import type { CodeFacets, CodeQuery, CodeRow } from '../../../shared/code-table';
import type { AppError } from '../../../shared/errors';
import type { BatchStatus, BatchSummary, ItemDetail, ItemSummary } from '../../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../../shared/detection';
import type { EngineId, EnginePlan } from '../../../shared/engines';
import type { BatchUsage, UsageSummary } from '../../../shared/usage';
import { nextStatus, ruleFor, type Effect } from '../batch-lifecycle';
import { ScanError } from '../errors';
import type { ResultImage } from '../engines/engine';
import type { ExportItem } from '../export/types';
import type { IntakeItem, SkippedEntry } from '../intake/types';
import type { ClaimedJob, Fence, FinishOutcome } from '../queue/jobs';
import type { ItemQuery } from '../service-types';
import type { VendorCall } from '../usage/meter';
import type { BulkScope, ReviewBefore } from './bulk-review';
import { nothingToRerun } from './batch-jobs';
import * as batchJobs from './pg/batch-jobs';
import * as batches from './pg/batches';
import { pgBatchData } from './pg/batch-data';
import { batchHeldOpen, pgHotFolders } from './pg/hot-folders';
import type { HotFolderStore } from './hot-folder-store';
import type { BatchData } from './batch-data';
import { connectionError, openPool, transaction, type Queryable } from './pg/db';
import * as intake from './pg/intake-state';
import type { IntakeKnown, UnfinishedIntake } from './intake-state';
import * as items from './pg/items';
import type { ItemFile } from './items';
import * as manual from './pg/manual';
import * as rules from './pg/rules';
import { recountItem } from './pg/merge';
import type { RulesChange } from './rules-set';
import type { BatchRules } from '../../../shared/rules/types';
import type { ManualCode } from './manual';
import * as jobs from './pg/jobs';
import { migratePg } from './pg/migrations';
import { listen, notifyBatch, notifyWork, type QueueEvents } from './pg/notify';
import * as results from './pg/results';
import { queueStatus, type QueueStatus } from './pg/status';
import { pgRateLimiter } from './pg/rate-buckets';
import type { SharedRateLimiter } from '../limits/shared-rate';
import * as usage from './pg/usage';
import type { CacheKey, Outcome } from './results';
import type { BatchChange, BatchChangeResult, NewBatch, Store, UnreadItem } from './store';

/**
 * The shared queue: one PostgreSQL database (15 or newer) that several desks and headless
 * workers use at once. Same contract as SqliteStore; what differs is how it stays safe with
 * many writers: a claim skips rows another worker is taking (FOR UPDATE SKIP LOCKED), a batch's
 * life-cycle action locks its row (so two workers settling its last pages agree), and every
 * lease, backoff and available_at is the server's now(). Each method is one transaction on a
 * pooled connection; the statements are in store/pg/*, one module per SQLite counterpart.
 */
export class PgStore implements Store {
  /** Documents' and reconciliation's per-batch data (store/pg/batch-data.ts). */
  readonly batchData: BatchData;
  /** Hot folders and their files (store/pg/hot-folders.ts), heartbeats on the server's clock. */
  readonly hotFolders: HotFolderStore;

  private constructor(
    readonly pool: pg.Pool,
    readonly url: string,
  ) {
    this.batchData = pgBatchData(pool);
    this.hotFolders = pgHotFolders(pool);
  }

  /** Connects and creates or upgrades the schema (numbered migrations, store/pg/migrations). */
  static async open(url: string, options: { max?: number } = {}): Promise<PgStore> {
    const pool = openPool(url, options);
    try {
      await migratePg(pool);
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof ScanError) throw err;
      throw connectionError(url, err);
    }
    return new PgStore(pool, url);
  }

  private tx<T>(fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn);
  }

  /** A single statement (or a read that needs no transaction) on any pooled connection. */
  private get db(): Queryable {
    return this.pool;
  }

  createBatch(input: NewBatch): Promise<number> {
    return this.tx(async (db) => {
      const id = await batches.insertBatchRow(db, input.name, input.plan, input.createdAt);
      await rules.insertRules(db, id, input.rules);
      await batches.insertItems(db, id, input.plan, input.items, input.skipped);
      if (input.intake) await intake.setIntake(db, id, input.intake);
      await notifyWork(db);
      return id;
    });
  }

  addItems(batchId: number, list: IntakeItem[], skipped: SkippedEntry[] = []): Promise<{ itemIds: number[] }> {
    return this.tx(async (db) => {
      const row = await batches.batchRow(db, batchId, true);
      ruleFor(batchId, row.status, 'addItems');
      const plan = JSON.parse(row.plan_json) as EnginePlan;
      const { itemIds, runnable } = await batches.insertItems(db, batchId, plan, list, skipped);
      const next = nextStatus(row.status, 'addItems', { count: runnable });
      if (next !== row.status) await batches.setBatchStatus(db, batchId, next);
      if (runnable > 0) await notifyWork(db);
      await notifyBatch(db, batchId);
      return { itemIds };
    });
  }

  async finishIntake(batchId: number): Promise<void> {
    await this.tx(async (db) => {
      await intake.setIntake(db, batchId, null);
      await notifyBatch(db, batchId);
    });
  }

  unfinishedIntakes(): Promise<UnfinishedIntake[]> {
    return intake.unfinishedIntakes(this.db);
  }

  takeIntake(batchId: number, from: string, to: string): Promise<boolean> {
    return intake.takeIntake(this.db, batchId, from, to);
  }

  intakeKnown(batchId: number): Promise<IntakeKnown> {
    return intake.intakeKnown(this.db, batchId);
  }

  listBatches(): Promise<BatchSummary[]> {
    return this.tx((db) => batches.listBatches(db));
  }

  async runningBatchIds(): Promise<number[]> {
    return (await this.pool.query(`SELECT id FROM batches WHERE status = 'running' ORDER BY id`)).rows.map((r: { id: number }) => r.id);
  }

  getBatch(batchId: number): Promise<BatchSummary> {
    return this.tx((db) => batches.getBatch(db, batchId));
  }

  async batchState(batchId: number): Promise<{ status: BatchStatus; plan: EnginePlan }> {
    const row = await batches.batchRow(this.db, batchId);
    return { status: row.status, plan: JSON.parse(row.plan_json) as EnginePlan };
  }

  listItems(batchId: number, query?: ItemQuery): Promise<{ total: number; items: ItemSummary[] }> {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId);
      return items.listItems(db, batchId, query);
    });
  }

  getItem(itemId: number): Promise<ItemDetail> {
    return this.tx((db) => items.getItem(db, itemId));
  }

  itemFile(itemId: number): Promise<ItemFile> {
    return items.itemFile(this.pool, itemId);
  }

  reviewDetection(detectionId: number, change: { review?: ReviewStatus; correctedText?: string | null }): Promise<StoredDetection> {
    return this.tx((db) => items.reviewDetection(db, detectionId, change));
  }

  async *exportItems(batchId: number): AsyncGenerator<ExportItem> {
    await batches.batchRow(this.db, batchId);
    yield* items.exportItems(this.db, batchId);
  }

  deleteBatch(batchId: number): Promise<void> {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId, true);
      await db.query(`DELETE FROM batches WHERE id = $1`, [batchId]);
    });
  }

  listIgnored(batchId: number, offset: number, limit: number) {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId);
      return items.listIgnored(db, batchId, offset, limit);
    });
  }

  bulkReview(batchId: number, scope: BulkScope, review: ReviewStatus): Promise<ReviewBefore[]> {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId);
      return items.bulkReview(db, batchId, scope, review);
    });
  }

  restoreReviews(list: ReviewBefore[]): Promise<number> {
    return this.tx((db) => items.restoreReviews(db, list));
  }

  batchSymbologies(batchId: number) {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId);
      return items.batchSymbologies(db, batchId);
    });
  }

  listCodes(batchId: number, query?: CodeQuery): Promise<{ total: number; rows: CodeRow[] }> {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId);
      return codeTable.listCodes(db, batchId, query);
    });
  }

  codeFacets(batchId: number): Promise<CodeFacets> {
    return this.tx(async (db) => {
      await batches.batchRow(db, batchId);
      return codeTable.codeFacets(db, batchId);
    });
  }

  itemPosition(batchId: number, itemId: number): Promise<{ index: number; total: number }> {
    return this.tx((db) => codeTable.itemPosition(db, batchId, itemId));
  }

  addManualDetection(itemId: number, code: ManualCode): Promise<StoredDetection> {
    return this.tx((db) => manual.addManualDetection(db, itemId, code));
  }

  removeManualDetection(detectionId: number): Promise<number> {
    return this.tx((db) => manual.removeManualDetection(db, detectionId));
  }

  setCheckedNoCode(itemId: number, checked: boolean): Promise<ItemDetail> {
    return this.tx((db) => manual.setCheckedNoCode(db, itemId, checked));
  }

  getRules(batchId: number): Promise<BatchRules | null> {
    return rules.getRules(this.db, batchId);
  }

  setRules(batchId: number, next: BatchRules | null): Promise<RulesChange> {
    return this.tx((db) => rules.setRules(db, batchId, next, recountItem));
  }

  async changeBatch(batchId: number, change: BatchChange): Promise<BatchChangeResult> {
    if (change.action === 'settle' && !change.holdOpen) {
      // After every page: while the batch still has pages waiting or in flight, settling
      // changes nothing (rule 'settled'), and one unlocked look says so without taking the
      // batch row from the other workers. The last finisher's look, after its own commit,
      // sees every other finish committed or still running, so one of them settles it.
      const busy = await batches.stillBusy(this.db, batchId);
      if (busy) return { status: 'running', changed: false, count: 0, unread: [] };
    }
    return this.tx(async (db) => {
      // The batch row is locked until commit: two workers settling its last pages, or a desk
      // pausing it while a worker settles it, take turns and each sees the other's result.
      const status = (await batches.batchRow(db, batchId, true)).status;
      if (!ruleFor(batchId, status, change.action).run) return { status, changed: false, count: 0, unread: [] };
      const { effect, unread } = await this.effect(db, batchId, change);
      const next = nextStatus(status, change.action, effect);
      if (next !== status) await batches.setBatchStatus(db, batchId, next);
      if (next === 'running' && effect.count > 0) await notifyWork(db);
      if (next !== status || effect.count > 0) await notifyBatch(db, batchId);
      return { status: next, changed: next !== status, count: effect.count, unread };
    });
  }

  private async effect(db: Queryable, batchId: number, change: BatchChange): Promise<{ effect: Effect; unread: UnreadItem[] }> {
    switch (change.action) {
      case 'pause':
        return { effect: { count: 0 }, unread: [] };
      case 'resume':
        return { effect: { count: await batchJobs.unblock(db, batchId) }, unread: [] };
      case 'cancel':
        return { effect: { count: await batchJobs.cancelWaiting(db, batchId) }, unread: [] };
      case 'finishWithoutStopped': {
        const count = await batchJobs.failBlocked(db, batchId);
        return { effect: { count, activity: await batchJobs.jobActivity(db, batchId) }, unread: [] };
      }
      case 'rerun': {
        const n = await batchJobs.enqueueRerun(db, batchId, change.plan);
        if (n === 0) throw new ScanError('NOTHING_TO_DO', nothingToRerun(await batchJobs.readablePages(db, batchId), change.plan));
        return { effect: { count: n }, unread: [] };
      }
      case 'retryFailed': {
        const unread = await batches.unreadItems(db, batchId);
        return { effect: { count: (await batchJobs.requeueFailed(db, batchId)) + unread.length }, unread };
      }
      case 'settle':
        // Held while intake still adds the batch's pages (store/intake-state.ts), whichever process
        // reads them, and while a live watcher's hot folder feeds it (store/pg/hot-folders.ts).
        if (change.holdOpen || (await intake.intakeOpen(db, batchId)) || (await batchHeldOpen(db, batchId))) return { effect: { count: 0 }, unread: [] };
        return { effect: { count: 0, activity: await batchJobs.jobActivity(db, batchId) }, unread: [] };
      default:
        throw new ScanError('INTERNAL', `Unknown batch action on batch ${batchId}.`);
    }
  }

  reviveItems(batchId: number, revived: Array<{ itemId: number; item: IntakeItem }>, errors: Array<{ itemId: number; error: AppError }>): Promise<void> {
    return this.tx(async (db) => {
      const plan = JSON.parse((await batches.batchRow(db, batchId, true)).plan_json) as EnginePlan;
      for (const e of errors) await batches.setItemError(db, e.itemId, e.error);
      for (const r of revived) {
        if (await batches.reviveItem(db, r.itemId, r.item)) {
          await jobs.enqueue(db, { batchId, itemId: r.itemId, engine: plan.engine, task: plan.task, role: 'primary' });
        }
      }
      if (revived.length > 0) await notifyWork(db);
    });
  }

  /** One statement, atomic without a transaction around it (one round trip per claim). */
  claim(engine: EngineId, lease: { leaseMs: number; owner: string }): Promise<ClaimedJob | null> {
    return jobs.claim(this.db, engine, lease);
  }

  renewLease(fence: Fence, leaseMs: number): Promise<boolean> {
    return jobs.renewLease(this.db, fence, leaseMs);
  }

  startDecode(fence: Fence): Promise<boolean> {
    return jobs.startDecode(this.db, fence);
  }

  /**
   * One round trip for a page's first result (the function notifies the batch's desks, and
   * idle workers when it queued work); a page with other results, or a result with images,
   * in a transaction.
   */
  async finish(job: ClaimedJob, outcome: Outcome, key: CacheKey): Promise<FinishOutcome> {
    const once = await jobs.finish(this.db, job, outcome, key);
    if (once !== 'several') return once;
    return this.tx((db) => jobs.finishSeveral(db, job, outcome, key));
  }

  // A failed, retried or stopped job may leave identical pages free to claim (they waited for
  // it, scandesk_claim): idle workers are woken.
  failFinal(job: Fence & { itemId: number; batchId?: number }, error: AppError): Promise<boolean> {
    return this.tx(async (db) => {
      const ok = await jobs.failFinal(db, job, error);
      if (ok && job.batchId !== undefined) await notifyBatch(db, job.batchId);
      if (ok) await notifyWork(db);
      return ok;
    });
  }

  scheduleRetry(job: Fence & { itemId: number }, error: AppError, delayMs: number): Promise<boolean> {
    return this.tx(async (db) => {
      const ok = await jobs.scheduleRetry(db, job, error, delayMs);
      if (ok) await notifyWork(db);
      return ok;
    });
  }

  blockEngine(job: Fence & { itemId: number; batchId: number; engine: string }, error: AppError, optionsKey: string): Promise<boolean> {
    return this.tx(async (db) => {
      const ok = await jobs.blockEngine(db, job, error, optionsKey);
      if (ok) await notifyWork(db);
      return ok;
    });
  }

  blockMissingEngine(batchId: number, engine: string, error: AppError): Promise<number> {
    return jobs.blockMissingEngine(this.db, batchId, engine, error);
  }

  release(job: Fence & { itemId: number }): Promise<boolean> {
    return this.tx(async (db) => {
      const ok = await jobs.release(db, job);
      if (ok) await notifyWork(db);
      return ok;
    });
  }

  requeueLost(deadOwners: string[] = []): Promise<number> {
    return this.tx(async (db) => {
      const n = await jobs.requeueLost(db, deadOwners);
      if (n > 0) await notifyWork(db);
      return n;
    });
  }

  /** Vendor rate limits in the database, shared by every worker (store/pg/rate-buckets.ts). */
  rateLimiter(): SharedRateLimiter {
    return pgRateLimiter(this.pool);
  }

  /** Wake-ups from every process on this queue (LISTEN/NOTIFY, store/pg/notify.ts). */
  watch(handlers: QueueEvents): Promise<() => Promise<void>> {
    return listen(this.url, handlers);
  }

  leaseOwners(): Promise<string[]> {
    return jobs.leaseOwners(this.db);
  }

  pendingEngines(): Promise<Array<{ batchId: number; engine: string }>> {
    return jobs.pendingEngines(this.db);
  }

  msUntilAvailable(engine: EngineId): Promise<number | null> {
    return jobs.msUntilAvailable(this.db, engine);
  }

  findCached(key: CacheKey): Promise<number | null> {
    return results.findCached(this.db, key);
  }

  recordVendorCall(call: VendorCall, batchId: number | null): Promise<void> {
    return this.tx((db) => usage.recordVendorCall(db, call, batchId));
  }

  usageSummary(): Promise<UsageSummary> {
    return usage.usageSummary(this.db);
  }

  batchUsage(batchId: number): Promise<BatchUsage> {
    return usage.batchUsage(this.db, batchId);
  }

  detectionImage(detectionId: number, kind: ResultImage['kind']): Promise<Omit<ResultImage, 'kind'> | null> {
    return results.detectionImage(this.db, detectionId, kind);
  }

  /** A fact about the queue (queue_settings), or null. */
  async setting(key: 'blob_root'): Promise<string | null> {
    return (await this.pool.query(`SELECT value FROM queue_settings WHERE key = $1`, [key])).rows[0]?.value ?? null;
  }

  async setSetting(key: 'blob_root', value: string): Promise<void> {
    await this.pool.query(`INSERT INTO queue_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  /** Who holds pages and what waits per engine (`scandesk queue status`). */
  queueStatus(): Promise<QueueStatus> {
    return queueStatus(this.db);
  }

  billableOnDay(q: { vendor: string; operation: string; day: string; account: string | null }): Promise<number> {
    return usage.billableOnDay(this.db, q);
  }

  private closing: Promise<void> | null = null;

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
