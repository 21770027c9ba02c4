import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare } from '../../electron/core/imaging/prepare';
import { stripJpeg } from '../../electron/core/imaging/strip';
import type { Budget } from '../../electron/core/imaging/types';
import type { ImageFormat, ImageSource } from '../../electron/core/intake/types';
import { Z, ZC } from '../fixtures/samples';
import { readEncoded } from './zxing-helper';

/**
 * prepare sends no more bytes than needed, never metadata: a PNG/JPEG that fits goes as its own
 * pixel data with the metadata removed; PNG output is the smallest lossless form of a few.
 */
const MiB = 1024 * 1024;
const TENCENT: Budget = { maxBytes: 3 * MiB, countAs: 'base64', formats: ['jpeg', 'png'], minSide: 1000 };
const src = (path: string, format: ImageFormat): ImageSource => ({ path, format, page: 1 });
const GPS = { IFD0: { Make: 'ScanDeskTestCam', ImageDescription: 'secret-place' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2976/100' } };

async function rawOf(data: Buffer | string): Promise<Buffer> {
  return sharp(data).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer();
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-prepare-bytes-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prepare sends fewer bytes and no metadata', () => {
  it('a JPEG with EXIF (GPS) and XMP goes as its own pixel data, every metadata segment removed', async () => {
    const path = join(tmp, 'gps.jpg');
    await sharp(ZC + 'qrcode-2/#199b.jpg')
      .withExif(GPS)
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">secret-place</rdf:RDF></x:xmpmeta>')
      .jpeg({ quality: 70 })
      .toFile(path);
    const original = readFileSync(path);
    expect(original.includes('secret-place')).toBe(true);
    const prep = await prepare(src(path, 'jpeg'), TENCENT);
    expect(prep.format).toBe('jpeg');
    expect(prep.scale).toBe(1);
    expect(prep.data.length).toBeLessThan(original.length);
    for (const leak of ['secret-place', 'ScanDeskTestCam', 'Exif', 'http://ns.adobe.com', 'adobe:ns:meta']) {
      expect(prep.data.includes(leak)).toBe(false);
    }
    const meta = await sharp(prep.data).metadata();
    expect([meta.exif, meta.xmp, meta.icc]).toEqual([undefined, undefined, undefined]);
    // Same pixels as the original: the entropy-coded data was copied, not re-encoded.
    expect((await rawOf(prep.data)).equals(await rawOf(path))).toBe(true);
    expect((await readEncoded(prep.data)).map((r) => r.text)).toEqual([readFileSync(ZC + 'qrcode-2/#199b.txt', 'utf8')]);
  });

  it('drops what phones append after the end of the image (extra JPEGs with their own EXIF)', async () => {
    const main = await sharp(ZC + 'qrcode-2/#199b.jpg').jpeg({ quality: 70 }).toBuffer();
    const extra = await sharp(ZC + 'qrcode-2/#199b.jpg').resize(64).withExif(GPS).jpeg().toBuffer();
    const stripped = stripJpeg(Buffer.concat([main, extra]))!;
    expect(stripped.includes('secret-place')).toBe(false);
    expect(stripped.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
    expect((await rawOf(stripped)).equals(await rawOf(main))).toBe(true);
    // A truncated JPEG is not sent as it is (prepare decodes it and reports IMAGE_DECODE).
    expect(stripJpeg(main.subarray(0, main.length >> 1))).toBeNull();
  });

  it('a JPEG whose EXIF rotates it is re-encoded upright, not sent as it is', async () => {
    const path = join(tmp, 'rot6.jpg');
    await sharp(ZC + 'qrcode-2/#199b.jpg').rotate(-90).jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toFile(path);
    const prep = await prepare(src(path, 'jpeg'), TENCENT);
    const meta = await sharp(prep.data).metadata();
    expect(meta.orientation ?? 1).toBe(1);
    expect(meta.exif).toBeUndefined();
    const page = await sharp(path).metadata();
    expect([prep.width, prep.height]).toEqual([page.height, page.width]); // upright
  });

  it('a PNG with text and EXIF chunks goes without them; a transparent PNG is still flattened', async () => {
    const path = join(tmp, 'meta.png');
    const png = await sharp(Z + 'ean13-1/1.png').withExif(GPS).png().toBuffer();
    // a tEXt chunk, as scanners and editors write them, before IEND
    const text = Buffer.from('Comment\0secret-place', 'latin1');
    const chunk = Buffer.alloc(12 + text.length);
    chunk.writeUInt32BE(text.length, 0);
    chunk.write('tEXt', 4, 'latin1');
    text.copy(chunk, 8);
    const { crc32 } = await import('node:zlib');
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
    writeFileSync(path, Buffer.concat([png.subarray(0, png.length - 12), chunk, png.subarray(png.length - 12)]));
    expect(readFileSync(path).includes('secret-place')).toBe(true);
    expect(readFileSync(path).includes('ScanDeskTestCam')).toBe(true); // the eXIf chunk
    const prep = await prepare(src(path, 'png'), TENCENT);
    expect(prep.format).toBe('png');
    expect(prep.data.length).toBeLessThanOrEqual(statSync(path).size);
    expect(prep.data.includes('secret-place')).toBe(false);
    expect(prep.data.includes('ScanDeskTestCam')).toBe(false);
    expect((await sharp(prep.data).metadata()).exif).toBeUndefined();
    expect((await rawOf(prep.data)).equals(await rawOf(path))).toBe(true);

    const transparent = Z + 'pdf417-2/10.png'; // palette PNG with transparent entries
    const t = await prepare(src(transparent, 'png'), TENCENT);
    expect((await sharp(t.data).metadata()).hasAlpha).toBe(false);
    expect((await rawOf(t.data)).equals(await rawOf(transparent))).toBe(true); // lossless after flattening
  });

  it('PNG output is lossless and smaller for grey and few-colour pages (palette, one channel)', async () => {
    // A two-colour code page stored as RGBA with transparency (so it is re-encoded, not sent as is).
    const path = join(tmp, 'two-colour.png');
    const { data, info } = await sharp(Z + 'qrcode-2/1.png').flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgba = Buffer.alloc(info.width * info.height * 4);
    for (let i = 0; i < info.width * info.height; i++) {
      data.copy(rgba, i * 4, i * 3, i * 3 + 3);
      rgba[i * 4 + 3] = i === 0 ? 0 : 255; // one transparent pixel
    }
    await sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toFile(path);
    const prep = await prepare(src(path, 'png'), TENCENT);
    expect(prep.format).toBe('png');
    const plain = await sharp(path).flatten({ background: '#ffffff' }).png({ compressionLevel: 6, adaptiveFiltering: true }).toBuffer();
    expect(prep.data.length).toBeLessThan(plain.length / 2);
    expect((await sharp(prep.data).metadata()).isPalette).toBe(true);
    expect((await rawOf(prep.data)).equals(await rawOf(path))).toBe(true);
    expect((await readEncoded(prep.data)).map((r) => r.text)).toEqual([readFileSync(Z + 'qrcode-2/1.txt', 'utf8')]);
  });
});
