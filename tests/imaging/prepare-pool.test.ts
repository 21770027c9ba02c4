import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MessageChannel } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { build as electronViteBuild } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare } from '../../electron/core/imaging/prepare';
import type * as PoolModule from '../../electron/core/imaging/prepare-pool';
import { PREPARE_WORKER_BUNDLE_NAME, PreparePool } from '../../electron/core/imaging/prepare-pool';
import type { Budget, PreparedImage } from '../../electron/core/imaging/types';
import type { ImageFormat, ImageSource } from '../../electron/core/intake/types';
import { transferable } from '../../electron/core/workers/serve';
import { Z, ZC } from '../fixtures/samples';
import { readEncoded } from './zxing-helper';
import { failure } from '../support/scan-error';
import { buildWithWorker } from '../support/worker-bundle';

const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
/**
 * A 2560x1920 HEIC (5 MP) of the real photo zxing/qrcode-2/6.png, upscaled with sharp (cubic)
 * and encoded with `heif-enc -q 60` (libheif-examples): large enough that decoding it takes a
 * second of synchronous wasm work, like a phone photo.
 */
const BIG_HEIC = fileURLToPath(new URL('./fixtures/qr-photo-5mp.heic', import.meta.url));
const BIG_HEIC_TEXT = readFileSync(Z + 'qrcode-2/6.txt', 'utf8');
const MiB = 1024 * 1024;
const TENCENT: Budget = { maxBytes: 3 * MiB, countAs: 'base64', formats: ['jpeg', 'png'], minSide: 1000 };
const WECHAT: Budget = { maxBytes: 2 * MiB - 1, countAs: 'file', formats: ['jpeg', 'png'], minSide: 1000 };
const src = (path: string, format: ImageFormat, page = 1): ImageSource => ({ path, format, page });

/** Real pages of every kind prepare handles differently, with the text of their code. */
const PAGES: Array<{ source: ImageSource; budget: Budget; text: string }> = [
  { source: src(Z + 'pdf417-1/12.png', 'png'), budget: TENCENT, text: readFileSync(Z + 'pdf417-1/12.txt', 'utf8') },
  { source: src(ZC + 'qrcode-2/#199b.jpg', 'jpeg'), budget: WECHAT, text: readFileSync(ZC + 'qrcode-2/#199b.txt', 'utf8') },
  { source: src(ZC + 'qrcode-2/6.webp', 'webp'), budget: WECHAT, text: readFileSync(ZC + 'qrcode-2/6.txt', 'utf8') },
  { source: src(BIG_HEIC, 'heif'), budget: WECHAT, text: BIG_HEIC_TEXT },
  { source: src(FIX + 'two-qr.pdf', 'pdf', 2), budget: TENCENT, text: readFileSync(Z + 'qrcode-3/01.txt', 'utf8') },
  { source: src(FIX + 'qr-b.bmp', 'bmp'), budget: { maxBytes: 60 * 1024, countAs: 'file', formats: ['jpeg'] }, text: readFileSync(Z + 'qrcode-3/01.txt', 'utf8') },
];

function same(a: PreparedImage, b: PreparedImage): void {
  const { data: da, ...ma } = a;
  const { data: db, ...mb } = b;
  expect(ma).toEqual(mb);
  expect(Buffer.isBuffer(da)).toBe(true);
  expect(da.equals(db)).toBe(true);
}

let tmp: string;
let pool: PreparePool;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-prepare-pool-'));
  pool = new PreparePool({ size: 2 });
});
afterAll(async () => {
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

// Each case prepares every kind of page (a 12 MP HEIC among them) on this thread and in the
// pool; on a loaded two-core runner that took 61 s, past the suite's 60 s default.
describe('prepare in worker threads', { timeout: 180_000 }, () => {
  it('gives the same prepared image as prepare on this thread, for every kind of page', async () => {
    for (const { source, budget, text } of PAGES) {
      const [here, pooled] = await Promise.all([prepare(source, budget), pool.prepare(source, budget)]);
      same(pooled, here);
      expect(pooled.countedBytes).toBeLessThanOrEqual(budget.maxBytes);
      const meta = await sharp(pooled.data).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([pooled.format, pooled.width, pooled.height]);
      expect((await readEncoded(pooled.data)).map((r) => r.text)).toEqual([text]);
    }
  });

  it('keeps the scale that maps back to the page when it has to shrink', async () => {
    const budget: Budget = { ...WECHAT, maxSide: 1200 };
    const pooled = await pool.prepare(src(BIG_HEIC, 'heif'), budget);
    expect([pooled.pageWidth, pooled.pageHeight]).toEqual([2560, 1920]);
    expect([pooled.width, pooled.height]).toEqual([1200, 900]);
    expect(pooled.scale).toBeCloseTo(1200 / 2560, 6);
    same(pooled, await prepare(src(BIG_HEIC, 'heif'), budget));
    expect((await readEncoded(pooled.data)).map((r) => r.text)).toEqual([BIG_HEIC_TEXT]);
  });

  it('rejects with the same ScanError as prepare (code, message, class): bomb, truncated, missing, too large', async () => {
    // 30000x30000 declared in the header of an otherwise tiny real PNG.
    const bomb = Buffer.from(readFileSync(Z + 'qrcode-2/1.png'));
    bomb.writeUInt32BE(30_000, 16);
    bomb.writeUInt32BE(30_000, 20);
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
    writeFileSync(join(tmp, 'bomb.png'), bomb);
    const jpg = readFileSync(ZC + 'qrcode-2/#199b.jpg');
    writeFileSync(join(tmp, 'truncated.jpg'), jpg.subarray(0, Math.floor(jpg.length / 2)));
    const cases: Array<[ImageSource, Budget, string]> = [
      [src(join(tmp, 'bomb.png'), 'png'), TENCENT, 'IMAGE_TOO_LARGE'],
      [src(join(tmp, 'truncated.jpg'), 'jpeg'), TENCENT, 'IMAGE_DECODE'],
      [src(join(tmp, 'missing.heic'), 'heif'), TENCENT, 'FILE_NOT_FOUND'],
      [src(BIG_HEIC, 'heif'), { maxBytes: 20 * 1024, countAs: 'file', formats: ['jpeg'], minSide: 1800 }, 'IMAGE_TOO_LARGE'],
    ];
    for (const [source, budget, code] of cases) {
      const here = await failure(prepare(source, budget));
      const pooled = await failure(pool.prepare(source, budget));
      expect(here.code).toBe(code);
      expect([pooled.name, pooled.code, pooled.message, pooled.errorClass]).toEqual([here.name, here.code, here.message, here.errorClass]);
    }
    // ... and the pool goes on with the next page.
    const ok = await pool.prepare(PAGES[0]!.source, PAGES[0]!.budget);
    expect(ok.format).toBe('png');
  });

  it('runs several pages at once, spread over its threads', async () => {
    const jobs = [...PAGES, ...PAGES].map(({ source, budget }) => pool.prepare(source, budget));
    const results = await Promise.all(jobs);
    expect(results).toHaveLength(PAGES.length * 2);
    for (let i = 0; i < PAGES.length; i++) same(results[i]!, results[i + PAGES.length]!);
    expect(pool.threadIds).toHaveLength(2);
  });

  it('keeps the main thread responsive while a HEIC and a PDF page are prepared (event-loop delay, this thread vs the pool)', async () => {
    const heic = src(BIG_HEIC, 'heif');
    const pdf = src(FIX + 'two-qr.pdf', 'pdf', 2);
    // Warm both paths (wasm compiled, pdf.js loaded, worker started) so only the work itself counts.
    await Promise.all([prepare(src(FIX + 'qr-photo.heic', 'heif'), WECHAT), pool.prepare(src(FIX + 'qr-photo.heic', 'heif'), WECHAT)]);
    await Promise.all([prepare(pdf, WECHAT), pool.prepare(pdf, WECHAT)]);
    const maxDelayMs = async (run: () => Promise<unknown>): Promise<number> => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      await run();
      h.disable();
      return h.max / 1e6;
    };
    const delays: Record<string, { here: number; pooled: number }> = {};
    for (const source of [heic, pdf]) {
      const here = await maxDelayMs(() => prepare(source, WECHAT));
      const pooled = await maxDelayMs(() => pool.prepare(source, WECHAT));
      delays[source.format] = { here, pooled };
      console.log(`${source.format}: max event-loop delay ${here.toFixed(0)} ms on this thread, ${pooled.toFixed(0)} ms through the pool`);
    }
    // The HEIC decode blocks this thread for its whole length (a second or more); through the
    // pool what remains is scheduling noise. The PDF page (0.2 s of rendering) is reported only:
    // on a loaded 2-core machine its margin over noise is too thin to assert.
    // On some runs libheif's wasm decode comes back in short slices and barely blocks this thread
    // either (seen in CI: 6 ms here, 9 ms pooled); what must always hold is that the pool adds no
    // long block of its own: a quarter of the in-thread delay, or under 50 ms, whichever is larger.
    expect(delays.heif!.pooled).toBeLessThan(Math.max(delays.heif!.here / 4, 50));
  });

  it('moves the encoded bytes across threads instead of copying them', async () => {
    const png = await sharp(Z + 'qrcode-2/1.png').png().toBuffer();
    const { port1, port2 } = new MessageChannel();
    try {
      // sharp's output is external memory that V8 cannot detach: Node 24 refuses to transfer it.
      expect(() => port1.postMessage(png, [png.buffer as ArrayBuffer])).toThrow(/transfer/i);
      expect(png.buffer.byteLength).toBeGreaterThan(0);
      // What the worker sends instead: detached here once posted, i.e. moved.
      const { bytes, buffer } = transferable(png);
      expect(Buffer.from(bytes).equals(png)).toBe(true);
      const received = new Promise<Uint8Array>((res) => port2.once('message', res));
      port1.postMessage(bytes, [buffer]);
      expect(buffer.byteLength).toBe(0);
      expect(Buffer.from(await received).equals(png)).toBe(true);
    } finally {
      port1.close();
    }
  });

  it('stops idle threads and starts new ones on demand; refuses work once closed', async () => {
    const own = new PreparePool({ size: 1, idleMs: 100 });
    expect(own.threadIds).toEqual([]); // started lazily
    const first = await own.prepare(PAGES[1]!.source, PAGES[1]!.budget);
    const [tid] = own.threadIds;
    expect(tid).toBeDefined();
    await new Promise((r) => setTimeout(r, 400));
    expect(own.threadIds).toEqual([]);
    same(await own.prepare(PAGES[1]!.source, PAGES[1]!.budget), first);
    expect(own.threadIds).not.toEqual([tid]);
    const pending = own.prepare(src(BIG_HEIC, 'heif'), WECHAT).catch((e: unknown) => e);
    await own.close();
    expect(await pending).toMatchObject({ code: 'CANCELLED' });
    await expect(own.prepare(PAGES[1]!.source, PAGES[1]!.budget)).rejects.toThrow(/closed/);
  });
});

/**
 * The pool as electron-vite ships it: the worker is its own entry next to the main bundle, npm
 * dependencies left in node_modules (see tests/engine/bundled-worker.test.ts). The bundled pool
 * must find the built worker next to itself, and the worker must decode HEIC and PDF from there.
 */
describe('bundled prepare worker', () => {
  it('prepares through the worker entry built by vite', async () => {
    const dir = join(tmp, 'bundle');
    const outDir = await buildWithWorker(dir, 'electron/core/imaging/prepare-pool.ts', 'electron/core/imaging/prepare-worker.ts', PREPARE_WORKER_BUNDLE_NAME);
    try {
      const bundle = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof PoolModule;
      expect(bundle.defaultPrepareWorkerUrl().href).toBe(pathToFileURL(join(outDir, PREPARE_WORKER_BUNDLE_NAME)).href);
      const bundled = new bundle.PreparePool({ size: 1 });
      try {
        for (const page of [PAGES[3]!, PAGES[4]!]) {
          same(await bundled.prepare(page.source, page.budget), await pool.prepare(page.source, page.budget));
        }
        // The bundle has its own copy of ScanError: compare by name and code.
        await expect(bundled.prepare(src(join(tmp, 'missing.png'), 'png'), TENCENT)).rejects.toMatchObject({
          name: 'ScanError',
          code: 'FILE_NOT_FOUND',
        });
      } finally {
        await bundled.close();
      }
    } finally {
      // remove the link itself first: never let a recursive delete walk into the real node_modules
      rmSync(join(dir, 'node_modules'), { force: true });
    }
  }, 120_000);

  it('prepares through the worker that `electron-vite build` writes next to the main bundle', async () => {
    // The real build, with electron.vite.config.ts and electron-vite's own plugins (its CommonJS
    // shims once broke every chunk that declared its own `require`).
    const root = resolve(import.meta.dirname, '../..');
    const dir = join(tmp, 'electron-vite');
    const outDir = join(dir, 'out');
    await electronViteBuild({ root, logLevel: 'silent', build: { outDir } });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const built = new PreparePool({ size: 1, workerUrl: join(outDir, 'main', PREPARE_WORKER_BUNDLE_NAME) });
    try {
      for (const page of [PAGES[3]!, PAGES[4]!]) {
        same(await built.prepare(page.source, page.budget), await pool.prepare(page.source, page.budget));
      }
      const err = await failure(built.prepare(src(join(tmp, 'missing.pdf'), 'pdf'), TENCENT));
      expect(err.code).toBe('FILE_NOT_FOUND');
    } finally {
      await built.close();
      rmSync(join(dir, 'node_modules'), { force: true });
    }
  }, 180_000);
});
