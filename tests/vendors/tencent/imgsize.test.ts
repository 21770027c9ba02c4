import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tencentScale } from '../../../electron/core/vendors/tencent/qrcode';
import { decodeImageCodes } from '../../emulators/common/zxing-decode';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY, engineFor, source, tempDir } from './support';

/**
 * QrcodeOCR's corners are in the pixels of the image the service measured, which its ImgSize
 * names. When it decoded a smaller copy than the page sent (the emulator's workingMaxSide), the
 * client maps the corners with ImgSize, so the outline still sits on the code in page pixels.
 */
describe('QrcodeOCR ImgSize cross-check', () => {
  let emu: TencentEmulator;
  const tmp = tempDir();
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, workingMaxSide: 900 });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('maps corners measured on a half-size copy back onto the code in page pixels', async () => {
    const qrPath = join(SAMPLES, 'zxing/qrcode-3/01.png');
    const meta = await sharp(qrPath).metadata();
    const qr = await sharp(qrPath).resize(meta.width! * 3, null, { kernel: 'nearest' }).flatten({ background: '#ffffff' }).toBuffer();
    const page = join(tmp.dir, 'page.png');
    await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#ffffff' } }).composite([{ input: qr, left: 1000, top: 500 }]).png().toFile(page);

    const r = await engineFor(emu, { timeoutMs: 60_000 }).recognize({ source: source(page), task: 'codes' });
    expect(r.scale).toBe(1); // the page went as it is: the service, not the client, shrank it
    expect(r.detections).toHaveLength(1);
    const d = r.detections[0]!;
    expect(d.text).toBe(readFileSync(qrPath.replace(/\.png$/, '.txt'), 'utf8'));
    const truth = (await decodeImageCodes(readFileSync(page), { formats: ['QRCode'] as never, tryHarder: true })).results[0]!.position;
    const expected = [truth.topLeft, truth.topRight, truth.bottomRight, truth.bottomLeft];
    expect(d.geometry.points).toHaveLength(4);
    d.geometry.points.forEach((pt, i) => {
      // A couple of the service's pixels, i.e. a few page pixels; without ImgSize they would be
      // off by half the code's position (500+ px).
      expect(Math.abs(pt.x - expected[i]!.x)).toBeLessThan(12);
      expect(Math.abs(pt.y - expected[i]!.y)).toBeLessThan(12);
    });
    expect(r.notices ?? []).toEqual([]);
  }, 120_000);

  it('says so once when ImgSize has another shape than the page sent', () => {
    const sent = { width: 1000, height: 800, scale: 0.5 };
    expect(tencentScale({ ImgSize: { Wide: 500, High: 400 } }, sent)).toEqual({ scale: 0.25, mismatch: null });
    expect(tencentScale({}, sent)).toEqual({ scale: 0.5, mismatch: null });
    const odd = tencentScale({ ImgSize: { Wide: 800, High: 800 } }, sent);
    expect(odd.mismatch).toMatch(/800x800 image for a 1000x800 page/);
  });
});
