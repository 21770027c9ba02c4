import { parentPort, threadId, workerData } from 'node:worker_threads';
import { isErrorCode } from '../../../../shared/errors';
import { loadOriented } from '../../imaging/load';
import { decodePixels } from './decode';
import { DEFAULT_PLAN } from './plan';
import type { DecodeJob, DecodeReply, WorkerConfig } from './protocol';
import { loadZBar } from './zbar';
import { loadZXing } from './zxing';

/**
 * A decode worker: pixels in (via loadOriented, so image decoding also runs off the main
 * thread), detections out. One job at a time; the pool hands out the next when it replies.
 */
const config = (workerData ?? {}) as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('The local decode worker must run in a worker thread');

// Start compiling both wasm modules now, not on the first page.
const ready = Promise.all([loadZXing(config.zxingWasmPath), loadZBar(config.zbarWasmPath)]);

port.on('message', (job: DecodeJob) => {
  void handle(job).then((reply) => port.postMessage(reply));
});

async function handle(job: DecodeJob): Promise<DecodeReply> {
  const t0 = performance.now();
  try {
    await ready;
    const px = await loadOriented(job.source);
    const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
    return {
      id: job.id,
      ok: true,
      detections: out.detections,
      pageWidth: px.width,
      pageHeight: px.height,
      steps: out.steps,
      threadId,
      ms: performance.now() - t0,
    };
  } catch (err) {
    return { id: job.id, ok: false, error: describe(err, job), threadId };
  }
}

function describe(err: unknown, job: DecodeJob): Extract<DecodeReply, { ok: false }>['error'] {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; errorClass?: unknown };
  if (e && e.name === 'ScanError' && isErrorCode(e.code)) {
    return {
      code: e.code,
      message: String(e.message),
      errorClass: e.errorClass === 'retry' || e.errorClass === 'stop-engine' ? e.errorClass : 'final',
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: 'INTERNAL',
    message: `The local decoder failed on ${job.source.path} (page ${job.source.page}): ${message}`,
    errorClass: 'final',
  };
}
