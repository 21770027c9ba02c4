import { threadId, workerData } from 'node:worker_threads';
import { loadOriented } from '../../imaging/load';
import { serve } from '../../workers/serve';
import { decodePixels } from './decode';
import { DEFAULT_PLAN } from './plan';
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
    const px = await loadOriented(job.source);
    const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
    return {
      reply: {
        detections: out.detections,
        pageWidth: px.width,
        pageHeight: px.height,
        steps: out.steps,
        threadId,
        ms: performance.now() - t0,
      },
    };
  },
  (message, job) => `The local decoder failed on ${job.source.path} (page ${job.source.page}): ${message}`,
);
