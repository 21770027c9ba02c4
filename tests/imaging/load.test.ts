import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { PDFDocument, degrees } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageFormat, ImageSource } from '../../electron/core/intake/types';
import { IMAGE_LIMITS } from '../../electron/core/imaging/limits';
import { loadOriented, type OrientedPixels } from '../../electron/core/imaging/load';
import { readRgba } from './zxing-helper';
import { failure } from '../support/scan-error';
import { Z, ZC } from '../fixtures/samples';

const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const text = (p: string): string => readFileSync(p, 'utf8');
const QR_A = text(Z + 'qrcode-2/1.txt');
const QR_B = text(Z + 'qrcode-3/01.txt');
const QR_PHOTO = text(Z + 'qrcode-2/15.txt');

const src = (path: string, format: ImageFormat, page = 1): ImageSource => ({ path, format, page });

async function texts(px: OrientedPixels): Promise<string[]> {
  expect(px.data.length).toBe(px.width * px.height * 4);
  return (await readRgba(px)).map((r) => r.text);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-load-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadOriented reads every supported format and the codes survive', () => {
  it('JPEG, PNG and WebP (real samples)', async () => {
    expect(await texts(await loadOriented(src(Z + 'qrcode-2/1.png', 'png')))).toEqual([QR_A]);
    const jpg = await loadOriented(src(ZC + 'qrcode-2/#199b.jpg', 'jpeg'));
    expect(await texts(jpg)).toEqual([text(ZC + 'qrcode-2/#199b.txt')]);
    const webp = await loadOriented(src(ZC + 'qrcode-2/6.webp', 'webp'));
    expect(await texts(webp)).toEqual([text(ZC + 'qrcode-2/6.txt')]);
  });

  it('HEIC from a phone encoder (libheif wasm, since sharp has no HEVC)', async () => {
    const px = await loadOriented(src(FIX + 'qr-photo.heic', 'heif'));
    expect([px.width, px.height]).toEqual([535, 382]);
    expect(await texts(px)).toEqual([QR_PHOTO]);
    // Close to the PNG it was encoded from (lossy, so on average within a few levels).
    const ref = await loadOriented(src(Z + 'qrcode-2/15.png', 'png'));
    expect(meanAbsDiff(px, ref)).toBeLessThan(6);
  });

  it('HEIC stored sideways with an irot box (as phones do) comes out upright', async () => {
    // Stored 382x535 (rotated 90° clockwise) + irot "90° anti-clockwise"; see make-fixtures.ts.
    const px = await loadOriented(src(FIX + 'qr-photo-irot.heic', 'heif'));
    expect([px.width, px.height]).toEqual([535, 382]);
    const ref = await loadOriented(src(Z + 'qrcode-2/15.png', 'png'));
    expect(meanAbsDiff(px, ref)).toBeLessThan(6);
    expect(await texts(px)).toEqual([QR_PHOTO]);
  });

  it('AVIF, including one stored sideways with irot', async () => {
    const ref = await loadOriented(src(Z + 'qrcode-2/15.png', 'png'));
    for (const name of ['qr-photo.avif', 'qr-photo-irot.avif']) {
      const px = await loadOriented(src(FIX + name, 'avif'));
      expect([px.width, px.height]).toEqual([535, 382]);
      expect(meanAbsDiff(px, ref)).toBeLessThan(8);
      expect(await texts(px)).toEqual([QR_PHOTO]);
    }
  });

  it('BMP (written by an independent encoder), pixel-exact and opaque', async () => {
    const px = await loadOriented(src(FIX + 'qr-b.bmp', 'bmp'));
    const ref = await loadOriented(src(Z + 'qrcode-3/01.png', 'png'));
    expect([px.width, px.height]).toEqual([ref.width, ref.height]);
    expect(meanAbsDiff(px, ref)).toBe(0);
    expect(await texts(px)).toEqual([QR_B]);
  });

  it('GIF', async () => {
    const gif = join(tmp, 'qr.gif');
    await sharp(Z + 'qrcode-2/1.png').gif().toFile(gif);
    expect(await texts(await loadOriented(src(gif, 'gif')))).toEqual([QR_A]);
  });

  it('each page of a multi-page TIFF on its own', async () => {
    const tiff = FIX + 'three-pages.tiff';
    const p1 = await loadOriented(src(tiff, 'tiff', 1));
    const p2 = await loadOriented(src(tiff, 'tiff', 2));
    const p3 = await loadOriented(src(tiff, 'tiff', 3));
    expect([p1.width, p1.height, p2.width, p2.height, p3.width, p3.height]).toEqual([404, 404, 300, 200, 240, 240]);
    expect(await texts(p1)).toEqual([QR_A]);
    expect(await texts(p2)).toEqual([]);
    expect(await texts(p3)).toEqual([QR_B]);
  });

  it('each page of a PDF, rendered at 300 dpi', async () => {
    const pdf = FIX + 'two-qr.pdf';
    const p1 = await loadOriented(src(pdf, 'pdf', 1));
    const p2 = await loadOriented(src(pdf, 'pdf', 2));
    // 298 x 420 pt at 300/72 px per pt.
    expect([p1.width, p1.height]).toEqual([Math.floor((298 * 300) / 72), Math.floor((420 * 300) / 72)]);
    expect(p1.data[3]).toBe(255); // on white, not transparent
    expect(await texts(p1)).toEqual([QR_A]);
    expect(await texts(p2)).toEqual([QR_B]);
  });

  it('a PDF page with /Rotate 90 is rendered as a viewer shows it', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([298, 420]);
    page.drawImage(await doc.embedPng(readFileSync(Z + 'qrcode-2/15.png')), { x: 10, y: 100, width: 278, height: 198 });
    page.setRotation(degrees(90));
    const path = join(tmp, 'rotated.pdf');
    writeFileSync(path, await doc.save());
    const px = await loadOriented(src(path, 'pdf'));
    expect([px.width, px.height]).toEqual([Math.floor((420 * 300) / 72), Math.floor((298 * 300) / 72)]);
    const [hit] = await readRgba(px);
    expect(hit?.text).toBe(QR_PHOTO);
    // The code itself was drawn upright on the unrotated page: on the rotated page it reads
    // turned by 90 degrees.
    expect(Math.abs(hit!.orientation)).toBeGreaterThan(45);
  });

  it('a PDF rewritten on disk is read again (open documents are shared only while unchanged)', async () => {
    const path = join(tmp, 'rewritten.pdf');
    copyFileSync(FIX + 'two-qr.pdf', path);
    expect(await texts(await loadOriented(src(path, 'pdf', 1)))).toEqual([QR_A]);
    const doc = await PDFDocument.create();
    const page = doc.addPage([300, 300]);
    page.drawImage(await doc.embedPng(readFileSync(Z + 'qrcode-3/01.png')), { x: 50, y: 50, width: 200, height: 200 });
    writeFileSync(path, await doc.save());
    expect(await texts(await loadOriented(src(path, 'pdf', 1)))).toEqual([QR_B]);
    expect((await failure(loadOriented(src(path, 'pdf', 2)))).code).toBe('PDF_CORRUPT');
  });

  it('a huge PDF page is rendered below the pixel cap instead of exhausting memory', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([14_400, 14_400]); // 200 x 200 inches: 3.7 GP at 300 dpi
    const png = await doc.embedPng(readFileSync(Z + 'qrcode-2/1.png'));
    // Not the whole page (a full-page image would be read as a scan, from its own pixels).
    page.drawImage(png, { x: 0, y: 0, width: 14_000, height: 14_000 });
    const path = join(tmp, 'poster.pdf');
    writeFileSync(path, await doc.save());
    const px = await loadOriented(src(path, 'pdf'));
    expect(px.width * px.height).toBeLessThanOrEqual(IMAGE_LIMITS.pdfMaxPixels);
    expect(px.width * px.height).toBeGreaterThan(IMAGE_LIMITS.pdfMaxPixels * 0.99);
    expect(await texts(px)).toEqual([QR_A]);
  });

  it('odd file names (spaces, CJK, emoji, #, %) just work', async () => {
    const odd = join(tmp, '扫描 件 📷 #1 %20.pdf');
    copyFileSync(FIX + 'two-qr.pdf', odd);
    expect(await texts(await loadOriented(src(odd, 'pdf', 2)))).toEqual([QR_B]);
    const oddPng = join(tmp, 'スキャン 😀 100%.png');
    copyFileSync(Z + 'qrcode-2/1.png', oddPng);
    expect(await texts(await loadOriented(src(oddPng, 'png')))).toEqual([QR_A]);
  });

  it('flattens transparency onto white (a QR drawn on a transparent PNG stays readable)', async () => {
    const { data, info } = await sharp(Z + 'qrcode-2/1.png').greyscale().raw().toBuffer({ resolveWithObject: true });
    // Black modules with alpha, fully transparent black elsewhere.
    const rgba = Buffer.alloc(info.width * info.height * 4);
    for (let i = 0; i < info.width * info.height; i++) rgba[i * 4 + 3] = 255 - data[i]!;
    const path = join(tmp, 'transparent.png');
    await sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toFile(path);
    const px = await loadOriented(src(path, 'png'));
    expect(px.data[3]).toBe(255);
    expect(await texts(px)).toEqual([QR_A]);
  });
});

function meanAbsDiff(a: OrientedPixels, b: OrientedPixels): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) if ((i & 3) !== 3) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / ((a.data.length / 4) * 3);
}

describe('EXIF orientation is applied before anyone sees the pixels', () => {
  /**
   * Builds, for each EXIF orientation, the stored pixels that a camera would write so that a
   * viewer shows `upright`: display(x, y) = stored(sx, sy) per the EXIF specification.
   */
  function storedFor(o: number, up: OrientedPixels): OrientedPixels {
    const W = up.width;
    const H = up.height;
    const sw = o <= 4 ? W : H;
    const sh = o <= 4 ? H : W;
    const data = Buffer.alloc(sw * sh * 4);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const [sx, sy] = [
          [x, y],
          [W - 1 - x, y],
          [W - 1 - x, H - 1 - y],
          [x, H - 1 - y],
          [y, x],
          [y, W - 1 - x],
          [H - 1 - y, W - 1 - x],
          [H - 1 - y, x],
        ][o - 1]!;
        up.data.copy(data, (sy! * sw + sx!) * 4, (y * W + x) * 4, (y * W + x) * 4 + 4);
      }
    }
    return { data, width: sw, height: sh };
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: decoded pixels match the upright image', async (o) => {
    // A non-square photo, so a missing or wrong rotation changes the size or the pixels.
    const upright = await loadOriented(src(Z + 'qrcode-2/15.png', 'png'));
    const stored = storedFor(o, upright);
    const path = join(tmp, `orientation-${o}.jpg`);
    await sharp(stored.data, { raw: { width: stored.width, height: stored.height, channels: 4 } })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .withMetadata({ orientation: o })
      .toFile(path);
    expect((await sharp(path).metadata()).orientation).toBe(o);
    const px = await loadOriented(src(path, 'jpeg'));
    expect([px.width, px.height]).toEqual([535, 382]);
    expect(meanAbsDiff(px, upright)).toBeLessThan(2);
    expect(await texts(px)).toEqual([QR_PHOTO]);
  });
});

/** A PNG with the given header and a small (possibly incomplete) zlib stream. */
function pngWith(width: number, height: number, bitDepth: number, colorType: number, idat: Buffer): Buffer {
  const chunk = (type: string, body: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(bitDepth, 8);
  ihdr.writeUInt8(colorType, 9);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('bombs and broken files fail with a clear code, without decoding', () => {
  it('a PNG that declares 100000x100000 fails with IMAGE_TOO_LARGE and the dimensions', async () => {
    const path = join(tmp, 'declared-bomb.png');
    writeFileSync(path, pngWith(100_000, 100_000, 8, 2, deflateSync(Buffer.alloc(65_536))));
    const err = await failure(loadOriented(src(path, 'png')));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toContain('100000x100000');
  });

  it('a valid 20000x20000 PNG bomb (50 KB on disk, 1.6 GB as RGBA) is refused', async () => {
    const row = Buffer.alloc(1 + 20_000 / 8); // filter byte + 1-bit pixels
    const raw = Buffer.alloc(row.length * 20_000);
    const path = join(tmp, 'bomb.png');
    writeFileSync(path, pngWith(20_000, 20_000, 1, 0, deflateSync(raw, { level: 9 })));
    expect(readFileSync(path).length).toBeLessThan(200_000);
    const err = await failure(loadOriented(src(path, 'png')));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toContain('20000x20000');
  });

  it('a JPEG whose frame header claims 60000x60000 is refused', async () => {
    const jpg = Buffer.from(readFileSync(ZC + 'qrcode-2/estimate-tilt.jpg'));
    let patched = false;
    for (let i = 2; i < jpg.length - 9; ) {
      if (jpg[i] !== 0xff) break;
      const marker = jpg[i + 1]!;
      const len = jpg.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xc2) {
        jpg.writeUInt16BE(60_000, i + 5);
        jpg.writeUInt16BE(60_000, i + 7);
        patched = true;
        break;
      }
      i += 2 + len;
    }
    expect(patched).toBe(true);
    const path = join(tmp, 'sof-bomb.jpg');
    writeFileSync(path, jpg);
    const err = await failure(loadOriented(src(path, 'jpeg')));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toContain('60000x60000');
  });

  it('a BMP whose header claims 50000x50000 is refused', async () => {
    const bmp = Buffer.from(readFileSync(FIX + 'qr-b.bmp'));
    bmp.writeInt32LE(50_000, 18);
    bmp.writeInt32LE(50_000, 22);
    const path = join(tmp, 'bomb.bmp');
    writeFileSync(path, bmp);
    const err = await failure(loadOriented(src(path, 'bmp')));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toContain('50000x50000');
  });

  it.each([
    ['jpeg', ZC + 'qrcode-2/estimate-tilt.jpg', 'cut.jpg'],
    ['png', Z + 'qrcode-2/6.png', 'cut.png'],
    ['heif', FIX + 'qr-photo.heic', 'cut.heic'],
    ['webp', ZC + 'qrcode-2/6.webp', 'cut.webp'],
  ] as const)('a truncated %s fails with IMAGE_DECODE', async (format, from, name) => {
    const bytes = readFileSync(from);
    const path = join(tmp, name);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const err = await failure(loadOriented(src(path, format)));
    expect(err.code).toBe('IMAGE_DECODE');
    expect(err.message).toContain(name);
  });

  it('tolerates what viewers tolerate: stray bytes between JPEG segments (a libjpeg warning)', async () => {
    const jpg = readFileSync(ZC + 'qrcode-2/#199b.jpg');
    const dqt = jpg.indexOf(Buffer.from([0xff, 0xdb]));
    expect(dqt).toBeGreaterThan(0);
    const path = join(tmp, 'stray-bytes.jpg');
    // libjpeg: "Corrupt JPEG data: 3 extraneous bytes before marker 0xdb"; viewers open it.
    writeFileSync(path, Buffer.concat([jpg.subarray(0, dqt), Buffer.from([0x12, 0x34, 0x56]), jpg.subarray(dqt)]));
    expect(await texts(await loadOriented(src(path, 'jpeg')))).toEqual([text(ZC + 'qrcode-2/#199b.txt')]);
  });

  it('PDFs: password → PDF_PASSWORD, damaged → PDF_CORRUPT, missing page → PDF_CORRUPT', async () => {
    expect((await failure(loadOriented(src(FIX + 'two-qr-encrypted.pdf', 'pdf')))).code).toBe('PDF_PASSWORD');
    const bad = join(tmp, 'bad.pdf');
    writeFileSync(bad, '%PDF-1.7\ngarbage\n');
    expect((await failure(loadOriented(src(bad, 'pdf')))).code).toBe('PDF_CORRUPT');
    const err = await failure(loadOriented(src(FIX + 'two-qr.pdf', 'pdf', 3)));
    expect(err.code).toBe('PDF_CORRUPT');
    expect(err.message).toContain('2 page(s)');
  });

  it('a file that vanished → FILE_NOT_FOUND', async () => {
    for (const format of ['png', 'heif', 'bmp', 'pdf'] as const) {
      expect((await failure(loadOriented(src(join(tmp, 'nope'), format)))).code).toBe('FILE_NOT_FOUND');
    }
  });
});
