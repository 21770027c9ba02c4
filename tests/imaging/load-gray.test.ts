import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageFormat, ImageSource } from '../../electron/core/intake/types';
import { loadGray, loadOriented } from '../../electron/core/imaging/load';
import { lumaOf } from '../../electron/core/imaging/luma';
import { openSourceFile } from '../../electron/core/imaging/source-file';
import { Z, ZC } from '../fixtures/samples';

/**
 * The decode worker reads every page with loadGray, which skips RGBA where it can (grey and
 * 1-bit scans, opaque RGB). Whatever the file stores, the grey it gives must be the grey of
 * the RGBA page (loadOriented, flattened on white), value for value: the decoder sees the same
 * pixels either way.
 */
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-load-gray-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const src = (path: string, format: ImageFormat, page = 1): ImageSource => ({ path, format, page });

async function sameAsRgba(source: ImageSource): Promise<void> {
  const file = await openSourceFile(source, source.path);
  const gray = await loadGray(source, file);
  const rgba = await loadOriented(source, file);
  expect([gray.width, gray.height]).toEqual([rgba.width, rgba.height]);
  expect(gray.data.length).toBe(gray.width * gray.height);
  const ref = lumaOf(rgba.data, rgba.width, rgba.height, 4);
  // compared whole (one assertion, not millions)
  expect(Buffer.compare(Buffer.from(gray.data.buffer, gray.data.byteOffset, gray.data.length), Buffer.from(ref.buffer))).toBe(0);
}

describe('loadGray gives the grey of the RGBA page, whatever the file stores', () => {
  it('RGB JPEG, PNG and WebP photos (real samples)', async () => {
    await sameAsRgba(src(Z + 'qrcode-2/1.png', 'png'));
    await sameAsRgba(src(ZC + 'qrcode-2/#199b.jpg', 'jpeg'));
    await sameAsRgba(src(ZC + 'qrcode-2/6.webp', 'webp'));
  });

  it('an EXIF-rotated RGB JPEG, a grey PNG, a 1-bit TIFF, RGBA with transparency, CMYK and 16-bit', async () => {
    const photo = Z + 'qrcode-2/1.png';
    const rotated = join(tmp, 'rotated.jpg');
    await sharp(photo).jpeg().withMetadata({ orientation: 6 }).toFile(rotated);
    await sameAsRgba(src(rotated, 'jpeg'));
    const grey = join(tmp, 'grey.png');
    await sharp(photo).toColourspace('b-w').png().toFile(grey);
    await sameAsRgba(src(grey, 'png'));
    const bilevel = join(tmp, 'fax.tif');
    await sharp(photo).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1 }).toFile(bilevel);
    await sameAsRgba(src(bilevel, 'tiff'));
    const alpha = join(tmp, 'alpha.png');
    // transparent on the left third, half-transparent in the middle, opaque on the right
    const rgb = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = rgb.info;
    const rgbaBytes = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgb.data.copy(rgbaBytes, i * 4, i * 3, i * 3 + 3);
      const x = i % width;
      rgbaBytes[i * 4 + 3] = x < width / 3 ? 0 : x < (2 * width) / 3 ? 128 : 255;
    }
    await sharp(rgbaBytes, { raw: { width, height, channels: 4 } }).png().toFile(alpha);
    await sameAsRgba(src(alpha, 'png'));
    const cmyk = join(tmp, 'cmyk.jpg');
    await sharp(photo).toColourspace('cmyk').jpeg().toFile(cmyk);
    await sameAsRgba(src(cmyk, 'jpeg'));
    const deep = join(tmp, 'deep.png');
    await sharp(photo).toColourspace('rgb16').png().toFile(deep);
    await sameAsRgba(src(deep, 'png'));
  });
});
