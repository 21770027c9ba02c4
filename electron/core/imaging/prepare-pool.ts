import type { ImageSource } from '../intake/types';
import { WorkerPool } from '../workers/pool';
import type { SuccessReply } from '../workers/protocol';
import { IMAGE_LIMITS } from './limits';
import type { Budget, PreparedImage } from './types';

/** The file name the bundled prepare worker gets next to the main bundle (electron.vite.config.ts). */
export const PREPARE_WORKER_BUNDLE_NAME = 'prepare-worker.js';

export interface PreparePoolOptions {
  /** Number of worker threads; default os.availableParallelism(). */
  size?: number;
  /** The worker script (a file path or file: URL). Default: see defaultPrepareWorkerUrl(). */
  workerUrl?: string | URL;
  /** A page that takes longer fails with TIMEOUT and its worker is replaced. Default 120 s. */
  jobTimeoutMs?: number;
  /** An idle worker is terminated after this long (frees a HEIC decoder's wasm heap). Default 60 s. */
  idleMs?: number;
}

/** From sources (vitest, tsx) prepare-worker.ts; from a bundle the built worker next to it. */
export function defaultPrepareWorkerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./prepare-worker.ts', import.meta.url);
  return new URL(`./${PREPARE_WORKER_BUNDLE_NAME}`, import.meta.url);
}

interface PrepareReply extends SuccessReply {
  prepared: Omit<PreparedImage, 'data'> & { data: Uint8Array };
}

/**
 * imaging's `prepare` in a pool of worker threads: HEIC decoding (wasm, seconds for a phone
 * photo) and PDF rendering are synchronous, and on the thread that runs the service (Electron's
 * main process) they would freeze the app's UI and IPC. Same signature as `prepare`, so a vendor
 * engine takes `pool.prepare` as its `prepare` option; ScanErrors arrive unchanged (code,
 * message, class) and the encoded bytes are moved, not copied, across threads.
 *
 * Threads start with the first page and stop after `idleMs` idle; `close()` ends them all.
 */
export class PreparePool {
  readonly size: number;
  private readonly pool: WorkerPool<{ source: ImageSource; budget: Budget }, PrepareReply>;

  constructor(options: PreparePoolOptions = {}) {
    this.pool = new WorkerPool({
      name: 'Image preparation',
      workerUrl: options.workerUrl ?? defaultPrepareWorkerUrl(),
      idleMs: options.idleMs ?? 60_000,
      resourceLimits: { maxOldGenerationSizeMb: IMAGE_LIMITS.workerHeapMb },
      ...(options.size === undefined ? {} : { size: options.size }),
      ...(options.jobTimeoutMs === undefined ? {} : { jobTimeoutMs: options.jobTimeoutMs }),
      describeJob: ({ source }) => `${source.path} (page ${source.page})`,
    });
    this.size = this.pool.size;
  }

  /** Same contract as imaging's prepare(source, budget); bound, so it can be passed around. */
  readonly prepare = async (source: ImageSource, budget: Budget): Promise<PreparedImage> => {
    // Only the fields prepare reads: callers may pass richer objects (an IntakeItem) that
    // need not be cloned to the worker.
    const { prepared } = await this.pool.run({
      source: { path: source.path, page: source.page, format: source.format },
      budget,
    });
    const d = prepared.data;
    return { ...prepared, data: Buffer.from(d.buffer, d.byteOffset, d.byteLength) };
  };

  /** Live worker threads (tests, diagnostics). */
  get threadIds(): number[] {
    return this.pool.threadIds;
  }

  /** Terminates the workers; pages in progress fail with CANCELLED. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
