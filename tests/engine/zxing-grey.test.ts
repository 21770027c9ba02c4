import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readBarcodes, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader';
import { BASE_ZXING } from '../../electron/core/engines/local/decode';
import { toGray } from '../../electron/core/engines/local/variants';
import { loadZXing, zxingRead } from '../../electron/core/engines/local/zxing';
import { SAMPLES } from './helpers';

/**
 * zxingRead hands ZXing-C++ the page's grey plane directly; zxing-wasm's own readBarcodes takes
 * RGBA and computes that same grey itself. On real photos, with the option sets the plans use,
 * both must give the same codes at the same places: the grey path is a shortcut, not a change.
 */
const FOLDERS = ['zxing/qrcode-2', 'zxing/ean13-1', 'zxing/code128-1', 'zxing/pdf417-1', 'zxing/datamatrix-1', 'zxing/upcean-extension-1'];
const OPTIONS: ReaderOptions[] = [
  BASE_ZXING,
  { ...BASE_ZXING, formats: ['AllLinear'], tryInvert: false, binarizer: 'FixedThreshold' },
  { ...BASE_ZXING, formats: ['EAN13', 'UPCA', 'UPCE'], eanAddOnSymbol: 'Require', textMode: 'HRI' },
];

function summary(rs: ReadResult[]) {
  return rs.map((r) => ({ text: r.text, format: r.format, position: r.position, orientation: r.orientation, contentType: r.contentType, bytes: [...r.bytes] }));
}

describe('ZXing on the grey plane reads what readBarcodes reads on RGBA', () => {
  it('same codes, formats, positions and content types on real photos', async () => {
    await loadZXing();
    let compared = 0;
    let codes = 0;
    for (const folder of FOLDERS) {
      const files = readdirSync(join(SAMPLES, folder)).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort().slice(0, 3);
      expect(files.length, folder).toBeGreaterThan(0);
      for (const f of files) {
        const { data, info } = await sharp(join(SAMPLES, folder, f)).flatten({ background: '#fff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        const gray = toGray(data, info.width, info.height);
        const imageData = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, colorSpace: 'srgb' };
        for (const opts of OPTIONS) {
          const viaRgba = await readBarcodes(imageData as unknown as Parameters<typeof readBarcodes>[0], opts);
          const viaGray = await zxingRead(gray, opts);
          expect(summary(viaGray), `${folder}/${f}`).toEqual(summary(viaRgba));
          compared++;
          codes += viaGray.length;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(FOLDERS.length * OPTIONS.length);
    expect(codes).toBeGreaterThan(20); // the comparison is about real reads, not empty lists
  });
});
