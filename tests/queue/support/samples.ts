import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES } from '../../fixtures/samples';

export { SAMPLES };

/** Real sample images of one folder (e.g. 'zxing/qrcode-2'), sorted, at most `limit`. */
export function sampleImages(folder: string, limit = Infinity): string[] {
  const dir = join(SAMPLES, folder);
  return readdirSync(dir)
    .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
    .sort()
    .slice(0, limit)
    .map((f) => join(dir, f));
}

/** The same seedable generator everywhere, so a failing run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
