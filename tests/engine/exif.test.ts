import sharp from 'sharp';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../electron/core/engines/local';
import { maxCornerDistance, sample, source, tempDir } from './helpers';

/**
 * A phone stores pixels sideways and says so in EXIF. Positions must refer to the page as a
 * person sees it (EXIF applied), never to the stored pixels.
 */
describe('EXIF orientation', () => {
  const engine = new LocalEngine({ size: 1 });
  const tmp = tempDir('exif');
  afterAll(async () => {
    await engine.close();
    tmp.cleanup();
  });

  it.each([
    [6, 270], // stored turned 90 deg counter-clockwise; viewers turn it clockwise
    [8, 90],
    [3, 180],
  ])('orientation %i: the quad lands on the code in oriented page pixels', async (orientation, storedTurn) => {
    const original = sample('zxing/qrcode-2/1.png');
    const uprightJpeg = join(tmp.dir, `upright-${orientation}.jpg`);
    const rotatedJpeg = join(tmp.dir, `rotated-${orientation}.jpg`);
    await sharp(original).jpeg({ quality: 95 }).toFile(uprightJpeg);
    await sharp(original).rotate(storedTurn).jpeg({ quality: 95 }).withMetadata({ orientation }).toFile(rotatedJpeg);
    const stored = await sharp(rotatedJpeg).metadata();
    expect(stored.orientation).toBe(orientation);

    const [upright, rotated] = await Promise.all([
      engine.recognize({ source: source(uprightJpeg, 'jpeg'), task: 'codes' }),
      engine.recognize({ source: source(rotatedJpeg, 'jpeg'), task: 'codes' }),
    ]);
    const meta = await sharp(original).metadata();
    expect([rotated.pageWidth, rotated.pageHeight]).toEqual([meta.width, meta.height]);
    expect(rotated.detections).toHaveLength(1);
    expect(rotated.detections[0]!.text).toBe(upright.detections[0]!.text);
    // same corners, in the same order (TL of the code first), as the upright page
    expect(maxCornerDistance(rotated.detections[0]!.geometry.points, upright.detections[0]!.geometry.points)).toBeLessThan(3);
  });
});
