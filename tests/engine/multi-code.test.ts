import sharp from 'sharp';
import { readFileSync } from 'node:fs';
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

  it('finds all four codes of a sheet, the photographed one too', async () => {
    // Three clean prints and a soft, unevenly lit phone photo of a PDF417 (only a retry reads
    // it). Before sheets were searched on, the fast pass read the three prints and the search
    // ended there: the photo was lost.
    const cells = ['zxing/qrcode-2/1.png', 'zxing/code128-1/1.png', 'zxing/datamatrix-1/0123456789.png', 'zxing/pdf417-2/22.png'];
    const metas = await Promise.all(cells.map((c) => sharp(sample(c)).metadata()));
    const cell = Math.max(...metas.map((m) => Math.max(m.width, m.height))) + 40;
    const page = join(tmp.dir, 'multi-codes.png');
    await sharp({ create: { width: 2 * cell, height: 2 * cell, channels: 3, background: '#ffffff' } })
      .composite(cells.map((c, i) => ({ input: sample(c), left: (i % 2) * cell + 20, top: Math.floor(i / 2) * cell + 20 })))
      .png()
      .toFile(page);

    const got = await engine.recognize({ source: source(page), task: 'codes' });
    const label = (c: string) => readFileSync(sample(c.replace(/\.png$/, '.txt')), 'utf8');
    const texts = got.detections.map((d) => d.text);
    expect(texts).toContain(label(cells[0]!));
    expect(texts).toContain(label(cells[1]!));
    expect(texts).toContain(label(cells[2]!));
    expect(texts).toContain(label(cells[3]!));
    expect(got.detections).toHaveLength(4);
    // the photo's code where the photo was placed (bottom right)
    const photo = centroid(got.detections.find((d) => d.symbology === 'PDF417')!);
    expect(photo.x).toBeGreaterThan(cell);
    expect(photo.y).toBeGreaterThan(cell);
  });
});
