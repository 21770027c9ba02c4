import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { IMAGE_LIMITS } from '../../imaging/limits';
import type { ImageSource } from '../../intake/types';
import { prestartWorkers, WorkerPool } from '../../workers/pool';
import type { DecodeSuccess, WorkerConfig } from './protocol';
import type { RegionBox } from './region';

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
  /**
   * V8 heap of each worker, in MB (default IMAGE_LIMITS.workerHeapMb). A page that needs more
   * ends its worker and fails alone with IMAGE_TOO_LARGE (tests set a small one).
   */
  heapMb?: number;
  config?: WorkerConfig;
}

/**
 * From sources (vitest, tsx) worker.ts itself (the shared pool starts it through tsx); from a
 * bundle the built worker next to the bundle.
 */
export function defaultWorkerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./worker.ts', import.meta.url);
  return new URL(`./${LOCAL_WORKER_BUNDLE_NAME}`, import.meta.url);
}

/** What each decode worker is started with (a prestarted one must match it to be used). */
function workerSpec(options: Pick<PoolOptions, 'workerUrl' | 'config' | 'heapMb'>) {
  return {
    workerUrl: options.workerUrl ?? defaultWorkerUrl(),
    workerData: options.config ?? {},
    // A page whose file needs more heap than any real one fails alone (IMAGE_TOO_LARGE).
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? IMAGE_LIMITS.workerHeapMb },
  };
}

/**
 * Starts one decode worker now, for the first DecodePool with the same worker options to take
 * (workers/pool.ts prestartWorkers): `scandesk scan` calls it before it loads the rest of
 * itself, so the worker is ready when the first page is.
 */
export function prestartDecodeWorker(options: Pick<PoolOptions, 'workerUrl' | 'config' | 'heapMb'> = {}): Worker[] {
  return prestartWorkers(workerSpec(options), 1);
}

/** The local decoder's threads: one page per job (the shared WorkerPool does the rest). */
export class DecodePool {
  readonly size: number;
  private readonly pool: WorkerPool<{ source: ImageSource; region?: RegionBox }, DecodeSuccess>;

  constructor(options: PoolOptions = {}) {
    this.pool = new WorkerPool({
      name: 'The local decoder',
      ...workerSpec(options),
      ...(options.size === undefined ? {} : { size: options.size }),
      ...(options.jobTimeoutMs === undefined ? {} : { jobTimeoutMs: options.jobTimeoutMs }),
      describeJob: ({ source }) => `${source.path} (page ${source.page})`,
    });
    this.size = this.pool.size;
  }

  /** Decodes one page in some worker. Rejects with ScanError (CANCELLED, TIMEOUT, INTERNAL, imaging codes). */
  run(source: ImageSource, signal?: AbortSignal): Promise<DecodeSuccess> {
    return this.pool.run({ source }, signal ? { signal } : {});
  }

  /** Reads one box of a page (a reviewer drew it) at full resolution, in some worker. */
  runRegion(source: ImageSource, region: RegionBox, signal?: AbortSignal): Promise<DecodeSuccess> {
    return this.pool.run({ source, region }, signal ? { signal } : {});
  }

  /** Terminates every worker; queued and running jobs fail with CANCELLED. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** Live worker threads (for tests and diagnostics). */
  get threadIds(): number[] {
    return this.pool.threadIds;
  }
}
