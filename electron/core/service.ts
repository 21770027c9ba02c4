import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { BatchStatus, BatchSummary, ItemDetail, ItemSummary } from '../../shared/batch';
import type { CodeFacets, CodeQuery, CodeRow, RegionCode } from '../../shared/code-table';
import { readRegion } from './region-read';
import type { ReviewStatus, StoredDetection } from '../../shared/detection';
import type { EnginePlan } from '../../shared/engines';
import type { AppError } from '../../shared/errors';
import type { Engine } from './engines/engine';
import { ScanError } from './errors';
import type { IntakeItem, IntakeResult } from './intake/types';
import { validatePlan } from './plan';
import { checkRules } from './rules-check';
import type { BatchRules } from '../../shared/rules/types';
import type { RulesChange } from './store/rules-set';
import { DEFAULT_BACKOFF, type BackoffOptions } from './queue/backoff';
import { blobPath, putBlobs, withBlobErrors } from './queue/blobs';
import type { ClaimedJob } from './queue/jobs';
import { Runner } from './queue/runner';
import { KeyedThrottle } from './queue/throttle';
import { defaultEngines, defaultIntake, defaultIntakeChunks, defaultWriteExport, type WriteExport } from './service-defaults';
import { SqliteStore } from './store/sqlite-store';
import type { BatchChange, BatchChangeResult, Store, UnreadItem } from './store/store';
import type { BulkScope, ReviewBefore } from './store/bulk-review';
import type { ManualCode } from './store/manual';
import { documentsApi, type DocumentsApi } from './documents/service';
import { exportExtras } from './export/extras';
import type { ExportOutcome } from './export/types';
import { hotFoldersApi, type HotFoldersApi } from './hotfolder/service';
import { reconciliationApi, type ReconciliationApi } from './reconcile/service';
import type { CreateBatchInput, EstimateOptions, ExportRequest, ItemQuery, PageFile, ScanService, ScanServiceEvents } from './service-types';
import { estimateBatch } from './usage/estimate';
import { meterUsage, type UsageSink } from './usage/meter';
import type { BatchEstimate, BatchUsage, UsageSummary } from '../../shared/usage';

export interface ScanServiceOptions {
  /** The profile's SQLite file (created if missing); unused when `store` is given. */
  dbPath: string;
  /**
   * A store opened by the caller (a shared queue: PgStore), closed with the service. On a
   * shared queue the service looks for work every `pollMs`, leaves pages of engines it lacks to
   * other workers.
   */
  store?: Store;
  /**
   * Shared queue: this machine's path to the queue's blob store (queue/blobs.ts). Submitted
   * files are copied there and pages are decoded from there, hash-checked.
   */
  blobs?: string;
  /** Shared queue: how often to look for work and settled batches besides the LISTEN/NOTIFY wake-ups (default 5 s). */
  pollMs?: number;
  /** Default: the local engine and the cloud vendors (service-defaults.ts). Engines passed here are the caller's to close. */
  engines?: Engine[];
  /** Default: intake's expandPaths. */
  intake?: (paths: string[]) => Promise<IntakeResult>;
  /**
   * A new batch's pages in order, as intake finds them (default: intake's expandPathsInChunks,
   * or `intake` as one chunk when only that is given). The batch starts on the first chunk;
   * the others join it while it runs.
   */
  intakeChunks?: (paths: string[], signal: AbortSignal) => AsyncIterable<IntakeResult>;
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
/** Shared queue: settle idle running batches every this many polls (50 s at the default 5 s). */
const SWEEP_POLLS = 10;

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
  const store = options.store ?? SqliteStore.open(options.dbPath);
  const service = new StoreScanService(store, options, engines, owned);
  try {
    await service.resumeLost();
  } catch (err) {
    await service.close();
    throw err;
  }
  return service;
}

type Waiter = { resolve: (b: BatchSummary) => void; reject: (e: unknown) => void };

class StoreScanService extends EventEmitter implements ScanService {
  private readonly runner: Runner;
  private readonly engineMap: Map<string, Engine>;
  private readonly throttle: KeyedThrottle<number>;
  private readonly waiters = new Map<number, Waiter[]>();
  /** Per batch: the last progress read asked for and the last one sent (see emitProgress). */
  private readonly progressSeq = new Map<number, { asked: number; sent: number }>();
  /** Batches whose unreadable pages are being read again (retryFailed). */
  private readonly reading = new Map<number, Promise<void>>();
  private readonly intake: (paths: string[]) => Promise<IntakeResult>;
  private readonly intakeChunks: (paths: string[], signal: AbortSignal) => AsyncIterable<IntakeResult>;
  /** Batches whose later pages this process is still adding (intake under way), to finish or stop. */
  private readonly expanding = new Map<number, Promise<void>>();
  private readonly stopIntake = new AbortController();
  private readonly closing = new Promise<'closed'>((resolve) => this.stopIntake.signal.addEventListener('abort', () => resolve('closed'), { once: true }));
  /** This process, as the owner of leases and of intakes under way. */
  private readonly owner = `${hostname()}:${process.pid}`;
  private readonly writeExport: WriteExport | undefined;
  readonly documents: DocumentsApi;
  readonly reconciliation: ReconciliationApi;
  readonly hotFolders: HotFoldersApi;
  private closed = false;
  private poll: ReturnType<typeof setInterval> | null = null;
  private unwatch: (() => Promise<void>) | null = null;
  /** On a shared queue (PostgreSQL): other processes run engines this one lacks, and settle batches too. */
  private readonly shared: boolean;
  /** Shared queue: this machine's path to its blob store (null: pages are read where they were submitted). */
  private readonly blobs: string | null;
  /** Every vendor call, counted for its account, day and batch. */
  private readonly usage: UsageSink = (call, batchId) => {
    if (!this.closed) this.store.recordVendorCall(call, batchId).catch((err) => reportServiceError('usage', err));
  };

  constructor(
    private readonly store: Store,
    options: ScanServiceOptions,
    engines: Engine[],
    private readonly ownedEngines: Engine[],
  ) {
    super();
    this.engineMap = new Map(engines.map((e) => [e.id, e]));
    const intake = options.intake ?? defaultIntake;
    const blobs = options.blobs;
    this.blobs = blobs ?? null;
    const chunks = options.intakeChunks ?? (options.intake ? oneChunk(options.intake) : defaultIntakeChunks);
    // With a blob store, each chunk's files are copied into it before its pages are stored.
    this.intakeChunks = blobs
      ? (paths, signal) =>
          mapChunks(chunks(paths, signal), async (found) => {
            const { failed } = await putBlobs(blobs, found.items);
            return { ...found, items: withBlobErrors(found.items, failed) };
          })
      : chunks;
    // With a blob store, what intake found is copied into it before the batch is stored.
    this.intake = blobs
      ? async (paths) => {
          const found = await intake(paths);
          const { failed } = await putBlobs(blobs, found.items);
          return { ...found, items: withBlobErrors(found.items, failed) };
        }
      : intake;
    this.writeExport = options.writeExport ?? defaultWriteExport;
    // On a shared queue a page's file is the blob store's copy (the path is the submitting desk's).
    this.documents = documentsApi(store.batchData, blobs ? (row) => blobPath(blobs, row.sha256) : undefined);
    this.reconciliation = reconciliationApi(store.batchData);
    this.hotFolders = hotFoldersApi(store.hotFolders, (plan) => validatePlan(plan, this.engineMap, { sharedQueue: this.shared }), (id) => this.check(id));
    const shared = !(store instanceof SqliteStore);
    this.shared = shared;
    const pollMs = shared ? (options.pollMs ?? 5000) : undefined;
    this.throttle = new KeyedThrottle(options.progressIntervalMs ?? 100, (id) => this.emitProgress(id));
    const owner = this.owner;
    this.runner = new Runner({
      store,
      engines,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      maxAttempts: options.maxAttempts ?? 5,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      owner,
      random: options.random ?? Math.random,
      onJobSettled: (batchId) => this.check(batchId),
      onNotice: (batchId, engine, message) => this.emit('notice', { batchId, engine, message }),
      usage: this.usage,
      blockMissingEngines: !shared,
      ...(blobs ? { sourceFor: (job: ClaimedJob) => blobPath(blobs, job.sha256) } : {}),
      ...(store.rateLimiter ? { sharedLimits: store.rateLimiter() } : {}),
      deadOwners: deadLocalOwners,
      ...(pollMs ? { pollMs } : {}),
    });
    if (pollMs) {
      // Other workers settle pages of batches this desk waits for: look at them again. Every
      // SWEEP_POLLS beats, every running batch too: one whose last page was finished by a
      // worker that died before settling it would otherwise stay running.
      let beats = 0;
      this.poll = setInterval(() => {
        for (const id of this.waiters.keys()) this.check(id);
        if (++beats % SWEEP_POLLS !== 0) return;
        this.store
          .runningBatchIds()
          .then((ids) => ids.forEach((id) => this.check(id)))
          .catch((err) => reportServiceError('sweep', err));
      }, pollMs);
    }
  }

  /** Resume: jobs held by a process that is gone (or whose lease expired) go back to the queue; then start. */
  async resumeLost(): Promise<void> {
    await this.store.requeueLost(deadLocalOwners(await this.store.leaseOwners()));
    await this.resumeIntakes();
    if (this.store.watch) {
      // Another process queued work: claim now. Another process changed a batch: desks see its
      // progress (throttled), and a batch this desk waits for is looked at again.
      this.unwatch = await this.store.watch({
        work: () => void this.runner.kick(),
        batch: (id) => (this.waiters.has(id) ? this.check(id) : this.throttle.schedule(id)),
      });
    }
    // Start on the next turn, so listeners attached right after open hear the first notices.
    setImmediate(() => {
      if (this.closed) return;
      this.runner.start();
      void this.store
        .listBatches()
        .then((bs) => {
          for (const b of bs) if (b.status === 'running') this.check(b.id);
        })
        .catch((err) => reportServiceError('resume', err));
    });
  }

  /**
   * A batch from files and folders. It is stored, and starts, with intake's first chunk of pages
   * (a long PDF's page 1, the first files of a big folder); the rest join it as intake reads
   * them (continueIntake), with the batch `expanding` meanwhile. `skipped` lists the files
   * ignored so far; listIgnored has them all once intake is done.
   */
  async createBatch(input: CreateBatchInput): Promise<{ batch: BatchSummary; skipped: IntakeResult['skipped'] }> {
    this.assertOpen();
    if (!input || !Array.isArray(input.paths) || input.paths.length === 0 || !input.paths.every((p) => typeof p === 'string' && p !== '')) {
      throw new ScanError('INVALID_INPUT', 'A batch needs at least one file or folder path.');
    }
    const plan = validatePlan(input.plan, this.engineMap, { sharedQueue: this.shared });
    const rules = input.rules ? checkRules(input.rules) : null;
    const chunks = this.intakeChunks(input.paths, this.stopIntake.signal)[Symbol.asyncIterator]();
    let first: IteratorResult<IntakeResult>;
    try {
      first = await chunks.next();
    } catch (err) {
      if (this.closed) throw new ScanError('CANCELLED', 'The scan service is closed.');
      throw err;
    }
    this.assertOpen();
    const found = first.done ? { items: [], skipped: [] } : first.value;
    const name = input.name?.trim() || defaultName(input.paths);
    const batchId = await this.store.createBatch({
      name,
      plan,
      createdAt: new Date().toISOString(),
      items: found.items,
      skipped: found.skipped,
      rules,
      ...(first.done ? {} : { intake: { paths: input.paths, owner: this.owner } }),
    });
    if (!first.done) this.continueIntake(batchId, chunks);
    await this.changed(batchId);
    return { batch: await this.store.getBatch(batchId), skipped: found.skipped };
  }

  /**
   * The rest of a batch's pages, chunk by chunk as intake reads them, while the batch runs. On
   * close the intake stops where it is and stays recorded: the next start of a process on the
   * same store takes it over (resumeIntakes). A batch cancelled or deleted meanwhile stops it.
   */
  private continueIntake(batchId: number, chunks: AsyncIterator<IntakeResult>): void {
    const run = async () => {
      let finished = false;
      try {
        for (;;) {
          // close() does not wait for a long count to end: the store keeps the intake for the next start.
          const pending = chunks.next();
          const next = await Promise.race([pending, this.closing]);
          if (next === 'closed' || this.closed) {
            pending.catch(() => undefined);
            return;
          }
          if (next.done) break;
          if (next.value.items.length + next.value.skipped.length === 0) continue;
          await this.store.addItems(batchId, next.value.items, next.value.skipped);
          void this.runner.kick();
          this.throttle.schedule(batchId);
        }
        finished = true;
      } catch (err) {
        if (this.closed) return;
        const gone = err instanceof ScanError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_INPUT'); // deleted, cancelled
        if (!gone) reportServiceError(`batch ${batchId} intake`, err);
        finished = true; // nothing more joins it: let it settle with what it has
      } finally {
        if (finished && !this.closed) {
          await this.store.finishIntake(batchId).catch((err) => {
            if (!(err instanceof ScanError && err.code === 'NOT_FOUND')) reportServiceError(`batch ${batchId} intake`, err);
          });
        }
        this.expanding.delete(batchId);
        if (!this.closed) {
          this.emit('batches');
          this.check(batchId);
        }
      }
    };
    this.expanding.set(batchId, run());
  }

  /**
   * Intakes a process left unfinished (it stopped, crashed or lost power mid-expansion): taken
   * over when that process is gone (on this host; on a shared queue a desk on another host
   * finishes its own at its next start), reading the batch's paths again and adding only the
   * pages and ignored files the batch does not have yet.
   */
  private async resumeIntakes(): Promise<void> {
    const open = await this.store.unfinishedIntakes();
    const gone = new Set(deadLocalOwners(open.map((o) => o.owner)));
    for (const o of open) {
      if (!gone.has(o.owner) || !(await this.store.takeIntake(o.batchId, o.owner, this.owner))) continue;
      const known = await this.store.intakeKnown(o.batchId);
      const pages = new Set(known.pages.map((p) => `${p.page}\0${p.path}`));
      const ignored = new Set(known.ignored);
      const rest = mapChunks(this.intakeChunks(o.paths, this.stopIntake.signal), async (c) => ({
        items: c.items.filter((it) => !pages.has(`${it.page}\0${it.path}`)),
        skipped: c.skipped.filter((x) => !ignored.has(x.path)),
      }));
      this.continueIntake(o.batchId, rest[Symbol.asyncIterator]());
    }
  }

  /**
   * Adds files to an existing batch (a hot folder's new files): read by intake like a new
   * batch's, queued with the batch's plan. A settled batch runs again; a cancelled one refuses.
   */
  async addPaths(batchId: number, paths: string[]): Promise<{ items: number; skipped: IntakeResult['skipped'] }> {
    this.assertOpen();
    if ((await this.store.batchState(batchId)).status === 'cancelled') throw new ScanError('INVALID_INPUT', `Batch ${batchId} was cancelled: files cannot join it.`);
    const found = await this.intake(paths);
    this.assertOpen();
    await this.store.addItems(batchId, found.items, found.skipped);
    await this.changed(batchId);
    return { items: found.items.length, skipped: found.skipped };
  }

  listBatches(): Promise<BatchSummary[]> {
    return this.store.listBatches();
  }

  /**
   * Resolves once intake has added every page it will add to the batch (at once when nothing is
   * being read). A process that submits and exits waits for this: close() stops an intake where
   * it is, and only a later process on the same host would take it over.
   */
  async whenIntakeDone(batchId: number): Promise<void> {
    await this.expanding.get(batchId);
  }

  getBatch(batchId: number): Promise<BatchSummary> {
    return this.store.getBatch(batchId);
  }

  listItems(batchId: number, query?: ItemQuery): Promise<{ total: number; items: ItemSummary[] }> {
    return this.store.listItems(batchId, query);
  }

  getItem(itemId: number): Promise<ItemDetail> {
    return this.store.getItem(itemId);
  }

  async pageFile(itemId: number): Promise<PageFile> {
    const f = await this.store.itemFile(itemId);
    // A shared queue's pages are read from its blob store, as its workers read them: the path
    // they were submitted with is another machine's.
    if (this.blobs && f.sha256) return { path: f.path, page: f.page, blob: { path: blobPath(this.blobs, f.sha256), sha256: f.sha256 } };
    return { path: f.path, page: f.page };
  }

  listIgnored(batchId: number, page: { offset?: number; limit?: number } = {}): Promise<{ total: number; files: Array<{ path: string; reason: string }> }> {
    return this.store.listIgnored(batchId, page.offset ?? 0, page.limit ?? 200);
  }

  async pause(batchId: number): Promise<BatchSummary> {
    await this.act(batchId, { action: 'pause' });
    return this.store.getBatch(batchId);
  }

  async resume(batchId: number): Promise<BatchSummary> {
    await this.act(batchId, { action: 'resume' });
    return this.store.getBatch(batchId);
  }

  async cancel(batchId: number): Promise<BatchSummary> {
    await this.act(batchId, { action: 'cancel' });
    return this.store.getBatch(batchId);
  }

  /**
   * Goes on without the engines stopped for this batch (a refused key, a used-up quota): the
   * pages waiting for them end failed with the reason, so the batch can finish and be exported;
   * Retry failed runs them later. A batch paused only because of them is then done; one the user
   * paused with other pages still waiting stays paused.
   */
  async finishWithoutStopped(batchId: number): Promise<BatchSummary> {
    this.assertOpen();
    await this.act(batchId, { action: 'finishWithoutStopped' });
    return this.store.getBatch(batchId);
  }

  /**
   * Runs a settled batch's pages again with another engine (or task), keeping what the earlier
   * engines found (store/batch-jobs.ts enqueueRerun). Refused while the batch still runs, and
   * when nothing would run (NOTHING_TO_DO, saying why).
   */
  async rerun(batchId: number, plan: EnginePlan): Promise<BatchSummary> {
    this.assertOpen();
    const next = validatePlan(plan, this.engineMap, { sharedQueue: this.shared });
    await this.act(batchId, { action: 'rerun', plan: next });
    return this.store.getBatch(batchId);
  }

  async retryFailed(batchId: number): Promise<BatchSummary> {
    await this.act(batchId, { action: 'retryFailed' }, (r) => {
      if (r.unread.length > 0 && !this.reading.has(batchId)) this.reading.set(batchId, this.reread(batchId, r.unread));
    });
    return this.store.getBatch(batchId);
  }

  /**
   * One life-cycle action (batch-lifecycle.ts, applied by the store in one transaction); when it
   * did something: `then` (before anything settles), a new chance for the batch's stopped
   * engines' notices, and the desks told, work claimed, the batch settled if nothing is left.
   */
  private async act(batchId: number, change: BatchChange, then?: (r: BatchChangeResult) => void): Promise<BatchChangeResult> {
    const r = await this.store.changeBatch(batchId, change);
    if (!r.changed && r.count === 0) return r;
    then?.(r);
    if (change.action === 'resume' || change.action === 'rerun') this.runner.resetNotices(batchId);
    await this.changed(batchId);
    return r;
  }

  /**
   * Pages intake could not read (missing file, permission denied...) are read again: the ones
   * that now read get their checksum and a job; the others keep failing with the new reason.
   * (A file that now has more pages than before keeps only the pages it had.)
   */
  private async reread(batchId: number, unread: UnreadItem[]): Promise<void> {
    try {
      const found = await this.intake([...new Set(unread.map((u) => u.path))]);
      if (this.closed) return;
      const revived: Array<{ itemId: number; item: IntakeItem }> = [];
      const errors: Array<{ itemId: number; error: AppError }> = [];
      for (const u of unread) {
        const it = found.items.find((i) => i.path === u.path && i.page === u.page) ?? found.items.find((i) => i.path === u.path && i.error);
        if (!it) continue;
        if (it.error || !it.sha256 || !it.format) {
          if (it.error) errors.push({ itemId: u.id, error: it.error });
          continue;
        }
        revived.push({ itemId: u.id, item: it });
      }
      await this.store.reviveItems(batchId, revived, errors);
    } catch {
      // Intake itself failed or the batch was deleted meanwhile: the pages stay failed as they were.
    } finally {
      this.reading.delete(batchId);
      if (!this.closed) {
        void this.runner.kick();
        this.check(batchId);
      }
    }
  }

  async deleteBatch(batchId: number): Promise<void> {
    await this.store.batchState(batchId); // NOT_FOUND first
    this.runner.abortBatch(batchId);
    await this.store.deleteBatch(batchId);
    this.throttle.cancel(batchId);
    this.progressSeq.delete(batchId);
    const ws = this.waiters.get(batchId) ?? [];
    this.waiters.delete(batchId);
    for (const w of ws) w.reject(new ScanError('NOT_FOUND', `Batch ${batchId} was deleted.`));
    this.emit('batches');
  }

  reviewDetection(detectionId: number, change: { review?: ReviewStatus; correctedText?: string | null }): Promise<StoredDetection> {
    return this.store.reviewDetection(detectionId, change ?? {});
  }

  bulkReview(batchId: number, scope: BulkScope, review: ReviewStatus): Promise<ReviewBefore[]> {
    return this.store.bulkReview(batchId, scope, review);
  }

  restoreReviews(list: ReviewBefore[]): Promise<number> {
    return this.store.restoreReviews(list);
  }

  batchSymbologies(batchId: number): Promise<Array<{ symbology: string; total: number; pending: number }>> {
    return this.store.batchSymbologies(batchId);
  }

  listCodes(batchId: number, query?: CodeQuery): Promise<{ total: number; rows: CodeRow[] }> {
    return this.store.listCodes(batchId, query);
  }

  codeFacets(batchId: number): Promise<CodeFacets> {
    return this.store.codeFacets(batchId);
  }

  itemPosition(batchId: number, itemId: number): Promise<{ index: number; total: number }> {
    return this.store.itemPosition(batchId, itemId);
  }

  async readRegion(itemId: number, box: { left: number; top: number; width: number; height: number }): Promise<RegionCode[]> {
    return readRegion(this.engineMap.get('local'), await this.store.getItem(itemId), box);
  }

  async addManualDetection(itemId: number, code: ManualCode): Promise<{ detection: StoredDetection; item: ItemDetail }> {
    const detection = await this.store.addManualDetection(itemId, code);
    return { detection, item: await this.store.getItem(itemId) };
  }

  async removeManualDetection(detectionId: number): Promise<ItemDetail> {
    return this.store.getItem(await this.store.removeManualDetection(detectionId));
  }

  setCheckedNoCode(itemId: number, checked: boolean): Promise<ItemDetail> {
    return this.store.setCheckedNoCode(itemId, checked);
  }

  async getRules(batchId: number): Promise<BatchRules | null> {
    await this.store.batchState(batchId); // NOT_FOUND for no batch
    return this.store.getRules(batchId);
  }

  async setRules(batchId: number, rules: BatchRules | null): Promise<RulesChange> {
    this.assertOpen();
    const change = await this.store.setRules(batchId, rules === null ? null : checkRules(rules));
    await this.changed(batchId);
    return change;
  }

  async exportBatch(req: ExportRequest): Promise<ExportOutcome> {
    this.assertOpen();
    if (!this.writeExport) throw new ScanError('INTERNAL', 'Export is not available yet in this build.');
    if (!req || typeof req.path !== 'string' || req.path === '') throw new ScanError('INVALID_INPUT', 'An export needs a file path.');
    const batch = await this.store.getBatch(req.batchId);
    const extras = await exportExtras(this.store.batchData, req.batchId);
    return this.writeExport(
      req.format,
      req.path,
      { batch, items: () => this.store.exportItems(req.batchId), ...(extras ? { extras } : {}) },
      { acceptedOnly: req.acceptedOnly ?? false, revealPersonalData: req.revealPersonalData === true, existing: req.existing ?? 'replace' },
    );
  }

  async estimateBatch(input: Omit<CreateBatchInput, 'name'>, options: EstimateOptions = {}): Promise<BatchEstimate> {
    this.assertOpen();
    if (!input || !Array.isArray(input.paths) || input.paths.length === 0 || !input.paths.every((p) => typeof p === 'string' && p !== '')) {
      throw new ScanError('INVALID_INPUT', 'A batch needs at least one file or folder path.');
    }
    const plan = validatePlan(input.plan, this.engineMap, { sharedQueue: this.shared });
    return estimateBatch(
      {
        intake: this.intake,
        isStored: async (key) => (await this.store.findCached(key)) !== null,
        billableToday: (q) => this.store.billableOnDay(q),
        ...(options.account ? { account: options.account } : {}),
      },
      { paths: input.paths, plan },
    );
  }

  usageSummary(): Promise<UsageSummary> {
    return this.store.usageSummary();
  }

  async batchUsage(batchId: number): Promise<BatchUsage> {
    await this.store.batchState(batchId); // NOT_FOUND first
    return this.store.batchUsage(batchId);
  }

  async detectionImage(detectionId: number, kind: 'idcard' | 'portrait'): Promise<{ format: 'jpeg' | 'png' | 'bmp'; data: Buffer }> {
    const img = await this.store.detectionImage(detectionId, kind);
    if (!img) throw new ScanError('NOT_FOUND', `No ${kind === 'idcard' ? 'card' : 'portrait'} image is kept for detection ${detectionId}.`);
    return img;
  }

  metered<T>(fn: () => Promise<T>): Promise<T> {
    return meterUsage(this.usage, null, fn);
  }

  async whenSettled(batchId: number): Promise<BatchSummary> {
    const batch = await this.store.getBatch(batchId);
    if (this.isSettled(batchId, batch.status)) return batch;
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(batchId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(batchId, list);
      // It may have settled while we read it: look again now that we listen.
      this.check(batchId);
    });
  }

  override on<E extends keyof ScanServiceEvents>(event: E, listener: ScanServiceEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof ScanServiceEvents>(event: E, listener: ScanServiceEvents[E]): this {
    return super.off(event, listener);
  }

  async close(options: { finishInFlight?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    // Intakes under way stop where they are (recorded in the store: the next start finishes them).
    this.stopIntake.abort(new ScanError('CANCELLED', 'The scan service is closed.'));
    await Promise.all(this.expanding.values());
    await this.unwatch?.();
    await this.runner.close(options);
    this.throttle.cancel();
    for (const [id, ws] of this.waiters) for (const w of ws) w.reject(new ScanError('CANCELLED', `The service closed before batch ${id} settled.`));
    this.waiters.clear();
    await Promise.all(this.ownedEngines.map((e) => e.close?.()));
    await this.store.close();
  }

  /**
   * The batch has new work (created, resumed, retried): tell the desks, claim what this process
   * has room for (resolved once claimed, as callers expect its pages in flight), settle if
   * nothing is left.
   */
  private async changed(batchId: number): Promise<void> {
    this.emit('batches');
    await this.runner.kick();
    this.check(batchId);
  }

  private isSettled(batchId: number, status: BatchStatus): boolean {
    return (
      (status === 'done' || status === 'paused' || status === 'cancelled') &&
      this.runner.inflightFor(batchId) === 0 &&
      !this.reading.has(batchId) &&
      !this.expanding.has(batchId)
    );
  }

  /**
   * After anything happened to a batch: a running batch with nothing left to claim or finish
   * becomes done (or paused, when an engine was stopped and its pages wait); a settled batch
   * gets its final progress event and wakes whenSettled; otherwise a throttled progress event.
   * Never throws (a store error is reported; the next event looks again).
   */
  private check(batchId: number): void {
    void this.settle(batchId).catch((err) => reportServiceError(`batch ${batchId}`, err));
  }

  private async settle(batchId: number): Promise<void> {
    if (this.closed) return;
    let status: BatchStatus;
    try {
      const r = await this.store.changeBatch(batchId, { action: 'settle', holdOpen: this.reading.has(batchId) || this.expanding.has(batchId) });
      status = r.status;
      if (r.changed) this.emit('batches');
    } catch (err) {
      if (err instanceof ScanError && err.code === 'NOT_FOUND') return; // deleted meanwhile
      throw err;
    }
    if (this.closed) return;
    // Counting a big batch costs a scan: only at emit time (throttled) or once when settled.
    if (!this.isSettled(batchId, status)) {
      this.throttle.schedule(batchId);
      return;
    }
    this.throttle.flush(batchId);
    const ws = this.waiters.get(batchId) ?? [];
    this.waiters.delete(batchId);
    if (ws.length > 0) {
      const batch = await this.store.getBatch(batchId);
      for (const w of ws) w.resolve(batch);
    }
  }

  private async emitProgress(batchId: number): Promise<void> {
    // Nobody shows progress (a headless worker): no read. On a shared queue every worker hears
    // every batch change of every other worker, and would count the batch 10 times a second.
    if (this.closed || this.listenerCount('progress') === 0) return;
    // Reads may answer out of order: an older read is dropped once a newer one was sent.
    const seq = (this.progressSeq.get(batchId)?.asked ?? 0) + 1;
    this.progressSeq.set(batchId, { asked: seq, sent: this.progressSeq.get(batchId)?.sent ?? 0 });
    try {
      const b = await this.store.getBatch(batchId);
      const s = this.progressSeq.get(batchId);
      if (this.closed || !s || s.sent > seq) return;
      s.sent = seq;
      this.emit('progress', { batchId, status: b.status, counts: b.counts, ...(b.expanding ? { expanding: true as const } : {}) });
    } catch {
      // deleted
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ScanError('CANCELLED', 'The scan service is closed.');
  }
}

/** Store failures the service survives; the message is the database's (never a secret). */
function reportServiceError(what: string, err: unknown): void {
  console.error(`scandesk service: ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

/** A whole-result intake as a stream of one chunk. */
function oneChunk(intake: (paths: string[]) => Promise<IntakeResult>): (paths: string[]) => AsyncIterable<IntakeResult> {
  return async function* (paths) {
    yield await intake(paths);
  };
}

async function* mapChunks(chunks: AsyncIterable<IntakeResult>, fn: (c: IntakeResult) => Promise<IntakeResult>): AsyncGenerator<IntakeResult> {
  for await (const c of chunks) yield await fn(c);
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
