import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { countPagesInWorker } from '../../electron/core/imaging/inspect-pool';
import { countTiffPages } from '../../electron/core/imaging/tiff-pages';

/** Intake counts a plain TIFF's pages by walking its directories, without the inspect worker. */
const FIX = new URL('../fixtures/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'scandesk-tiff-pages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A TIFF of directories without entries, in either byte order; `links` gives each one's next. */
function bare(order: 'II' | 'MM', links: (i: number, at: (k: number) => number) => number, count: number, magic = 42): string {
  const at = (k: number) => 8 + k * 6;
  const b = Buffer.alloc(8 + count * 6);
  b.write(order, 0, 'latin1');
  const w16 = (v: number, o: number) => (order === 'II' ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (order === 'II' ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  w16(magic, 2);
  w32(at(0), 4);
  for (let i = 0; i < count; i++) {
    w16(0, at(i));
    w32(links(i, at), at(i) + 2);
  }
  const path = join(tmp, `${order}-${count}-${Math.random().toString(36).slice(2)}.tif`);
  writeFileSync(path, b);
  return path;
}

describe('TIFF pages counted from the directory chain', () => {
  it('counts what libvips counts, here and through intake', async () => {
    const three = FIX + 'three-pages.tiff';
    expect(await countTiffPages(three, 100)).toBe(3);
    expect((await sharp(three).metadata()).pages).toBe(3);
    expect(await countPagesInWorker(three, 'tiff', 'three-pages.tiff', 100)).toBe(3);
    // a multi-page TIFF written by libvips (LZW, as the bench's)
    const stack = Buffer.alloc(40 * 30 * 5, 200);
    const multi = join(tmp, 'five.tif');
    await sharp(stack, { raw: { width: 40, height: 150, channels: 1, pageHeight: 30 } }).tiff({ compression: 'lzw' }).toFile(multi);
    expect((await sharp(multi).metadata()).pages).toBe(5);
    expect(await countTiffPages(multi, 100)).toBe(5);
  });

  it('reads big-endian files too, and stops one past the cap', async () => {
    expect(await countTiffPages(bare('MM', (i, at) => (i < 3 ? at(i + 1) : 0), 4), 100)).toBe(4);
    expect(await countTiffPages(bare('II', (i, at) => (i < 3 ? at(i + 1) : 0), 4), 2)).toBe(3);
  });

  it('leaves anything unusual to the inspect worker: a loop, a cut file, BigTIFF, not a TIFF', async () => {
    expect(await countTiffPages(bare('II', (_, at) => at(0), 1), 100)).toBeNull(); // points at itself
    expect(await countTiffPages(bare('II', () => 10_000, 1), 100)).toBeNull(); // beyond the end
    expect(await countTiffPages(bare('II', () => 0, 1, 43), 100)).toBeNull();
    const png = join(tmp, 'x.png');
    writeFileSync(png, readFileSync(FIX + 'three-pages.tiff').subarray(0, 4).fill(0));
    expect(await countTiffPages(png, 100)).toBeNull();
  });
});
