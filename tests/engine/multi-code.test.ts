import sharp from 'sharp';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../electron/core/engines/local';
import { boundingBox } from '../../shared/geometry';
import { centroid, iou, maxCornerDistance, sample, source, tempDir } from './helpers';

/**
 * Two real sample images composed side by side on one page: the engine must report both codes,
 * each with its quad on its own code, in page pixels.
 */
describe('several codes on one page', () => {
  const engine = new LocalEngine({ size: 2 });
  const tmp = tempDir('multi');
  afterAll(async () => {
    await engine.close();
    tmp.cleanup();
  });

  it('finds a QR code and an EAN-13 and places each quad on its own code', async () => {
    const qrPath = sample('zxing/qrcode-2/1.png');
    const eanPath = sample('zxing/ean13-1/1.png');
    const [qrMeta, eanMeta] = await Promise.all([sharp(qrPath).metadata(), sharp(eanPath).metadata()]);
    const gap = 60;
    const eanLeft = qrMeta.width + gap;
    const eanTop = 30;
    const page = join(tmp.dir, 'two-codes.png');
    await sharp({
      create: {
        width: eanLeft + eanMeta.width,
        height: Math.max(qrMeta.height, eanTop + eanMeta.height),
        channels: 3,
        background: '#ffffff',
      },
    })
      .composite([
        { input: qrPath, left: 0, top: 0 },
        { input: eanPath, left: eanLeft, top: eanTop },
      ])
      .png()
      .toFile(page);

    const [alone1, alone2, both] = await Promise.all([
      engine.recognize({ source: source(qrPath), task: 'codes' }),
      engine.recognize({ source: source(eanPath), task: 'codes' }),
      engine.recognize({ source: source(page), task: 'codes' }),
    ]);
    expect(both.detections).toHaveLength(2);
    expect(both.pageWidth).toBe(eanLeft + eanMeta.width);

    const qr = both.detections.find((d) => d.symbology === 'QRCode');
    const ean = both.detections.find((d) => d.symbology === 'EAN-13');
    expect(qr?.text).toBe(alone1.detections[0]!.text);
    expect(ean?.text).toBe('8413000065504');
    expect(qr!.geometry.kind).toBe('quad');
    expect(qr!.engine).toBe('local');

    // each centre inside the rectangle where its image was placed
    const c1 = centroid(qr!);
    expect(c1.x).toBeLessThan(qrMeta.width);
    expect(c1.y).toBeLessThan(qrMeta.height);
    const c2 = centroid(ean!);
    expect(c2.x).toBeGreaterThan(eanLeft);
    expect(c2.y).toBeGreaterThan(eanTop);

    // and the corners where decoding the image alone put them, shifted by the placement
    expect(maxCornerDistance(qr!.geometry.points, alone1.detections[0]!.geometry.points)).toBeLessThan(3);
    const shifted = alone2.detections[0]!.geometry.points.map((p) => ({ x: p.x + eanLeft, y: p.y + eanTop }));
    // A 1-D code's quad spans the scan lines that read it, and ZBar (which reads this low-contrast
    // EAN beside the QR code) scans more lines than ZXing: same bars left to right, overlapping rows.
    const got = boundingBox(ean!.geometry)!;
    const want = boundingBox({ kind: 'quad', points: shifted })!;
    expect(Math.abs(got.left - want.left)).toBeLessThan(12);
    expect(Math.abs(got.left + got.width - (want.left + want.width))).toBeLessThan(12);
    expect(iou(got, want)).toBeGreaterThan(0.5);
  });
});
