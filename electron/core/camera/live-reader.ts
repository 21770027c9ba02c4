import type { LiveCode } from '../../../shared/contract/camera';
import { WorkerPool } from '../workers/pool';
import type { SuccessReply } from '../workers/protocol';

/** The file name the bundled live-frame worker gets next to the main bundle (electron.vite.config.ts). */
export const LIVE_WORKER_BUNDLE_NAME = 'camera-live-worker.js';

/** From sources (vitest, tsx) live-worker.ts; from a bundle the built worker next to it. */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./live-worker.ts', import.meta.url);
  return new URL(`./${LIVE_WORKER_BUNDLE_NAME}`, import.meta.url);
}

export interface LiveFrame {
  width: number;
  height: number;
  /** One byte per pixel (width × height). */
  gray: Uint8Array;
}

/**
 * Reads the live camera frames the new-batch dialog samples (a few a second) in one worker
 * thread of its own, started on the first frame and gone a few seconds after the camera closes.
 * A batch's decode pool is never asked: a running batch does not slow the preview, nor the
 * preview the batch beyond one thread.
 */
export class LiveReader {
  private pool: WorkerPool<LiveFrame, SuccessReply & { codes: LiveCode[] }> | null = null;

  async read(frame: LiveFrame): Promise<LiveCode[]> {
    this.pool ??= new WorkerPool({
      name: 'The live camera decoder',
      workerUrl: workerUrl(),
      size: 1,
      idleMs: 10_000,
      jobTimeoutMs: 15_000,
      describeJob: (f) => `a ${f.width}×${f.height} camera frame`,
    });
    const copy = frame.gray.slice();
    return (await this.pool.run({ ...frame, gray: copy }, { transfer: [copy.buffer] })).codes;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
