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
export { seeded as mulberry32 } from '../../emulators/common/seeded';
