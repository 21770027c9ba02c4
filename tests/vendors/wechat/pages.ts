import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Point } from '../../../shared/geometry';
import type { RecognizeRequest } from '../../../electron/core/engines/engine';
import { decodeCodes } from '../../emulators/wechat/decode';
import { seeded } from '../../emulators/wechat/faults';
import { sample } from './helpers';

/**
 * Pages built from the real samples for engine tests, written to a private temp dir:
 * - `bigPage`: a real QR image enlarged 3x on a 3000x2300 page of seeded noise, so every
 *   vendor budget forces imaging.prepare to shrink it; the code's true corners on the page are
 *   known (the sample's own decoded corners, scaled and offset).
 * - `tiles(n)`: n copies of a real QR sample on one page (for OSS's 5-code cap).
 */
export interface TestPage {
  req: RecognizeRequest;
  path: string;
  bytes: number;
  expectedText: string;
  /** Corners (TL, TR, BR, BL) of the code on the page, when known. */
  corners?: Point[];
}

export class PageFactory {
  readonly dir = mkdtempSync(join(tmpdir(), 'scandesk-vendor-pages-'));

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  fromFile(path: string, task: RecognizeRequest['task'] = 'codes', format: 'png' | 'jpeg' | 'webp' = 'png'): RecognizeRequest {
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    return { source: { path, page: 1, format, sha256 }, task };
  }

  async bigPage(name = 'big.png', task: RecognizeRequest['task'] = 'codes'): Promise<TestPage> {
    const qr = sample('zxing/qrcode-2/1.png');
    const own = await decodeCodes(qr.bytes, { formats: ['QRCode'] });
    const p = own.results[0]!.position;
    const factor = 3;
    const offset = { x: 900, y: 500 };
    const corners = [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft].map((c) => ({ x: offset.x + c.x * factor, y: offset.y + c.y * factor }));
    // Grey paper with seeded noise (fast to make, reproducible, and JPEG cannot squeeze it
    // under 2 MB at full size), the enlarged real QR photo pasted in at a known offset.
    const width = 3000;
    const height = 2300;
    const random = seeded(20261121);
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 160 + Math.floor((random() - 0.5) * 190);
    const side = 404 * factor;
    const code = await sharp(qr.bytes).resize(side, side, { kernel: 'nearest' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
    for (let y = 0; y < side; y++) code.copy(pixels, ((offset.y + y) * width + offset.x) * 3, y * side * 3, (y + 1) * side * 3);
    const page = await sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    const path = join(this.dir, name);
    writeFileSync(path, page);
    return { req: this.fromFile(path, task), path, bytes: page.length, expectedText: qr.expected, corners };
  }

  async tiles(n: number, name = `tiles-${n}.png`): Promise<TestPage> {
    const qr = sample('zxing/qrcode-2/1.png');
    const tile = await sharp(qr.bytes).resize(300, 300).png().toBuffer();
    const page = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#ffffff' } })
      .composite(Array.from({ length: n }, (_, i) => ({ input: tile, left: 20 + (i % 3) * 330, top: 20 + Math.floor(i / 3) * 340 })))
      .png()
      .toBuffer();
    const path = join(this.dir, name);
    writeFileSync(path, page);
    return { req: this.fromFile(path), path, bytes: page.length, expectedText: qr.expected };
  }
}

/** Largest distance between corresponding corners. */
export function cornerError(a: Point[], b: Point[]): number {
  return Math.max(...a.map((p, i) => Math.hypot(p.x - b[i]!.x, p.y - b[i]!.y)));
}
