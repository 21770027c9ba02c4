import { threadId, workerData } from 'node:worker_threads';
import { fileLabel } from '../../imaging/errors';
import { loadGray } from '../../imaging/load';
import { openSourceFile } from '../../imaging/source-file';
import { serve } from '../../workers/serve';
import { decodeGray } from './decode';
import { planFor } from './page-plan';
import { decodeRegion } from './region';
import type { DecodeJob, DecodeSuccess, WorkerConfig } from './protocol';
import { loadZBar } from './zbar';
import { loadZXing } from './zxing';

/**
 * A decode worker: pixels in (via loadOriented, so image decoding also runs off the main
 * thread), detections out. One job at a time; the pool hands out the next when it replies.
 */
const config = (workerData ?? {}) as WorkerConfig;

// Start compiling both wasm modules now, not on the first page.
const ready = Promise.all([loadZXing(config.zxingWasmPath), loadZBar(config.zbarWasmPath)]);
ready.catch(() => {}); // reported with each job (below), not as an unhandled rejection

serve<Omit<DecodeJob, 'id'>, Omit<DecodeSuccess, 'id' | 'ok'>>(
  async (job) => {
    const t0 = performance.now();
    await ready;
    // The file is read once; its hash is of the very bytes decoded (the result cache's key).
    const file = await openSourceFile(job.source, fileLabel(job.source.path, job.source.page));
    // Straight to grey (grey and 1-bit scans as stored, RGB without an alpha band): never RGBA.
    const px = await loadGray(job.source, file);
    const page = { data: new Uint8Array(px.data.buffer, px.data.byteOffset, px.data.length), width: px.width, height: px.height };
    if (job.region) {
      const detections = await decodeRegion(page, job.region);
      return { reply: { detections, pageWidth: px.width, pageHeight: px.height, sha256: file.sha256, steps: [], threadId, ms: performance.now() - t0 } };
    }
    const out = await decodeGray(page, planFor(px.width, px.height));
    return {
      reply: {
        detections: out.detections,
        pageWidth: px.width,
        pageHeight: px.height,
        sha256: file.sha256,
        steps: out.steps,
        threadId,
        ms: performance.now() - t0,
      },
    };
  },
  (message, job) => `The local decoder failed on ${job.source.path} (page ${job.source.page}): ${message}`,
);
