import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { deconvolve } from '../../electron/core/engines/local/deconvolve';

/** Bars of 2-3 px on white, blurred by sharp's Gaussian (sigma 1): as a defocused photo. */
async function bars(): Promise<{ sharpBars: Uint8Array; blurred: Uint8Array; width: number; height: number }> {
  const width = 120;
  const height = 40;
  const sharpBars = new Uint8Array(width * height).fill(230);
  const widths = [2, 3, 2, 2, 3, 2, 3, 3, 2, 2, 3, 2];
  for (let y = 0; y < height; y++) {
    let x = 20;
    for (const [i, w] of widths.entries()) {
      if (i % 2 === 0) for (let k = 0; k < w; k++) sharpBars[y * width + x + k] = 30;
      x += w + 2;
    }
  }
  const blurred = await sharp(Buffer.from(sharpBars), { raw: { width, height, channels: 1 } }).blur(1).extractChannel(0).raw().toBuffer();
  return { sharpBars, blurred: new Uint8Array(blurred), width, height };
}

function meanSquared(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

describe('deconvolve', () => {
  it('brings a blurred bar pattern closer to the sharp one, and keeps its size', async () => {
    const { sharpBars, blurred, width, height } = await bars();
    const out = deconvolve({ data: blurred, width, height }, 1, 10);
    expect(out.width).toBe(width);
    expect(out.height).toBe(height);
    // a quarter less error than the blurred copy at least (measured: 0.56 of it; no exact pixels)
    expect(meanSquared(out.data, sharpBars)).toBeLessThan(0.75 * meanSquared(blurred, sharpBars));
  });

  it('gives the same pixels for the same input (a pure function)', async () => {
    const { blurred, width, height } = await bars();
    const a = deconvolve({ data: blurred, width, height }, 1, 10);
    const b = deconvolve({ data: Uint8Array.from(blurred), width, height }, 1, 10);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });
});
