import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ScanError } from '../errors';
import type { FailureReply, JobMessage, SuccessReply } from './protocol';

/**
 * A pool of worker threads that each run one job at a time: started lazily (a thread per job
 * waiting, up to `size`), a crashed thread's job failed with a clear error and the thread
 * replaced, a job over its time limit failed and its thread terminated (a wasm hang must not
 * hang the batch), everything terminated on close. Used by the local decoder and by imaging's
 * prepare for cloud vendors (workers answer through serve.ts).
 *
 * A worker given as a .ts file (running from sources: vitest, `node --import tsx`) is started
 * through ts-bootstrap.mjs, which registers tsx in the new thread first; a bundled build points
 * at its built .js worker, started directly.
 */
export interface WorkerPoolOptions<P extends object> {
  /** The worker script: a .ts source, or a built .js/.mjs file (path or file: URL). */
  workerUrl: string | URL;
  /** Number of worker threads; default os.availableParallelism(). */
  size?: number;
  /** Passed to every worker as workerData. */
  workerData?: unknown;
  /** A job that takes longer is failed with TIMEOUT and its worker replaced. Default 120 s. */
  jobTimeoutMs?: number;
  /** Terminate a worker idle this long (its memory, e.g. a wasm heap, goes with it). Default: never. */
  idleMs?: number;
  /**
   * V8 heap limits of each worker. A job that exceeds them ends its worker (the pool replaces
   * it) and fails alone with IMAGE_TOO_LARGE: one crafted file cannot take the app's memory.
   */
  resourceLimits?: ResourceLimits;
  /** Who this pool is, at the start of its messages: 'The local decoder'. */
  name: string;
  /** The job as the user recognises it, for crash and timeout messages (e.g. its file). */
  describeJob: (payload: P) => string;
}

/** Per-job options: an abort signal, and ArrayBuffers to move (not copy) into the worker. */
export interface RunOptions {
  signal?: AbortSignal;
  transfer?: ArrayBuffer[];
}

interface Pending<P extends object, R> {
  job: JobMessage<P>;
  payload: P;
  transfer: ArrayBuffer[];
  resolve: (r: R) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot<P extends object, R> {
  worker: Worker;
  current: Pending<P, R> | null;
  timer: NodeJS.Timeout | null;
  idle: NodeJS.Timeout | null;
}

const TS_BOOTSTRAP = (): URL => new URL('./ts-bootstrap.mjs', import.meta.url);

/** What a worker is started with; a prestarted worker is taken only by a pool asking for the same. */
type WorkerSpec = Pick<WorkerPoolOptions<object>, 'workerUrl' | 'workerData' | 'resourceLimits'>;

function specKey(spec: WorkerSpec): string {
  return JSON.stringify([toFileUrl(spec.workerUrl).href, spec.workerData ?? null, spec.resourceLimits ?? null]);
}

function startWorker(spec: WorkerSpec): Worker {
  const url = toFileUrl(spec.workerUrl);
  const limits = spec.resourceLimits ? { resourceLimits: spec.resourceLimits } : {};
  return url.pathname.endsWith('.ts')
    ? new Worker(TS_BOOTSTRAP(), { workerData: spec.workerData, argv: ['--scandesk-worker-entry', url.href], ...limits })
    : new Worker(url, { workerData: spec.workerData, ...limits });
}

interface Prestarted {
  worker: Worker;
  expiry: NodeJS.Timeout;
  onGone: () => void;
}
const PRESTARTED = new Map<string, Prestarted[]>();
/** A prestarted worker no pool has taken by then is ended (its module and wasm heap go with it). */
const PRESTART_EXPIRY_MS = 30_000;

/**
 * Starts `count` workers now, before the pool that will run them exists: a command that knows
 * it will decode (`scandesk scan`) starts its decode worker first thing, so the worker loads
 * its modules and compiles its wasm while the command loads its own, opens the database and
 * reads the files (issue 10: time to the first result). The first pool created with the same
 * worker, workerData and resourceLimits takes them instead of starting its own. They do not
 * keep the process alive, and end unused after PRESTART_EXPIRY_MS. Answers the workers started
 * now (none when `count` are waiting already).
 */
export function prestartWorkers(spec: WorkerSpec, count = 1): Worker[] {
  const key = specKey(spec);
  const list = PRESTARTED.get(key) ?? [];
  PRESTARTED.set(key, list);
  const started: Worker[] = [];
  for (let i = list.length; i < count; i++) {
    const worker = startWorker(spec);
    worker.unref();
    const entry: Prestarted = {
      worker,
      expiry: setTimeout(() => {
        entry.onGone();
        void worker.terminate();
      }, PRESTART_EXPIRY_MS).unref(),
      // A worker that fails to start is forgotten (the pool starts its own, and reports why).
      onGone: () => {
        clearTimeout(entry.expiry);
        worker.off('error', entry.onGone);
        worker.off('exit', entry.onGone);
        const at = list.indexOf(entry);
        if (at >= 0) list.splice(at, 1);
      },
    };
    worker.on('error', entry.onGone);
    worker.on('exit', entry.onGone);
    list.push(entry);
    started.push(worker);
  }
  return started;
}

/** A prestarted worker for this spec, no longer prestarted; undefined when there is none. */
function takePrestarted(spec: WorkerSpec): Worker | undefined {
  const entry = PRESTARTED.get(specKey(spec))?.[0];
  if (!entry) return undefined;
  entry.onGone();
  return entry.worker;
}

export function toFileUrl(w: string | URL): URL {
  return typeof w === 'string' ? (w.startsWith('file:') ? new URL(w) : pathToFileURL(w)) : w;
}

export class WorkerPool<P extends object, R extends SuccessReply> {
  readonly size: number;
  private readonly workerUrl: URL;
  private readonly jobTimeoutMs: number;
  private readonly slots = new Set<Slot<P, R>>();
  private readonly queue: Pending<P, R>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions<P>) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.workerUrl = toFileUrl(options.workerUrl);
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
  }

  /**
   * Runs one job in some worker and resolves with its reply. Rejects with the worker's
   * ScanError (same code, message and class), or CANCELLED, TIMEOUT, INTERNAL (crash).
   */
  run(payload: P, opts: RunOptions = {}): Promise<R> {
    const { signal } = opts;
    if (this.closed) return Promise.reject(new ScanError('INTERNAL', `${this.options.name} is closed`));
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<R>((resolve, reject) => {
      const job = { ...payload, id: this.nextId++ } as JobMessage<P>;
      const p: Pending<P, R> = { job, payload, transfer: opts.transfer ?? [], resolve, reject, signal };
      if (signal) {
        p.onAbort = () => {
          const i = this.queue.indexOf(p);
          if (i >= 0) this.queue.splice(i, 1);
          // A running job cannot be interrupted inside wasm; its answer will simply be dropped.
          reject(cancelled());
        };
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Terminates every worker; queued and running jobs fail with CANCELLED. */
  async close(): Promise<void> {
    this.closed = true;
    const why = `${this.options.name} was closed`;
    for (const p of this.queue.splice(0)) settle(p, null, cancelled(why));
    const exits: Promise<number>[] = [];
    for (const s of this.slots) {
      if (s.current) settle(s.current, null, cancelled(why));
      this.finish(s);
      exits.push(s.worker.terminate());
    }
    this.slots.clear();
    await Promise.all(exits);
  }

  /** Live worker threads (for tests and diagnostics). */
  get threadIds(): number[] {
    return [...this.slots].map((s) => s.worker.threadId);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.current === null);
      if (!slot && this.slots.size < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      slot.current = p;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.timeout(slot), this.jobTimeoutMs);
      slot.worker.postMessage(p.job, p.transfer);
    }
  }

  private spawn(): Slot<P, R> {
    const worker = takePrestarted(this.options) ?? startWorker(this.options);
    const slot: Slot<P, R> = { worker, current: null, timer: null, idle: null };
    worker.on('message', (reply: R | FailureReply) => {
      const p = slot.current;
      if (!p || p.job.id !== reply.id) return;
      this.finish(slot);
      if (reply.ok) settle(p, reply, null);
      else settle(p, null, revive(reply));
      this.pump();
      this.idleLater(slot);
    });
    // 'error' (uncaught exception in the worker) is always followed by 'exit'.
    let lastError: Error | null = null;
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      const p = slot.current;
      this.finish(slot);
      this.slots.delete(slot);
      if (p) {
        const what = this.options.describeJob(p.payload);
        if ((lastError as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          settle(
            p,
            null,
            new ScanError('IMAGE_TOO_LARGE', `${what}: reading it needs more memory than one page may use (a damaged or crafted file); it was stopped.`),
          );
        } else {
          const why = lastError ? lastError.message : `exit code ${code}`;
          settle(p, null, new ScanError('INTERNAL', `${this.options.name} crashed while reading ${what}: ${why}`));
        }
      }
      if (!this.closed) this.pump(); // replaces the worker if jobs are waiting
    });
    this.slots.add(slot);
    return slot;
  }

  /** An idle worker past idleMs is terminated; the next job starts a fresh one. */
  private idleLater(slot: Slot<P, R>): void {
    // An idle worker does not keep the process alive (a command line ends when its work does).
    if (!slot.current) slot.worker.unref();
    const idleMs = this.options.idleMs;
    if (idleMs === undefined || slot.current || this.closed || !this.slots.has(slot)) return;
    slot.idle = setTimeout(() => {
      if (slot.current || !this.slots.has(slot)) return;
      this.slots.delete(slot);
      void slot.worker.terminate();
    }, idleMs);
    slot.idle.unref(); // an idle worker's timer must not keep the process alive
  }

  private finish(slot: Slot<P, R>): void {
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.idle) clearTimeout(slot.idle);
    slot.timer = null;
    slot.idle = null;
    slot.current = null;
  }

  private timeout(slot: Slot<P, R>): void {
    const p = slot.current;
    if (!p) return;
    this.finish(slot);
    this.slots.delete(slot);
    void slot.worker.terminate();
    const what = this.options.describeJob(p.payload);
    settle(
      p,
      null,
      new ScanError('TIMEOUT', `${this.options.name} took longer than ${this.jobTimeoutMs / 1000} s on ${what}`, {
        errorClass: 'final',
      }),
    );
    if (!this.closed) this.pump();
  }
}

/** The worker's error as the ScanError it was (same code, message and class). */
function revive(reply: FailureReply): ScanError {
  const { code, message, errorClass, retryAfterMs } = reply.error;
  return new ScanError(code, message, { errorClass, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

function settle<P extends object, R>(p: Pending<P, R>, value: R | null, error: Error | null): void {
  if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
  if (error) p.reject(error);
  else p.resolve(value!);
}

function cancelled(message = 'Cancelled'): ScanError {
  return new ScanError('CANCELLED', message);
}
