import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import type { ReadResult, ReaderOptions } from 'zxing-wasm/reader';

/**
 * What an emulated vendor "sees": it really decodes the bytes it was sent (sharp + zxing-wasm,
 * loaded from node_modules: the default CDN fetch fails offline). Independent of the product's
 * local engine on purpose, like a real vendor is. Decoding runs in worker threads
 * (zxing-worker.mjs) so the emulator's HTTP side stays responsive, as a real front end is.
 */
export interface DecodedImage {
  width: number;
  height: number;
  results: Array<Pick<ReadResult, 'format' | 'text' | 'position' | 'isValid'>>;
}

interface Reply extends Partial<DecodedImage> {
  id: number;
  error?: string;
}

const POOL_SIZE = 2;
const pool: Worker[] = [];
const pending = new Map<number, { resolve: (d: DecodedImage) => void; reject: (e: Error) => void }>();
let nextId = 1;
let turn = 0;

function worker(): Worker {
  if (pool.length < POOL_SIZE) {
    const w = new Worker(new URL('./zxing-worker.mjs', import.meta.url));
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve({ width: m.width!, height: m.height!, results: m.results! });
    });
    w.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    // Idle workers must not keep a test process alive.
    w.unref();
    pool.push(w);
    return w;
  }
  return pool[turn++ % pool.length]!;
}

/**
 * The same bytes read with the same options give the same answer: the last few are kept, so a
 * benchmark sending many copies of one page measures the client, not the emulator's decoding.
 */
const CACHE_SIZE = 64;
const answered = new Map<string, Promise<DecodedImage>>();

/** Decodes encoded image bytes and reads every code in them. Rejects on undecodable bytes. */
export function decodeImageCodes(bytes: Buffer, options: ReaderOptions): Promise<DecodedImage> {
  const key = createHash('sha256').update(bytes).update(JSON.stringify(options)).digest('hex');
  let p = answered.get(key);
  if (!p) {
    p = decodeInWorker(bytes, options);
    answered.set(key, p);
    p.catch(() => answered.delete(key));
    if (answered.size > CACHE_SIZE) answered.delete(answered.keys().next().value!);
  }
  return p;
}

function decodeInWorker(bytes: Buffer, options: ReaderOptions): Promise<DecodedImage> {
  const id = nextId++;
  const w = worker();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // A copy, transferred: the caller keeps its buffer.
    const copy = new Uint8Array(bytes);
    w.postMessage({ id, bytes: copy, options }, [copy.buffer]);
  });
}

/** Image dimensions without decoding pixels. */
export async function imageSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  const m = await sharp(bytes).metadata();
  return { width: m.width ?? 0, height: m.height ?? 0 };
}
