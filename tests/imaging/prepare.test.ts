import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Geometry } from '../../shared/geometry';
import { ScanError } from '../../electron/core/errors';
import { loadOriented } from '../../electron/core/imaging/load';
import { makePreview } from '../../electron/core/imaging/preview';
import { prepare, toPageGeometry } from '../../electron/core/imaging/prepare';
import type { Budget, PreparedImage } from '../../electron/core/imaging/types';
import type { ImageFormat, ImageSource } from '../../electron/core/intake/types';
import { makeBigPhoto, type BigPhoto } from '../fixtures/big-photos';
import { readEncoded, readRgba } from './zxing-helper';
import { Z } from '../fixtures/samples';

const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const MiB = 1024 * 1024;
/** Tencent QrcodeOCR: 3 MiB of base64; WeChat: 2 MiB - 1 of file. */
const TENCENT: Budget = { maxBytes: 3 * MiB, countAs: 'base64', formats: ['jpeg', 'png'], minSide: 1000 };
const WECHAT: Budget = { maxBytes: 2 * MiB - 1, countAs: 'file', formats: ['jpeg', 'png'], minSide: 1000 };

// Shared between test files and runs (built once, renamed into place atomically).
const cache = join(tmpdir(), 'scandesk-big-photos-v2');
const src = (path: string, format: ImageFormat, page = 1): ImageSource => ({ path, format, page });

let photos: BigPhoto[];
beforeAll(async () => {
  mkdirSync(cache, { recursive: true });
  photos = [await makeBigPhoto(cache, 0), await makeBigPhoto(cache, 1), await makeBigPhoto(cache, 2)];
}, 180_000);

function quadOf(r: { position: { topLeft: P; topRight: P; bottomRight: P; bottomLeft: P } }): Geometry {
  const p = r.position;
  return { kind: 'quad', points: [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft] };
}
type P = { x: number; y: number };

/** A QR code's module size in pixels: its side over 17 + 4 x version modules. */
function qrModulePx(r: { version: string; position: { topLeft: P; topRight: P; bottomLeft: P } }): number {
  const modules = 17 + 4 * Number(r.version);
  expect(modules, `a QR version in ${JSON.stringify(r.version)}`).toBeGreaterThan(20);
  const p = r.position;
  const side = (Math.hypot(p.topRight.x - p.topLeft.x, p.topRight.y - p.topLeft.y) + Math.hypot(p.bottomLeft.x - p.topLeft.x, p.bottomLeft.y - p.topLeft.y)) / 2;
  return side / modules;
}

/** Checks everything an engine relies on: under budget, accepted format, sizes, codes decode. */
async function checkPrepared(prep: PreparedImage, budget: Budget, page: { width: number; height: number }, text: string) {
  const counted = budget.countAs === 'base64' ? prep.data.toString('base64').length : prep.data.length;
  expect(counted).toBe(prep.countedBytes);
  expect(counted).toBeLessThanOrEqual(budget.maxBytes);
  expect(budget.formats).toContain(prep.format);
  const meta = await sharp(prep.data).metadata();
  expect(meta.format).toBe(prep.format);
  expect([meta.width, meta.height]).toEqual([prep.width, prep.height]);
  expect([prep.pageWidth, prep.pageHeight]).toEqual([page.width, page.height]);
  expect(prep.scale).toBeLessThanOrEqual(1);
  expect(Math.abs(prep.width - page.width * prep.scale)).toBeLessThanOrEqual(1);
  expect(Math.abs(prep.height - page.height * prep.scale)).toBeLessThanOrEqual(1);
  expect(meta.orientation ?? 1).toBe(1); // already upright; no EXIF copied
  const found = await readEncoded(prep.data);
  expect(found.map((r) => r.text)).toEqual([text]);
  return found[0]!;
}

describe('prepare fits big photos under vendor budgets and the codes still decode', () => {
  it.each([0, 1, 2])('photo %i under 3 MiB of base64 (Tencent)', async (i) => {
    const photo = photos[i]!;
    const prep = await prepare(src(photo.path, 'jpeg'), TENCENT);
    expect(prep.format).toBe('jpeg');
    const hit = await checkPrepared(prep, TENCENT, photo, photo.text);

    // Positions map back to the page: compare with a read of the full-size page itself.
    const page = await loadOriented(src(photo.path, 'jpeg'));
    const [ref] = await readRgba(page);
    const mapped = toPageGeometry(quadOf(hit), prep);
    // Two reads of one code (the prepared copy, the full page) place its corners up to a fraction
    // of a module apart, and where depends on JPEG noise and on the CPU's SIMD path: measured 9 px
    // on a 40 px module here. A mapping bug is off by the scale (hundreds of px) or by a turn.
    // So: within half a module, or a few prepared pixels where the copy was shrunk.
    const tolerance = Math.max(3 / prep.scale + 3, qrModulePx(ref!) / 2);
    mapped.points.forEach((p, k) => {
      const r = quadOf(ref!).points[k]!;
      expect(Math.abs(p.x - r.x)).toBeLessThan(tolerance);
      expect(Math.abs(p.y - r.y)).toBeLessThan(tolerance);
    });
  });

  it.each([0, 1, 2])('photo %i under 2 MiB of file (WeChat)', async (i) => {
    const photo = photos[i]!;
    const prep = await prepare(src(photo.path, 'jpeg'), WECHAT);
    await checkPrepared(prep, WECHAT, photo, photo.text);
  });

  it('lowers JPEG quality before resolution', async () => {
    const photo = photos[0]!;
    // A budget between what quality 92 and quality 75 produce at full size.
    const at = async (q: number): Promise<number> =>
      (await sharp(photo.path).autoOrient().jpeg({ quality: q }).toBuffer()).length;
    const [q92, q75] = [await at(92), await at(75)];
    expect(q75).toBeLessThan(q92);
    const budget: Budget = { maxBytes: Math.round((q92 * 0.3 + q75 * 0.7)), countAs: 'file', formats: ['jpeg'] };
    const prep = await prepare(src(photo.path, 'jpeg'), budget);
    expect(prep.scale).toBe(1);
    expect([prep.width, prep.height]).toEqual([photo.width, photo.height]);
    await checkPrepared(prep, budget, photo, photo.text);
  });

  it('steps the resolution down when quality alone is not enough, not below minSide', async () => {
    const photo = photos[2]!;
    const budget: Budget = { maxBytes: 600 * 1024, countAs: 'base64', formats: ['jpeg', 'png'], minSide: 1200 };
    const prep = await prepare(src(photo.path, 'jpeg'), budget);
    expect(prep.format).toBe('jpeg');
    expect(prep.scale).toBeLessThan(1);
    expect(Math.max(prep.width, prep.height)).toBeGreaterThanOrEqual(1200);
    // Gradual steps: it lands close under the budget, not far below it.
    expect(prep.countedBytes).toBeGreaterThan(budget.maxBytes * 0.5);
    await checkPrepared(prep, budget, photo, photo.text);
  });

  it('respects maxSide, and the scale maps back', async () => {
    const photo = photos[1]!; // 3024x4032 portrait
    const budget: Budget = { ...TENCENT, maxSide: 1600 };
    const prep = await prepare(src(photo.path, 'jpeg'), budget);
    expect(Math.max(prep.width, prep.height)).toBe(1600);
    expect(prep.scale).toBeCloseTo(1600 / 4032, 3);
    await checkPrepared(prep, budget, photo, photo.text);
  });

  it('keeps a lossless scan as PNG when it fits', async () => {
    const path = Z + 'pdf417-1/12.png'; // 2390x2220 scan of a PDF417
    const prep = await prepare(src(path, 'png'), TENCENT);
    expect(prep.format).toBe('png');
    expect(prep.scale).toBe(1);
    await checkPrepared(prep, TENCENT, { width: 2390, height: 2220 }, readFileSync(Z + 'pdf417-1/12.txt', 'utf8'));
  });

  it('prepares HEIC and PDF pages too (decoded by their own decoders)', async () => {
    const heic = await prepare(src(FIX + 'qr-photo.heic', 'heif'), WECHAT);
    expect(heic.format).toBe('jpeg');
    await checkPrepared(heic, WECHAT, { width: 535, height: 382 }, readFileSync(Z + 'qrcode-2/15.txt', 'utf8'));
    const pdf = await prepare(src(FIX + 'two-qr.pdf', 'pdf', 2), WECHAT);
    expect(pdf.format).toBe('png'); // a rendered page is lossless content
    await checkPrepared(pdf, WECHAT, { width: 1241, height: 1750 }, readFileSync(Z + 'qrcode-3/01.txt', 'utf8'));
  });

  it('produces WebP or BMP when those are all an engine takes', async () => {
    const text = readFileSync(Z + 'qrcode-2/15.txt', 'utf8');
    const webpOnly: Budget = { maxBytes: 200 * 1024, countAs: 'file', formats: ['webp'] };
    const webp = await prepare(src(FIX + 'qr-photo.heic', 'heif'), webpOnly);
    expect(webp.format).toBe('webp');
    await checkPrepared(webp, webpOnly, { width: 535, height: 382 }, text);

    const bmpOnly: Budget = { maxBytes: 1024 * 1024, countAs: 'base64', formats: ['bmp'] };
    const bmp = await prepare(src(Z + 'qrcode-2/15.png', 'png'), bmpOnly);
    expect(bmp.format).toBe('bmp');
    expect(bmp.countedBytes).toBe(bmp.data.toString('base64').length);
    expect(bmp.countedBytes).toBeLessThanOrEqual(bmpOnly.maxBytes);
    // sharp cannot read BMP: read it back through our own loader.
    const path = join(cache, `prepared-${process.pid}.bmp`);
    writeFileSync(path, bmp.data);
    const px = await loadOriented(src(path, 'bmp'));
    expect([px.width, px.height]).toEqual([bmp.width, bmp.height]);
    expect((await readRgba(px)).map((r) => r.text)).toEqual([text]);
  });

  it('never goes below minSide: IMAGE_TOO_LARGE explains why', async () => {
    const photo = photos[0]!;
    const budget: Budget = { maxBytes: 50 * 1024, countAs: 'base64', formats: ['jpeg', 'png'], minSide: 2500 };
    const err = await prepare(src(photo.path, 'jpeg'), budget).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ScanError);
    expect((err as ScanError).code).toBe('IMAGE_TOO_LARGE');
    expect((err as ScanError).message).toMatch(/50\.0 KiB \(as base64\).*2500x1875.*longest side 2500 px/);
  });

  it('refuses a decompression bomb before decoding, as loadOriented does', async () => {
    // 30000x30000 declared in the header of an otherwise tiny PNG.
    const png = Buffer.from(readFileSync(Z + 'qrcode-2/1.png'));
    png.writeUInt32BE(30_000, 16);
    png.writeUInt32BE(30_000, 20);
    const { crc32 } = await import('node:zlib');
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const path = join(cache, `bomb-${process.pid}.png`);
    writeFileSync(path, png);
    const err = await prepare(src(path, 'png'), TENCENT).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as ScanError).code).toBe('IMAGE_TOO_LARGE');
    expect((err as ScanError).message).toContain('30000x30000');
  });
});

describe('makePreview', () => {
  it('encodes an oriented, reduced JPEG or WebP', async () => {
    const photo = photos[1]!;
    const jpg = await makePreview(src(photo.path, 'jpeg'), { maxSide: 512, format: 'jpeg' });
    expect([jpg.width, jpg.height, jpg.pageWidth, jpg.pageHeight]).toEqual([384, 512, 3024, 4032]);
    expect((await sharp(jpg.data).metadata()).format).toBe('jpeg');
    const webp = await makePreview(src(FIX + 'two-qr.pdf', 'pdf', 1), { maxSide: 300, format: 'webp', quality: 70 });
    const meta = await sharp(webp.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', webp.width, webp.height]);
    expect(Math.max(webp.width, webp.height)).toBe(300);
    // Small pages are not enlarged.
    const small = await makePreview(src(FIX + 'qr-b.bmp', 'bmp'), { maxSide: 1024, format: 'jpeg' });
    expect([small.width, small.height]).toEqual([240, 240]);
    expect((await readEncoded(small.data)).map((r) => r.text)).toEqual([readFileSync(Z + 'qrcode-3/01.txt', 'utf8')]);
  });

  it('applies EXIF orientation (a sideways-stored photo previews upright)', async () => {
    const path = join(cache, `rot6-${process.pid}.jpg`);
    // Stored rotated 90° counter-clockwise with orientation 6: a viewer shows it upright.
    await sharp(Z + 'qrcode-2/15.png').rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(path);
    const prev = await makePreview(src(path, 'jpeg'), { maxSide: 2000, format: 'jpeg', quality: 95 });
    expect([prev.width, prev.height]).toEqual([535, 382]);
    const upright = await loadOriented(src(Z + 'qrcode-2/15.png', 'png'));
    const { data } = await sharp(prev.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    let diff = 0;
    for (let i = 0; i < data.length; i++) if ((i & 3) !== 3) diff += Math.abs(data[i]! - upright.data[i]!);
    expect(diff / (535 * 382 * 3)).toBeLessThan(6);
  });
});
