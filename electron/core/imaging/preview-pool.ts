import { WorkerPool } from '../workers/pool';
import type { SuccessReply } from '../workers/protocol';
import { IMAGE_LIMITS } from './limits';
import type { ExpectedSource } from './preview';
import type { PreviewImage, PreviewOptions } from './types';

/** The file name the bundled preview worker gets next to the main bundle (electron.vite.config.ts). */
export const PREVIEW_WORKER_BUNDLE_NAME = 'preview-worker.js';

export interface PreviewPoolOptions {
  /** Number of worker threads; default os.availableParallelism(). */
  size?: number;
  /** The worker script (a file path or file: URL). Default: see defaultPreviewWorkerUrl(). */
  workerUrl?: string | URL;
  /** A render that takes longer fails with TIMEOUT and its worker is replaced. Default 60 s. */
  jobTimeoutMs?: number;
  /** An idle worker is terminated after this long (frees a HEIC decoder's wasm heap). Default 30 s. */
  idleMs?: number;
  /** V8 heap of each worker, in MB (default IMAGE_LIMITS.workerHeapMb): past it the page fails IMAGE_TOO_LARGE. */
  heapMb?: number;
}

/** From sources (vitest, tsx) preview-worker.ts; from a bundle the built worker next to it. */
export function defaultPreviewWorkerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./preview-worker.ts', import.meta.url);
  return new URL(`./${PREVIEW_WORKER_BUNDLE_NAME}`, import.meta.url);
}

interface PreviewReply extends SuccessReply {
  preview: Omit<PreviewImage, 'data'> & { data: Uint8Array };
}

/**
 * imaging's `makePreview` in worker threads: thumbnails and review previews are drawn for the
 * scandesk: protocol (Electron's main process) and the host's /media route, and decoding a
 * phone's HEIC (wasm), a BMP or a PDF page is synchronous work that would freeze the app's UI,
 * IPC and every other request for a second or more. Here it runs in a pool with the same limits
 * as decoding (heap, time); a page that fails answers its own ScanError and the next one goes on.
 */
export class PreviewPool {
  readonly size: number;
  private readonly pool: WorkerPool<{ source: ExpectedSource; options: PreviewOptions }, PreviewReply>;

  constructor(options: PreviewPoolOptions = {}) {
    this.pool = new WorkerPool({
      name: 'Preview rendering',
      workerUrl: options.workerUrl ?? defaultPreviewWorkerUrl(),
      idleMs: options.idleMs ?? 30_000,
      jobTimeoutMs: options.jobTimeoutMs ?? 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? IMAGE_LIMITS.workerHeapMb },
      ...(options.size === undefined ? {} : { size: options.size }),
      describeJob: ({ source }) => `${source.path} (page ${source.page})`,
    });
    this.size = this.pool.size;
  }

  /** Same contract as imaging's makePreview; bound, so it can be passed around. */
  readonly render = async (source: ExpectedSource, options: PreviewOptions, signal?: AbortSignal): Promise<PreviewImage> => {
    const { preview } = await this.pool.run(
      { source: { path: source.path, page: source.page, format: source.format, ...(source.sha256 ? { sha256: source.sha256 } : {}) }, options },
      signal ? { signal } : {},
    );
    const d = preview.data;
    return { ...preview, data: Buffer.from(d.buffer, d.byteOffset, d.byteLength) };
  };

  /** Live worker threads (tests, diagnostics). */
  get threadIds(): number[] {
    return this.pool.threadIds;
  }

  /** Terminates the workers; renders in progress fail with CANCELLED. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
