import type { EngineId } from '../../../shared/engines';
import type { Engine, RecognizeResult } from '../engines/engine';
import { ScanError, toAppError } from '../errors';
import type { Db } from '../store/db';
import { backoffDelay, type BackoffOptions } from './backoff';
import {
  blockEngine,
  blockMissingEngine,
  claim,
  failFinal,
  findCached,
  finish,
  nextAvailableAt,
  pendingEngines,
  release,
  renewLease,
  requeueLost,
  scheduleRetry,
  type CacheKey,
  type ClaimedJob,
} from './jobs';
import { optionsKey } from './options-key';
import { meterUsage, type UsageSink } from '../usage/meter';

export interface RunnerOptions {
  db: Db;
  engines: readonly Engine[];
  /** How long a claim holds without a heartbeat; a crashed holder's jobs return after it. */
  leaseMs: number;
  /** Engine calls per job that may end in a retry-class error before the item fails. */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** host:pid, recorded on claimed jobs. */
  owner: string;
  random: () => number;
  /** A job of this batch changed state (for progress and settling). */
  onJobSettled(batchId: number, detectionsAdded: number): void;
  /** Tell the user once (engine stopped, vendor notice). */
  onNotice(batchId: number, engine: string, message: string): void;
  /** Counts the vendor calls each job makes, for its batch (electron/core/usage). */
  usage?: UsageSink;
}

interface Active {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Claims jobs of running batches and runs them on their engine, at most `engine.concurrency`
 * at a time per engine; stores each outcome through the fenced queue transitions.
 */
export class Runner {
  private readonly engines = new Map<EngineId, Engine>();
  private readonly inflight = new Map<EngineId, number>();
  private readonly active = new Map<number, Active>();
  /** Same bytes+engine+task+options being decoded right now: later jobs wait for that call. */
  private readonly decoding = new Map<string, Promise<RecognizeResult>>();
  private readonly noticed = new Set<string>();
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;
  private wakeAt = Infinity;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private closing = false;
  private pumping = false;

  constructor(private readonly o: RunnerOptions) {
    for (const e of o.engines) this.engines.set(e.id, e);
  }

  start(): void {
    // Heartbeat: keep our leases alive, and give back jobs whose holder vanished.
    this.heartbeat = setInterval(() => this.tick(), Math.max(50, Math.floor(this.o.leaseMs / 3)));
    this.kick();
  }

  /** Something changed (batch created, resumed, retried): look for work, including engines we lack. */
  kick(): void {
    if (this.closing) return;
    for (const { batch_id, engine } of pendingEngines(this.o.db)) {
      if (this.engines.has(engine as EngineId)) continue;
      const message = `The ${engine} engine is not available here (not set up), so its pages wait. Set it up and resume the batch.`;
      if (blockMissingEngine(this.o.db, batch_id, engine, { code: 'VENDOR_UNAVAILABLE', message }) > 0) {
        this.notifyOnce(batch_id, engine, message, 'stopped');
        this.o.onJobSettled(batch_id, 0);
      }
    }
    this.pump();
  }

  /** Allows one more notice for this batch's engines (after resume). */
  resetNotices(batchId: number): void {
    for (const k of [...this.noticed]) if (k.startsWith(`${batchId}:`)) this.noticed.delete(k);
  }

  inflightFor(batchId: number): number {
    let n = 0;
    for (const a of this.active.values()) if (a.job.batchId === batchId) n++;
    return n;
  }

  /** Aborts the batch's engine calls (batch deleted); their results would be refused anyway. */
  abortBatch(batchId: number): void {
    for (const a of this.active.values()) if (a.job.batchId === batchId) a.controller.abort();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const a of this.active.values()) a.controller.abort();
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private tick(): void {
    try {
      const now = Date.now();
      for (const a of this.active.values()) {
        if (!renewLease(this.o.db, a.job, now + this.o.leaseMs)) a.controller.abort();
      }
      if (requeueLost(this.o.db, now) > 0) this.pump();
    } catch (err) {
      // The file is locked by another process beyond busy_timeout, or the disk is full: try
      // again at the next beat rather than crash the app.
      reportStoreError('heartbeat', err);
    }
  }

  private pump(): void {
    if (this.closing || this.pumping) return;
    this.pumping = true;
    try {
      this.claimAll();
    } catch (err) {
      reportStoreError('claim', err);
      this.scheduleWake(Date.now() + 1000);
    } finally {
      this.pumping = false;
    }
  }

  private claimAll(): void {
    let wake = Infinity;
    for (const engine of this.engines.values()) {
      const limit = Math.max(1, engine.concurrency);
      while ((this.inflight.get(engine.id) ?? 0) < limit) {
        const job = claim(this.o.db, engine.id, { now: Date.now(), leaseMs: this.o.leaseMs, owner: this.o.owner });
        if (!job) {
          const next = nextAvailableAt(this.o.db, engine.id);
          if (next !== null) wake = Math.min(wake, next);
          break;
        }
        this.startJob(engine, job);
      }
    }
    this.scheduleWake(wake);
  }

  /** Wakes up when the earliest backed-off job becomes claimable. */
  private scheduleWake(at: number): void {
    if (at === Infinity || at >= this.wakeAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.wakeAt = Infinity;
        this.pump();
      },
      Math.max(0, at - Date.now()) + 5,
    );
  }

  private startJob(engine: Engine, job: ClaimedJob): void {
    this.inflight.set(engine.id, (this.inflight.get(engine.id) ?? 0) + 1);
    const controller = new AbortController();
    const entry: Active = { job, controller, done: Promise.resolve() };
    this.active.set(job.id, entry);
    entry.done = this.runJob(engine, job, controller.signal).then((added) => {
      this.inflight.set(engine.id, (this.inflight.get(engine.id) ?? 1) - 1);
      this.active.delete(job.id);
      try {
        this.o.onJobSettled(job.batchId, added);
      } catch (err) {
        reportStoreError('progress', err);
      }
      this.pump();
    });
  }

  /** Runs one job to a stored outcome; never throws. Returns the detections it added. */
  private async runJob(engine: Engine, job: ClaimedJob, signal: AbortSignal): Promise<number> {
    const db = this.o.db;
    const key: CacheKey = {
      sha256: job.sha256,
      page: job.page,
      engine: job.engine,
      task: job.task,
      optionsKey: optionsKey(job.plan.options),
    };
    try {
      const cached = findCached(db, key);
      if (cached !== null) {
        const r = finish(db, job, { reusedFrom: cached }, key, Date.now());
        return r.ok ? r.detections : 0;
      }
      const k = JSON.stringify(key);
      let call = this.decoding.get(k);
      const shared = call !== undefined;
      if (!call) {
        call = meterUsage(this.o.usage, job.batchId, () =>
          engine.recognize({
            source: { path: job.path, page: job.page, format: job.format, sha256: job.sha256 },
            task: job.task,
            ...(job.plan.options ? { options: job.plan.options } : {}),
            signal,
          }),
        );
        this.decoding.set(k, call);
        const forget = () => this.decoding.delete(k);
        call.then(forget, forget);
      }
      const result = await call;
      // The result is of the bytes the engine decoded, which are not those intake hashed when
      // the file was replaced since: it is cached under the decoded bytes' hash.
      const decodedKey: CacheKey = { ...key, sha256: result.decodedSha256 };
      // A job that waited for another job's identical call stores a copy of that stored result.
      const reuse = shared ? findCached(db, decodedKey) : null;
      const r = finish(db, job, reuse !== null ? { reusedFrom: reuse } : { fresh: result }, decodedKey, Date.now());
      if (!r.ok) return 0; // lease lost: the job belongs to someone else now
      for (const n of result.notices ?? []) this.notifyOnce(job.batchId, job.engine, n);
      return r.detections;
    } catch (err) {
      try {
        this.recordFailure(job, err, signal);
      } catch (storeErr) {
        // The database refused (locked, disk full): the lease will expire and the job return.
        reportStoreError(`outcome of job ${job.id}`, storeErr);
      }
      return 0;
    }
  }

  private recordFailure(job: ClaimedJob, err: unknown, signal: AbortSignal): void {
    const db = this.o.db;
    const now = Date.now();
    if (this.closing || signal.aborted) {
      // Closing, lease lost, or batch deleted: give the job back untouched (refused if not ours).
      release(db, job);
      return;
    }
    const error = toAppError(err);
    const cls = err instanceof ScanError ? err.errorClass : 'final';
    if (cls === 'retry') {
      const attempt = job.attempts + 1;
      if (attempt < this.o.maxAttempts) {
        const retryAfter = err instanceof ScanError ? err.retryAfterMs : undefined;
        const delay = backoffDelay(attempt, this.o.backoff, this.o.random, retryAfter);
        scheduleRetry(db, job, error, now + delay);
        return;
      }
      failFinal(db, job, { code: error.code, message: `${error.message} (gave up after ${attempt} attempts)` }, now);
      return;
    }
    if (cls === 'stop-engine') {
      if (blockEngine(db, job, error, now, optionsKey(job.plan.options))) this.notifyOnce(job.batchId, job.engine, error.message, 'stopped');
      return;
    }
    failFinal(db, job, error, now);
  }

  private notifyOnce(batchId: number, engine: string, message: string, topic: string = message): void {
    const k = `${batchId}:${engine}:${topic}`;
    if (this.noticed.has(k)) return;
    this.noticed.add(k);
    this.o.onNotice(batchId, engine, message);
  }
}

/** Store failures the runner survives; the message is SQLite's (never a secret). */
function reportStoreError(what: string, err: unknown): void {
  console.error(`scandesk queue: ${what}: ${err instanceof Error ? err.message : String(err)}`);
}
