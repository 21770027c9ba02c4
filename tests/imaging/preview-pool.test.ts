import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePreview } from '../../electron/core/imaging';
import type * as PoolModule from '../../electron/core/imaging/preview-pool';
import { PREVIEW_WORKER_BUNDLE_NAME, PreviewPool } from '../../electron/core/imaging/preview-pool';
import type { ImageFormat, ImageSource } from '../../electron/core/intake/types';
import { Z, ZC } from '../fixtures/samples';
import { failure } from '../support/scan-error';
import { buildWithWorker } from '../support/worker-bundle';

/**
 * Previews and thumbnails drawn in worker threads (issue 12 item 4): the same image as
 * makePreview on this thread, for every kind of page, with per-page errors; and the worker as
 * electron-vite ships it (its own entry beside the main bundle).
 */
const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const BIG_HEIC = fileURLToPath(new URL('./fixtures/qr-photo-5mp.heic', import.meta.url));
const src = (path: string, format: ImageFormat, page = 1): ImageSource => ({ path, format, page });
const PAGES: ImageSource[] = [
  src(ZC + 'qrcode-2/#199b.jpg', 'jpeg'),
  src(Z + 'qrcode-2/1.png', 'png'),
  src(BIG_HEIC, 'heif'),
  src(FIX + 'qr-photo-irot.heic', 'heif'),
  src(FIX + 'two-qr.pdf', 'pdf', 2),
  src(FIX + 'qr-b.bmp', 'bmp'),
  src(FIX + 'three-pages.tiff', 'tiff', 3),
];

let tmp: string;
let pool: PreviewPool;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-preview-pool-'));
  pool = new PreviewPool({ size: 2 });
});
afterAll(async () => {
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('previews in worker threads', () => {
  it('draws the same preview as makePreview on this thread, for every kind of page', async () => {
    for (const source of PAGES) {
      const [here, pooled] = await Promise.all([makePreview(source, { maxSide: 600, format: 'webp' }), pool.render(source, { maxSide: 600, format: 'webp' })]);
      const { data: a, ...metaHere } = here;
      const { data: b, ...metaPooled } = pooled;
      expect(metaPooled, source.path).toEqual(metaHere);
      expect(Buffer.isBuffer(b)).toBe(true);
      expect(b.equals(a), source.path).toBe(true);
      const meta = await sharp(b).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', pooled.width, pooled.height]);
    }
  });

  it('fails a page with the same ScanError as makePreview and goes on with the next', async () => {
    const cases: Array<[ImageSource, string]> = [
      [src(join(tmp, 'missing.jpg'), 'jpeg'), 'FILE_NOT_FOUND'],
      [src(FIX + 'two-qr-encrypted.pdf', 'pdf'), 'PDF_PASSWORD'],
      [src(FIX + 'three-pages.tiff', 'tiff', 9), 'IMAGE_DECODE'],
    ];
    for (const [source, code] of cases) {
      const here = await failure(makePreview(source, { maxSide: 300, format: 'webp' }));
      const pooled = await failure(pool.render(source, { maxSide: 300, format: 'webp' }));
      expect(here.code, source.path).toBe(code);
      expect([pooled.name, pooled.code, pooled.message]).toEqual([here.name, here.code, here.message]);
    }
    expect((await pool.render(PAGES[0]!, { maxSide: 100, format: 'jpeg' })).format).toBe('jpeg');
  });
});

describe('bundled preview worker', () => {
  it('draws through the worker entry built by vite', async () => {
    const dir = join(tmp, 'bundle');
    const outDir = await buildWithWorker(dir, 'electron/core/imaging/preview-pool.ts', 'electron/core/imaging/preview-worker.ts', PREVIEW_WORKER_BUNDLE_NAME);
    try {
      const bundle = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof PoolModule;
      expect(bundle.defaultPreviewWorkerUrl().href).toBe(pathToFileURL(join(outDir, PREVIEW_WORKER_BUNDLE_NAME)).href);
      const bundled = new bundle.PreviewPool({ size: 1 });
      try {
        for (const page of [PAGES[3]!, PAGES[4]!]) {
          const a = await bundled.render(page, { maxSide: 400, format: 'webp' });
          expect(a.data.equals((await pool.render(page, { maxSide: 400, format: 'webp' })).data)).toBe(true);
        }
        await expect(bundled.render(src(join(tmp, 'missing.png'), 'png'), { maxSide: 100, format: 'webp' })).rejects.toMatchObject({ name: 'ScanError', code: 'FILE_NOT_FOUND' });
      } finally {
        await bundled.close();
      }
    } finally {
      // remove the link itself first: never let a recursive delete walk into the real node_modules
      rmSync(join(dir, 'node_modules'), { force: true });
    }
  }, 120_000);
});
