import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaCache, type MediaSource } from '../../electron/core/api';
import { ScanError } from '../../electron/core/errors';
import { SAMPLES } from '../fixtures/samples';

/**
 * The preview cache shared by the scandesk: protocol and the host's /media route, on real
 * files through real sharp: EXIF orientation is applied, sizes are bounded, results are reused
 * from memory and disk, and a changed file gets a new preview.
 */
let dir: string;
const files = new Map<number, MediaSource>();
const lookup = (id: number): MediaSource => {
  const s = files.get(id);
  if (!s) throw new ScanError('NOT_FOUND', `Item ${id} does not exist.`);
  return s;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-media-'));
  // Stored 600x300 (landscape) with EXIF orientation 6: a person sees it 300x600 (portrait).
  await sharp({ create: { width: 600, height: 300, channels: 3, background: '#c03030' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toFile(join(dir, 'sideways.jpg'));
  files.set(1, { path: join(dir, 'sideways.jpg'), page: 1 });
  files.set(2, { path: join(SAMPLES, 'zxing/qrcode-2/1.png'), page: 1 });
  writeFileSync(join(dir, 'notes.txt'), 'not an image at all');
  files.set(3, { path: join(dir, 'notes.txt'), page: 1 });
  files.set(4, { path: join(dir, 'gone.png'), page: 1 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('media cache', () => {
  it('applies EXIF orientation and bounds each kind', async () => {
    const cache = createMediaCache({ dir: join(dir, 'c1'), lookup, sizes: { preview: 400, thumb: 100 } });
    const preview = await sharp((await cache.get('preview', 1)).data).metadata();
    expect([preview.format, preview.width, preview.height]).toEqual(['webp', 200, 400]);
    const thumb = await sharp((await cache.get('thumb', 1)).data).metadata();
    expect([thumb.width, thumb.height]).toEqual([50, 100]);
  });

  it('never enlarges a small page', async () => {
    const cache = createMediaCache({ dir: join(dir, 'c2'), lookup, sizes: { preview: 4000 } });
    const src = await sharp(files.get(2)?.path).metadata();
    const out = await sharp((await cache.get('preview', 2)).data).metadata();
    expect([out.width, out.height]).toEqual([src.width, src.height]);
  });

  it('reuses results from disk across instances and renders again when the file changes', async () => {
    const cacheDir = join(dir, 'c3');
    let renders = 0;
    const counting = async (s: MediaSource & { format: string }, o: { maxSide: number }) => {
      renders++;
      return sharp(s.path).rotate().resize(o.maxSide, o.maxSide, { fit: 'inside' }).webp().toBuffer();
    };
    const a = createMediaCache({ dir: cacheDir, lookup, render: counting });
    const first = await a.get('thumb', 1);
    const again = await a.get('thumb', 1);
    expect(again.data.equals(first.data)).toBe(true);
    const b = createMediaCache({ dir: cacheDir, lookup, render: counting });
    expect((await b.get('thumb', 1)).data.equals(first.data)).toBe(true);
    expect(renders).toBe(1);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.webp'))).toHaveLength(1);

    const later = new Date(Date.now() + 5000);
    utimesSync(files.get(1)?.path as string, later, later);
    await b.get('thumb', 1);
    expect(renders).toBe(2);

    // Concurrent requests for the same image share one render.
    const c = createMediaCache({ dir: join(dir, 'c4'), lookup, render: counting });
    await Promise.all([c.get('preview', 2), c.get('preview', 2), c.get('preview', 2)]);
    expect(renders).toBe(3);
  });

  it('reports unknown items, missing files and non-images with their codes', async () => {
    const cache = createMediaCache({ dir: join(dir, 'c5'), lookup });
    await expect(cache.get('thumb', 99)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(cache.get('thumb', 4)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(cache.get('thumb', 3)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(existsSync(join(dir, 'c5'))).toBe(true);
  });
});

describe('media cache disk budget', () => {
  it('drops the least recently used files when the folder outgrows its budget', async () => {
    const cacheDir = join(dir, 'budget');
    const a = createMediaCache({ dir: cacheDir, lookup, sizes: { preview: 300, thumb: 64 } });
    await a.get('preview', 2); // the QR photo: the older entry
    await new Promise((r) => setTimeout(r, 20));
    await a.get('thumb', 2);
    const sizes = readdirSync(cacheDir).map((f) => statSync(join(cacheDir, f)).size);
    expect(sizes).toHaveLength(2);
    // A new instance with a budget that fits only the smaller, newer file prunes on open.
    createMediaCache({ dir: cacheDir, lookup, diskBytes: Math.min(...sizes) });
    const left = readdirSync(cacheDir).map((f) => statSync(join(cacheDir, f)).size);
    expect(left).toEqual([Math.min(...sizes)]);
  });
});
