import type { EngineId } from '../../../shared/engines';
import type { Engine, RecognizeResult } from '../engines/engine';
import { ScanError, toAppError } from '../errors';
import type { Store } from '../store/store';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { CacheKey } from '../store/results';
import type { ClaimedJob } from './jobs';
import { optionsKey } from './options-key';
import { meterUsage, type UsageSink } from '../usage/meter';
import { withSharedLimits, type SharedRateLimiter } from '../limits/shared-rate';

export interface RunnerOptions {
  store: Store;
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
  /**
   * Pages of an engine this process lacks are blocked (the desk says to set it up). Off on a
   * shared queue: another worker may have that engine.
   */
  blockMissingEngines?: boolean;
  /** Holders of running jobs known to be gone (same machine, process ended): their jobs return at the next beat. */
  deadOwners?: (owners: string[]) => string[];
  /**
   * Where a job's page is read from, when not its submitted path: a shared queue's blob store
   * (queue/blobs.ts). The bytes read must then hash to what was submitted.
   */
  sourceFor?: (job: ClaimedJob) => string;
  /** Vendor rate limits shared with every worker of a queue (limits/shared-rate.ts). */
  sharedLimits?: SharedRateLimiter;
  /**
   * Look for new work this often even when nothing here changed (a shared queue: other desks
   * submit batches, other workers settle jobs). Off by default: one process owns its file.
   */
  pollMs?: number;
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
  private poll: ReturnType<typeof setInterval> | null = null;
  private closing = false;
  /** The claim loop in progress (one at a time); `pumpAgain` asks it for one more round. */
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private ticking = false;

  constructor(private readonly o: RunnerOptions) {
    for (const e of o.engines) this.engines.set(e.id, e);
  }

  start(): void {
    // Heartbeat: keep our leases alive, and give back jobs whose holder vanished.
    this.heartbeat = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.o.leaseMs / 3)));
    if (this.o.pollMs) this.poll = setInterval(() => void this.pump(), this.o.pollMs);
    void this.kick();
  }

  /**
   * Something changed (batch created, resumed, retried): look for work, including engines we
   * lack. Resolves once the claims this started are made (never rejects).
   */
  async kick(): Promise<void> {
    if (this.closing) return;
    try {
      if (this.o.blockMissingEngines !== false) await this.blockMissingEngines();
    } catch (err) {
      reportStoreError('kick', err);
    }
    await this.pump();
  }

  private async blockMissingEngines(): Promise<void> {
    for (const { batchId, engine } of await this.o.store.pendingEngines()) {
      if (this.engines.has(engine as EngineId)) continue;
      const message = `The ${engine} engine is not available here (not set up), so its pages wait. Set it up and resume the batch.`;
      if ((await this.o.store.blockMissingEngine(batchId, engine, { code: 'VENDOR_UNAVAILABLE', message })) > 0) {
        this.notifyOnce(batchId, engine, message, 'stopped');
        this.o.onJobSettled(batchId, 0);
      }
    }
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

  /**
   * Stops claiming. Jobs in flight are aborted (given back untouched), or with `finishInFlight`
   * (a worker's SIGTERM) run to their stored outcome, their leases kept alive meanwhile.
   */
  async close(options: { finishInFlight?: boolean } = {}): Promise<void> {
    this.closing = true;
    if (this.poll) clearInterval(this.poll);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.pumping;
    if (!options.finishInFlight) for (const a of this.active.values()) a.controller.abort();
    await Promise.all([...this.active.values()].map((a) => a.done));
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const a of [...this.active.values()]) {
        if (!(await this.o.store.renewLease(a.job, this.o.leaseMs))) a.controller.abort();
      }
      if (this.closing) return; // finishing the pages in hand: nothing new
      const dead = this.o.deadOwners ? this.o.deadOwners(await this.o.store.leaseOwners()) : [];
      if ((await this.o.store.requeueLost(dead)) > 0) void this.pump();
    } catch (err) {
      // The file is locked by another process beyond busy_timeout, or the disk is full: try
      // again at the next beat rather than crash the app.
      reportStoreError('heartbeat', err);
    } finally {
      this.ticking = false;
    }
  }

  /** Claims what the engines have room for; resolves when that round (and any asked meanwhile) is done. */
  private pump(): Promise<void> {
    if (this.closing) return Promise.resolve();
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        do {
          this.pumpAgain = false;
          await this.claimAll();
        } while (this.pumpAgain && !this.closing);
      } catch (err) {
        reportStoreError('claim', err);
        this.scheduleWake(Date.now() + 1000);
      } finally {
        this.pumping = null;
      }
    })();
    return this.pumping;
  }

  private async claimAll(): Promise<void> {
    let wake = Infinity;
    for (const engine of this.engines.values()) {
      const limit = Math.max(1, engine.concurrency);
      while ((this.inflight.get(engine.id) ?? 0) < limit && !this.closing) {
        const job = await this.o.store.claim(engine.id, { leaseMs: this.o.leaseMs, owner: this.o.owner });
        if (!job) {
          const next = await this.o.store.msUntilAvailable(engine.id);
          if (next !== null) wake = Math.min(wake, Date.now() + next);
          break;
        }
        if (this.closing) {
          await this.o.store.release(job);
          break;
        }
        this.startJob(engine, job);
      }
    }
    this.scheduleWake(wake);
  }

  /** Wakes up when the earliest backed-off job becomes claimable. */
  private scheduleWake(at: number): void {
    if (at === Infinity || at >= this.wakeAt || this.closing) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.wakeAt = Infinity;
        void this.pump();
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
      void this.pump();
    });
  }

  /** Runs one job to a stored outcome; never throws. Returns the detections it added. */
  private async runJob(engine: Engine, job: ClaimedJob, signal: AbortSignal): Promise<number> {
    const store = this.o.store;
    const key: CacheKey = {
      sha256: job.sha256,
      page: job.page,
      engine: job.engine,
      task: job.task,
      optionsKey: optionsKey(job.plan.options),
    };
    try {
      // An identical call in flight is shared; otherwise a stored result answers. (The call is
      // forgotten only after its result is stored, so one of the two always holds for a job
      // that comes after it.)
      const k = JSON.stringify(key);
      let call = this.decoding.get(k);
      if (!call) {
        // The claim may have looked the cache up already (PostgreSQL does, in the same statement).
        const cached = job.cachedResultId !== undefined ? job.cachedResultId : await stored(store.findCached(key));
        if (cached !== null) {
          const r = await stored(store.finish(job, { reusedFrom: cached }, key));
          return r.ok ? r.detections : 0;
        }
        call = this.decoding.get(k); // started while we looked
      }
      const shared = call !== undefined;
      const decode = async (): Promise<RecognizeResult> => {
        // Marked before the engine starts: a holder that vanishes from here on counts toward
        // the crash quarantine; one that vanished while the page waited does not.
        if (!(await stored(store.startDecode(job)))) throw new ScanError('CANCELLED', `Job ${job.id} was taken over before it started decoding.`);
        return meterUsage(this.o.usage, job.batchId, () =>
          withSharedLimits(this.o.sharedLimits, () =>
            engine.recognize({
              source: { path: this.o.sourceFor ? this.o.sourceFor(job) : job.path, page: job.page, format: job.format, sha256: job.sha256 },
              task: job.task,
              ...(job.plan.options ? { options: job.plan.options } : {}),
              signal,
            }),
            { batchId: job.batchId, engine: job.engine },
          ),
        );
      };
      if (!call) {
        call = decode();
        call.catch(() => {}); // awaited below; waiters see the same rejection
        this.decoding.set(k, call);
      }
      try {
        let result: RecognizeResult;
        try {
          result = await call;
        } catch (err) {
          // The call we shared was another job's, cancelled with it (its batch deleted, its lease
          // lost): not this page's failure. This job decodes the page itself.
          if (!shared || signal.aborted || !(err instanceof ScanError && err.code === 'CANCELLED')) throw err;
          if (this.decoding.get(k) === call) this.decoding.delete(k);
          result = await decode();
        }
        if (this.o.sourceFor && result.decodedSha256 !== job.sha256) {
          throw new ScanError(
            'FILE_UNREADABLE',
            `The shared copy of ${job.path} (${this.o.sourceFor(job)}) does not hold the bytes that were submitted: it was damaged or replaced. Submit the file again.`,
          );
        }
        // The result is of the bytes the engine decoded, which are not those intake hashed when
        // the file was replaced since: it is cached under the decoded bytes' hash.
        const decodedKey: CacheKey = { ...key, sha256: result.decodedSha256 };
        // A job that waited for another job's identical call stores a copy of that stored result.
        const reuse = shared ? await stored(store.findCached(decodedKey)) : null;
        const r = await stored(store.finish(job, reuse !== null ? { reusedFrom: reuse } : { fresh: result }, decodedKey));
        if (!r.ok) return 0; // lease lost: the job belongs to someone else now
        for (const n of result.notices ?? []) this.notifyOnce(job.batchId, job.engine, n);
        return r.detections;
      } finally {
        // Forgotten once the result is stored (or the call failed), so a later identical job
        // finds it in the cache instead of calling the engine again.
        if (!shared && this.decoding.get(k) === call) this.decoding.delete(k);
      }
    } catch (err) {
      if (err instanceof StoreFailure) {
        // The engine's answer could not be written (database locked, disk full): nothing is
        // recorded against the page; its lease expires and it is decoded again.
        reportStoreError(`result of job ${job.id}`, err.cause);
        return 0;
      }
      try {
        await this.recordFailure(job, err, signal);
      } catch (storeErr) {
        // The database refused (locked, disk full): the lease will expire and the job return.
        reportStoreError(`outcome of job ${job.id}`, storeErr);
      }
      return 0;
    }
  }

  private async recordFailure(job: ClaimedJob, err: unknown, signal: AbortSignal): Promise<void> {
    const store = this.o.store;
    if (this.closing || signal.aborted) {
      // Closing, lease lost, or batch deleted: give the job back untouched (refused if not ours).
      await store.release(job);
      return;
    }
    const error = toAppError(err);
    const cls = err instanceof ScanError ? err.errorClass : 'final';
    if (cls === 'retry') {
      const attempt = job.attempts + 1;
      if (attempt < this.o.maxAttempts) {
        const retryAfter = err instanceof ScanError ? err.retryAfterMs : undefined;
        const delay = backoffDelay(attempt, this.o.backoff, this.o.random, retryAfter);
        await store.scheduleRetry(job, error, delay);
        return;
      }
      await store.failFinal(job, { code: error.code, message: `${error.message} (gave up after ${attempt} attempts)` });
      return;
    }
    if (cls === 'stop-engine') {
      if (await store.blockEngine(job, error, optionsKey(job.plan.options))) this.notifyOnce(job.batchId, job.engine, error.message, 'stopped');
      return;
    }
    await store.failFinal(job, error);
  }

  private notifyOnce(batchId: number, engine: string, message: string, topic: string = message): void {
    const k = `${batchId}:${engine}:${topic}`;
    if (this.noticed.has(k)) return;
    this.noticed.add(k);
    this.o.onNotice(batchId, engine, message);
  }
}

/** A store call that failed, told apart from the engine's errors (which are the page's). */
class StoreFailure extends Error {}

function stored<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw new StoreFailure(err instanceof Error ? err.message : String(err), { cause: err });
  });
}

/** Store failures the runner survives; the message is the database's (never a secret). */
function reportStoreError(what: string, err: unknown): void {
  console.error(`scandesk queue: ${what}: ${err instanceof Error ? err.message : String(err)}`);
}
