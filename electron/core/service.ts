import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { BatchStatus, BatchSummary, ItemDetail, ItemSummary } from '../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../shared/detection';
import type { EnginePlan } from '../../shared/engines';
import type { Engine } from './engines/engine';
import { ScanError } from './errors';
import type { IntakeResult } from './intake/types';
import { validatePlan } from './plan';
import { enqueueRerun, nothingToRerun } from './rerun';
import { DEFAULT_BACKOFF, type BackoffOptions } from './queue/backoff';
import { cancelWaiting, enqueue, failBlocked, jobActivity, leaseOwners, requeueFailed, requeueLost, unblock } from './queue/jobs';
import { Runner } from './queue/runner';
import { KeyedThrottle } from './queue/throttle';
import { defaultEngines, defaultIntake, defaultWriteExport, type WriteExport } from './service-defaults';
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
} from './store/batches';
import { openDatabase, openReadonly, type Db } from './store/db';
import { exportItems } from './store/export-items';
import { getItem, listItems, reviewDetection } from './store/items';
import { listIgnored } from './store/ignored';
import { batchSymbologies, bulkReview, restoreReviews, type BulkScope, type ReviewBefore } from './store/bulk-review';
import type { BatchData } from './batch-data';
import { documentsApi, type DocumentsApi } from './documents/service';
import { exportExtras } from './export/extras';
import type { ExportOutcome } from './export/types';
import { batchHeldOpen } from './store/hot-folders';
import { hotFoldersApi, type HotFoldersApi } from './hotfolder/service';
import { reconciliationApi, type ReconciliationApi } from './reconcile/service';
import type { CreateBatchInput, EstimateOptions, ExportRequest, ItemQuery, ScanService, ScanServiceEvents } from './service-types';
import { batchUsage, billableOnDay, recordVendorCall, usageSummary } from './store/usage';
import { estimateBatch } from './usage/estimate';
import { meterUsage, type UsageSink } from './usage/meter';
import { findCached } from './queue/jobs';
import type { BatchEstimate, BatchUsage, UsageSummary } from '../../shared/usage';

export interface ScanServiceOptions {
  /** The profile's SQLite file (created if missing). */
  dbPath: string;
  /** Default: the local engine and the cloud vendors (service-defaults.ts). Engines passed here are the caller's to close. */
  engines?: Engine[];
  /** Default: intake's expandPaths. */
  intake?: (paths: string[]) => Promise<IntakeResult>;
  /** Default: export's writeExport. */
  writeExport?: WriteExport;
  /** A claim lasts this long without a heartbeat (default 30 s): a crashed holder's jobs return after it. */
  leaseMs?: number;
  /** Engine calls per job that may end in a retry-class error (default 5). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** At most one progress event per batch per interval (default 100 ms, i.e. <= 10/s). */
  progressIntervalMs?: number;
  /** Jitter source (tests pass a seeded one). */
  random?: () => number;
}

const DEFAULT_LEASE_MS = 30_000;

/**
 * Opens the service over one SQLite file and resumes its unfinished batches (jobs held by a
 * process that is gone go back to the queue at once; others when their lease expires).
 *
 * Batch life cycle: `running` -> `done` when every job settled; -> `paused` by pause(), or by
 * itself when an engine was stopped (auth, quota, engine missing) and its pages wait: resume()
 * gives that engine another chance; -> `cancelled` by cancel() (waiting pages cancelled, pages
 * being decoded finish and are kept). retryFailed() re-runs failed pages, and reads the pages
 * intake could not read again (a file restored, a permission fixed). whenSettled resolves on
 * done, paused or cancelled once nothing of the batch is in flight in this process.
 */
export async function openScanService(options: ScanServiceOptions): Promise<ScanService> {
  const owned = options.engines ? [] : await defaultEngines({ dbPath: options.dbPath });
  const engines = options.engines ?? owned;
  const db = openDatabase(options.dbPath);
  return new SqliteScanService(db, options, engines, owned);
}

type Waiter = { resolve: (b: BatchSummary) => void; reject: (e: unknown) => void };

class SqliteScanService extends EventEmitter implements ScanService {
  private readonly runner: Runner;
  private readonly engineMap: Map<string, Engine>;
  private readonly throttle: KeyedThrottle<number>;
  private readonly waiters = new Map<number, Waiter[]>();
  /** Batches whose unreadable pages are being read again (retryFailed). */
  private readonly reading = new Map<number, Promise<void>>();
  private readonly intake: (paths: string[]) => Promise<IntakeResult>;
  private readonly writeExport: WriteExport | undefined;
  private readonly batchData: BatchData;
  readonly documents: DocumentsApi;
  readonly reconciliation: ReconciliationApi;
  readonly hotFolders: HotFoldersApi;
  private closed = false;
  /** Every vendor call, counted for its account, day and batch. */
  private readonly usage: UsageSink = (call, batchId) => {
    if (!this.closed) recordVendorCall(this.db, call, batchId);
  };

  constructor(
    private readonly db: Db,
    private readonly options: ScanServiceOptions,
    engines: Engine[],
    private readonly ownedEngines: Engine[],
  ) {
    super();
    this.engineMap = new Map(engines.map((e) => [e.id, e]));
    this.intake = options.intake ?? defaultIntake;
    this.writeExport = options.writeExport ?? defaultWriteExport;
    this.batchData = { db, openReadonly: () => openReadonly(options.dbPath), batchName: (id) => batchRow(db, id).name };
    this.documents = documentsApi(this.batchData);
    this.reconciliation = reconciliationApi(this.batchData);
    this.hotFolders = hotFoldersApi(this.batchData, (plan) => validatePlan(plan, this.engineMap), (id) => this.check(id));
    this.throttle = new KeyedThrottle(options.progressIntervalMs ?? 100, (id) => this.emitProgress(id));
    const owner = `${hostname()}:${process.pid}`;
    this.runner = new Runner({
      db,
      engines,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      maxAttempts: options.maxAttempts ?? 5,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      owner,
      random: options.random ?? Math.random,
      onJobSettled: (batchId) => this.check(batchId),
      onNotice: (batchId, engine, message) => this.emit('notice', { batchId, engine, message }),
      usage: this.usage,
    });
    // Resume: jobs held by a process that is gone (or whose lease expired) go back to the queue.
    requeueLost(db, Date.now(), deadLocalOwners(leaseOwners(db)));
    // Start on the next turn, so listeners attached right after open hear the first notices.
    setImmediate(() => {
      if (this.closed) return;
      this.runner.start();
      for (const b of listBatches(db)) if (b.status === 'running') this.check(b.id);
    });
  }

  async createBatch(input: CreateBatchInput): Promise<{ batch: BatchSummary; skipped: IntakeResult['skipped'] }> {
    this.assertOpen();
    if (!input || !Array.isArray(input.paths) || input.paths.length === 0 || !input.paths.every((p) => typeof p === 'string' && p !== '')) {
      throw new ScanError('INVALID_INPUT', 'A batch needs at least one file or folder path.');
    }
    const plan = validatePlan(input.plan, this.engineMap);
    const found = await this.intake(input.paths);
    this.assertOpen();
    const name = input.name?.trim() || defaultName(input.paths);
    // Batch, items and jobs in one transaction: from its commit on, the batch survives a crash.
    const batchId = this.db.transaction(() => {
      const id = insertBatchRow(this.db, name, plan, new Date().toISOString());
      for (const it of found.items) {
        const { id: itemId, runnable } = insertItem(this.db, id, it);
        if (runnable) enqueue(this.db, { batchId: id, itemId, engine: plan.engine, task: plan.task, role: 'primary' });
      }
      for (const s of found.skipped) insertSkipped(this.db, id, s);
      return id;
    }).immediate();
    this.emit('batches');
    this.runner.kick();
    this.check(batchId);
    return { batch: getBatch(this.db, batchId), skipped: found.skipped };
  }

  /**
   * Adds files to an existing batch (a hot folder's new files): read by intake like a new
   * batch's, queued with the batch's plan. A settled batch runs again; a cancelled one refuses.
   */
  async addPaths(batchId: number, paths: string[]): Promise<{ items: number; skipped: IntakeResult['skipped'] }> {
    this.assertOpen();
    if (batchRow(this.db, batchId).status === 'cancelled') throw new ScanError('INVALID_INPUT', `Batch ${batchId} was cancelled: files cannot join it.`);
    const found = await this.intake(paths);
    this.assertOpen();
    this.db.transaction(() => {
      const row = batchRow(this.db, batchId);
      const plan = JSON.parse(row.plan_json) as EnginePlan;
      let runnable = 0;
      for (const it of found.items) {
        const { id: itemId, runnable: r } = insertItem(this.db, batchId, it);
        if (r) enqueue(this.db, { batchId, itemId, engine: plan.engine, task: plan.task, role: 'primary' });
        if (r) runnable++;
      }
      for (const sk of found.skipped) insertSkipped(this.db, batchId, sk);
      if (runnable > 0 && row.status === 'done') setBatchStatus(this.db, batchId, 'running');
    }).immediate();
    this.emit('batches');
    this.runner.kick();
    this.check(batchId);
    return { items: found.items.length, skipped: found.skipped };
  }

  listBatches(): BatchSummary[] {
    return listBatches(this.db);
  }

  getBatch(batchId: number): BatchSummary {
    return getBatch(this.db, batchId);
  }

  listItems(batchId: number, query?: ItemQuery): { total: number; items: ItemSummary[] } {
    batchRow(this.db, batchId);
    return listItems(this.db, batchId, query);
  }

  getItem(itemId: number): ItemDetail {
    return getItem(this.db, itemId);
  }

  listIgnored(batchId: number, page: { offset?: number; limit?: number } = {}): { total: number; files: Array<{ path: string; reason: string }> } {
    batchRow(this.db, batchId);
    return listIgnored(this.db, batchId, page.offset ?? 0, page.limit ?? 200);
  }

  pause(batchId: number): BatchSummary {
    const row = batchRow(this.db, batchId);
    if (row.status === 'running' || row.status === 'queued') {
      setBatchStatus(this.db, batchId, 'paused');
      this.emit('batches');
      this.check(batchId);
    }
    return getBatch(this.db, batchId);
  }

  resume(batchId: number): BatchSummary {
    const row = batchRow(this.db, batchId);
    if (row.status === 'cancelled') {
      throw new ScanError('INVALID_INPUT', `Batch ${batchId} was cancelled; retry its failed pages or start a new batch.`);
    }
    if (row.status === 'paused' || row.status === 'queued') {
      this.db.transaction(() => {
        unblock(this.db, batchId);
        setBatchStatus(this.db, batchId, 'running');
      })();
      this.runner.resetNotices(batchId);
      this.emit('batches');
      this.runner.kick();
      this.check(batchId);
    }
    return getBatch(this.db, batchId);
  }

  cancel(batchId: number): BatchSummary {
    const row = batchRow(this.db, batchId);
    if (row.status !== 'done' && row.status !== 'cancelled') {
      // Waiting jobs are cancelled; jobs being decoded finish and keep their result.
      this.db.transaction(() => {
        setBatchStatus(this.db, batchId, 'cancelled');
        cancelWaiting(this.db, batchId);
      })();
      this.emit('batches');
      this.check(batchId);
    }
    return getBatch(this.db, batchId);
  }

  /**
   * Goes on without the engines stopped for this batch (a refused key, a used-up quota): the
   * pages waiting for them end failed with the reason, so the batch can finish and be exported;
   * Retry failed runs them later. A batch paused only because of them is then done; one the user
   * paused with other pages still waiting stays paused.
   */
  finishWithoutStopped(batchId: number): BatchSummary {
    this.assertOpen();
    const row = batchRow(this.db, batchId);
    if (row.status === 'cancelled' || row.status === 'done') return getBatch(this.db, batchId);
    const settled = this.db.transaction(() => {
      const n = failBlocked(this.db, batchId);
      const a = jobActivity(this.db, batchId);
      // Paused by the stop alone: nothing else waits, so check() below settles it as done.
      if (n > 0 && row.status === 'paused' && a.pending === 0 && a.running === 0) setBatchStatus(this.db, batchId, 'running');
      return n;
    }).immediate();
    if (settled > 0) {
      this.emit('batches');
      this.check(batchId);
    }
    return getBatch(this.db, batchId);
  }

  /**
   * Runs a settled batch's pages again with another engine (or task), keeping what the earlier
   * engines found (see rerun.ts). Refused while the batch still runs.
   */
  rerun(batchId: number, plan: EnginePlan): BatchSummary {
    this.assertOpen();
    const row = batchRow(this.db, batchId);
    if (row.status === 'running' || row.status === 'queued') {
      throw new ScanError('INVALID_INPUT', `Batch ${batchId} is still running: wait for it to finish (or pause it) before running it again.`);
    }
    const next = validatePlan(plan, this.engineMap);
    const queued = this.db.transaction(() => {
      const n = enqueueRerun(this.db, batchId, next);
      // Nothing to run: say why, and leave the batch as it was (the plan change rolls back).
      if (n === 0) throw new ScanError('NOTHING_TO_DO', nothingToRerun(this.db, batchId, next));
      setBatchStatus(this.db, batchId, 'running');
      return n;
    }).immediate();
    this.runner.resetNotices(batchId);
    this.emit('batches');
    if (queued > 0) {
      this.runner.kick();
      this.check(batchId);
    }
    return getBatch(this.db, batchId);
  }

  retryFailed(batchId: number): BatchSummary {
    batchRow(this.db, batchId);
    const unread = unreadItems(this.db, batchId);
    const n = this.db.transaction(() => {
      const count = requeueFailed(this.db, batchId);
      if (count > 0 || unread.length > 0) setBatchStatus(this.db, batchId, 'running');
      return count;
    })();
    if (unread.length > 0 && !this.reading.has(batchId)) this.reading.set(batchId, this.reread(batchId, unread));
    if (n > 0 || unread.length > 0) {
      this.emit('batches');
      this.runner.kick();
      this.check(batchId);
    }
    return getBatch(this.db, batchId);
  }

  /**
   * Pages intake could not read (missing file, permission denied...) are read again: the ones
   * that now read get their checksum and a job; the others keep failing with the new reason.
   * (A file that now has more pages than before keeps only the pages it had.)
   */
  private async reread(batchId: number, unread: Array<{ id: number; path: string; page: number }>): Promise<void> {
    try {
      const found = await this.intake([...new Set(unread.map((u) => u.path))]);
      if (this.closed) return;
      const plan = JSON.parse(batchRow(this.db, batchId).plan_json) as EnginePlan;
      this.db.transaction(() => {
        for (const u of unread) {
          const it =
            found.items.find((i) => i.path === u.path && i.page === u.page) ?? found.items.find((i) => i.path === u.path && i.error);
          if (!it) continue;
          if (it.error || !it.sha256 || !it.format) {
            if (it.error) setItemError(this.db, u.id, it.error);
            continue;
          }
          if (reviveItem(this.db, u.id, it)) {
            enqueue(this.db, { batchId, itemId: u.id, engine: plan.engine, task: plan.task, role: 'primary' });
          }
        }
      })();
    } catch {
      // Intake itself failed or the batch was deleted meanwhile: the pages stay failed as they were.
    } finally {
      this.reading.delete(batchId);
      if (!this.closed) {
        this.runner.kick();
        this.check(batchId);
      }
    }
  }

  deleteBatch(batchId: number): void {
    batchRow(this.db, batchId);
    this.runner.abortBatch(batchId);
    deleteBatchRows(this.db, batchId);
    this.throttle.cancel(batchId);
    const ws = this.waiters.get(batchId) ?? [];
    this.waiters.delete(batchId);
    for (const w of ws) w.reject(new ScanError('NOT_FOUND', `Batch ${batchId} was deleted.`));
    this.emit('batches');
  }

  reviewDetection(detectionId: number, change: { review?: ReviewStatus; correctedText?: string | null }): StoredDetection {
    return reviewDetection(this.db, detectionId, change ?? {});
  }

  bulkReview(batchId: number, scope: BulkScope, review: ReviewStatus): ReviewBefore[] {
    batchRow(this.db, batchId);
    return bulkReview(this.db, batchId, scope, review);
  }

  restoreReviews(list: ReviewBefore[]): number {
    return restoreReviews(this.db, list);
  }

  batchSymbologies(batchId: number): Array<{ symbology: string; total: number; pending: number }> {
    batchRow(this.db, batchId);
    return batchSymbologies(this.db, batchId);
  }

  async exportBatch(req: ExportRequest): Promise<ExportOutcome> {
    this.assertOpen();
    if (!this.writeExport) throw new ScanError('INTERNAL', 'Export is not available yet in this build.');
    if (!req || typeof req.path !== 'string' || req.path === '') throw new ScanError('INVALID_INPUT', 'An export needs a file path.');
    const batch = getBatch(this.db, req.batchId);
    const extras = await exportExtras(this.batchData, req.batchId);
    // Its own read-only connection: the row cursor stays open across the writer's awaits.
    const ro = openReadonly(this.options.dbPath);
    try {
      return await this.writeExport(
        req.format,
        req.path,
        { batch, items: () => exportItems(ro, req.batchId), ...(extras ? { extras } : {}) },
        { acceptedOnly: req.acceptedOnly ?? false, revealPersonalData: req.revealPersonalData === true, existing: req.existing ?? 'replace' },
      );
    } finally {
      ro.close();
    }
  }

  async estimateBatch(input: Omit<CreateBatchInput, 'name'>, options: EstimateOptions = {}): Promise<BatchEstimate> {
    this.assertOpen();
    if (!input || !Array.isArray(input.paths) || input.paths.length === 0 || !input.paths.every((p) => typeof p === 'string' && p !== '')) {
      throw new ScanError('INVALID_INPUT', 'A batch needs at least one file or folder path.');
    }
    const plan = validatePlan(input.plan, this.engineMap);
    return estimateBatch(
      {
        intake: this.intake,
        isStored: (key) => findCached(this.db, key) !== null,
        billableToday: (q) => billableOnDay(this.db, q),
        ...(options.account ? { account: options.account } : {}),
      },
      { paths: input.paths, plan },
    );
  }

  async usageSummary(): Promise<UsageSummary> {
    return usageSummary(this.db);
  }

  async batchUsage(batchId: number): Promise<BatchUsage> {
    batchRow(this.db, batchId);
    return batchUsage(this.db, batchId);
  }

  metered<T>(fn: () => Promise<T>): Promise<T> {
    return meterUsage(this.usage, null, fn);
  }

  whenSettled(batchId: number): Promise<BatchSummary> {
    const batch = getBatch(this.db, batchId);
    if (this.isSettled(batchId, batch.status)) return Promise.resolve(batch);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(batchId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(batchId, list);
    });
  }

  override on<E extends keyof ScanServiceEvents>(event: E, listener: ScanServiceEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof ScanServiceEvents>(event: E, listener: ScanServiceEvents[E]): this {
    return super.off(event, listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runner.close();
    this.throttle.cancel();
    for (const [id, ws] of this.waiters) for (const w of ws) w.reject(new ScanError('CANCELLED', `The service closed before batch ${id} settled.`));
    this.waiters.clear();
    await Promise.all(this.ownedEngines.map((e) => e.close?.()));
    try {
      this.db.pragma('optimize'); // keeps the query planner's statistics fresh, cheap on close
    } catch {
      // locked by another process: next time
    }
    this.db.close();
  }

  private isSettled(batchId: number, status: BatchStatus): boolean {
    return (
      (status === 'done' || status === 'paused' || status === 'cancelled') &&
      this.runner.inflightFor(batchId) === 0 &&
      !this.reading.has(batchId)
    );
  }

  /**
   * After anything happened to a batch: a running batch with nothing left to claim or finish
   * becomes done (or paused, when an engine was stopped and its pages wait); a settled batch
   * gets its final progress event and wakes whenSettled; otherwise a throttled progress event.
   */
  private check(batchId: number): void {
    if (this.closed) return;
    let status: BatchStatus;
    try {
      status = batchRow(this.db, batchId).status;
    } catch {
      return; // deleted meanwhile
    }
    if (status === 'running') {
      const a = jobActivity(this.db, batchId);
      // A hot folder's batch stays open while its folder is watched (store/hot-folders.ts).
      if (a.pending === 0 && a.running === 0 && !this.reading.has(batchId) && !batchHeldOpen(this.db, batchId)) {
        status = a.blocked > 0 ? 'paused' : 'done';
        setBatchStatus(this.db, batchId, status);
        this.emit('batches');
      }
    }
    // Counting a big batch costs a scan: only at emit time (throttled) or once when settled.
    if (!this.isSettled(batchId, status)) {
      this.throttle.schedule(batchId);
      return;
    }
    this.throttle.flush(batchId);
    const ws = this.waiters.get(batchId) ?? [];
    this.waiters.delete(batchId);
    if (ws.length > 0) {
      const batch = getBatch(this.db, batchId);
      for (const w of ws) w.resolve(batch);
    }
  }

  private emitProgress(batchId: number): void {
    if (this.closed) return;
    try {
      const b = getBatch(this.db, batchId);
      this.emit('progress', { batchId, status: b.status, counts: b.counts });
    } catch {
      // deleted
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ScanError('CANCELLED', 'The scan service is closed.');
  }
}

function defaultName(paths: string[]): string {
  const first = basename(paths[0]!.replace(/[\\/]+$/, '')) || paths[0]!;
  return paths.length > 1 ? `${first} +${paths.length - 1}` : first;
}

/** Lease owners on this host whose process no longer exists (their jobs can return at once). */
function deadLocalOwners(owners: string[]): string[] {
  const host = hostname();
  return owners.filter((o) => {
    const i = o.lastIndexOf(':');
    const pid = Number(o.slice(i + 1));
    if (o.slice(0, i) !== host || !Number.isInteger(pid) || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  });
}
