import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ScanError } from '../../errors';
import type { ImageSource } from '../../intake/types';
import type { DecodeJob, DecodeReply, DecodeSuccess, WorkerConfig } from './protocol';

/**
 * The worker's source file. electron-vite builds it as a separate entry of the main bundle
 * (named LOCAL_WORKER_BUNDLE_NAME); add this path to electron.vite.config.ts main inputs.
 */
export const LOCAL_WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The file name the bundled worker entry gets next to the main bundle. */
export const LOCAL_WORKER_BUNDLE_NAME = 'local-decode-worker.js';

export interface PoolOptions {
  /** Number of worker threads; default os.availableParallelism(). */
  size?: number;
  /** The worker script (a file path or file: URL). Default: see defaultWorkerUrl(). */
  workerUrl?: string | URL;
  /** A job that takes longer is failed and its worker replaced (a wasm hang must not hang the batch). */
  jobTimeoutMs?: number;
  config?: WorkerConfig;
}

/**
 * From sources (vitest, tsx) the .mjs bootstrap that loads worker.ts through tsx; from a bundle
 * the built worker next to the bundle.
 */
export function defaultWorkerUrl(): URL {
  const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);
  if (import.meta.url.endsWith('.ts') && existsSync(bootstrap)) return bootstrap;
  return new URL(`./${LOCAL_WORKER_BUNDLE_NAME}`, import.meta.url);
}

interface Pending {
  job: DecodeJob;
  resolve: (r: DecodeSuccess) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
}

export class DecodePool {
  readonly size: number;
  private readonly workerUrl: URL;
  private readonly jobTimeoutMs: number;
  private readonly config: WorkerConfig;
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    const w = options.workerUrl ?? defaultWorkerUrl();
    this.workerUrl = typeof w === 'string' ? (w.startsWith('file:') ? new URL(w) : pathToFileURL(w)) : w;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.config = options.config ?? {};
  }

  /** Decodes one page in some worker. Rejects with ScanError (CANCELLED, TIMEOUT, INTERNAL, imaging codes). */
  run(source: ImageSource, signal?: AbortSignal): Promise<DecodeSuccess> {
    if (this.closed) return Promise.reject(new ScanError('INTERNAL', 'The local decoder is closed'));
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const p: Pending = { job: { id: this.nextId++, source }, resolve, reject, signal };
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
    for (const p of this.queue.splice(0)) settle(p, null, cancelled('The local decoder was closed'));
    const exits: Promise<number>[] = [];
    for (const s of this.slots) {
      if (s.current) settle(s.current, null, cancelled('The local decoder was closed'));
      if (s.timer) clearTimeout(s.timer);
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
      slot.current = p;
      slot.timer = setTimeout(() => this.timeout(slot), this.jobTimeoutMs);
      slot.worker.postMessage(p.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl, { workerData: this.config });
    const slot: Slot = { worker, current: null, timer: null };
    worker.on('message', (reply: DecodeReply) => {
      const p = slot.current;
      if (!p || p.job.id !== reply.id) return;
      this.finish(slot);
      if (reply.ok) settle(p, reply, null);
      else settle(p, null, new ScanError(reply.error.code, reply.error.message, { errorClass: reply.error.errorClass }));
      this.pump();
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
        const why = lastError ? lastError.message : `exit code ${code}`;
        settle(
          p,
          null,
          new ScanError(
            'INTERNAL',
            `The local decoder crashed while reading ${p.job.source.path} (page ${p.job.source.page}): ${why}`,
          ),
        );
      }
      if (!this.closed) this.pump(); // replaces the worker if jobs are waiting
    });
    this.slots.add(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.current = null;
  }

  private timeout(slot: Slot): void {
    const p = slot.current;
    if (!p) return;
    this.finish(slot);
    this.slots.delete(slot);
    void slot.worker.terminate();
    settle(
      p,
      null,
      new ScanError('TIMEOUT', `The local decoder took longer than ${this.jobTimeoutMs / 1000} s on ${p.job.source.path}`, {
        errorClass: 'final',
      }),
    );
    if (!this.closed) this.pump();
  }
}

function settle(p: Pending, value: DecodeSuccess | null, error: Error | null): void {
  if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
  if (error) p.reject(error);
  else p.resolve(value!);
}

function cancelled(message = 'Cancelled'): ScanError {
  return new ScanError('CANCELLED', message);
}
