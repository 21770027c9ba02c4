import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaCache, type MediaSource } from '../../electron/core/api';
import { ScanError } from '../../electron/core/errors';
import { makePreview } from '../../electron/core/imaging';
import { SAMPLES, ZC } from '../fixtures/samples';

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

/** A 2560x1920 HEIC of a real photo (tests/imaging/fixtures): a second or more of synchronous wasm to decode. */
const BIG_HEIC = fileURLToPath(new URL('../imaging/fixtures/qr-photo-5mp.heic', import.meta.url));
const SMALL_HEIC = fileURLToPath(new URL('../fixtures/qr-photo.heic', import.meta.url));

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

describe('media cache renders in worker threads (issue 12 item 4)', () => {
  it('draws a big HEIC preview while this thread stays free: its CPU time goes to a worker', async () => {
    files.set(50, { path: BIG_HEIC, page: 1 });
    files.set(51, { path: SMALL_HEIC, page: 1 });
    const cache = createMediaCache({ dir: join(dir, 'workers'), lookup, sizes: { preview: 1600 } });
    try {
      // Warm both paths (wasm compiled here and in a worker) so only the big page's work counts.
      await Promise.all([cache.get('preview', 51), makePreview({ path: SMALL_HEIC, page: 1, format: 'heif' }, { maxSide: 1600, format: 'webp' })]);

      /** CPU time of this thread, of the whole process, and the longest event-loop stall, while `run` runs. */
      const measure = async (run: () => Promise<unknown>) => {
        const loop = monitorEventLoopDelay({ resolution: 5 });
        const thread0 = process.threadCpuUsage();
        const process0 = process.cpuUsage();
        loop.enable();
        await run();
        loop.disable();
        const thread = process.threadCpuUsage(thread0);
        const all = process.cpuUsage(process0);
        return { threadMs: (thread.user + thread.system) / 1000, processMs: (all.user + all.system) / 1000, stallMs: loop.max / 1e6 };
      };
      const here = await measure(() => makePreview({ path: BIG_HEIC, page: 1, format: 'heif' }, { maxSide: 1600, format: 'webp', quality: 82 }));
      let image: Buffer | null = null;
      const pooled = await measure(async () => {
        image = (await cache.get('preview', 50)).data;
      });
      console.log(
        `5 MP HEIC preview: on this thread ${here.threadMs.toFixed(0)} ms CPU here of ${here.processMs.toFixed(0)} ms, longest stall ${here.stallMs.toFixed(0)} ms; ` +
          `through the cache ${pooled.threadMs.toFixed(0)} ms CPU here of ${pooled.processMs.toFixed(0)} ms, longest stall ${pooled.stallMs.toFixed(0)} ms`,
      );
      // Decoding on this thread costs it the HEIC decode (libheif's wasm, hundreds of ms of CPU
      // on any machine; sharp's resize and encode run on libuv's threads either way). Through
      // the cache this thread only reads the file's first bytes, posts the job and writes the
      // answer. CPU time, not wall time or stalls (libheif may yield between slices of its
      // work): a loaded machine changes neither side, and the ratio holds on any CPU.
      expect(pooled.threadMs).toBeLessThan(here.threadMs / 3);
      expect(pooled.processMs).toBeGreaterThan(here.threadMs / 2); // the work was done, elsewhere

      const meta = await sharp(image!).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1600, 1200]);
    } finally {
      await cache.close();
    }
  });

  it('a page that cannot be drawn fails alone with its own error; the next one is drawn', async () => {
    const jpg = readFileSync(ZC + 'qrcode-2/#199b.jpg');
    writeFileSync(join(dir, 'truncated.jpg'), jpg.subarray(0, Math.floor(jpg.length / 2)));
    files.set(60, { path: join(dir, 'truncated.jpg'), page: 1 });
    const cache = createMediaCache({ dir: join(dir, 'errors'), lookup, renderConcurrency: 1 });
    try {
      const [bad, good] = await Promise.allSettled([cache.get('thumb', 60), cache.get('thumb', 2)]);
      expect(bad).toMatchObject({ status: 'rejected', reason: { name: 'ScanError', code: 'IMAGE_DECODE' } });
      expect((bad as PromiseRejectedResult).reason.message).toContain('truncated.jpg');
      expect(good.status).toBe('fulfilled');
      expect((await sharp((good as PromiseFulfilledResult<{ data: Buffer }>).value.data).metadata()).format).toBe('webp');
    } finally {
      await cache.close();
    }
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

describe('media cache render queue', () => {
  /** Five copies of a real QR photo, so each is its own render. */
  const copies = (n: number, first: number): number[] => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const path = join(dir, `copy-${first + i}.png`);
      writeFileSync(path, readFileSync(files.get(2)?.path as string));
      files.set(first + i, { path, page: 1 });
      ids.push(first + i);
    }
    return ids;
  };

  /** Real renders, recorded in the order they start; the first waits for `release`. */
  function gatedRender() {
    const started: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const render = async (s: MediaSource & { format: string }, o: { maxSide: number }) => {
      started.push(Number(/copy-(\d+)/.exec(s.path)?.[1]));
      if (started.length === 1) await gate;
      return sharp(s.path).rotate().resize(o.maxSide, o.maxSide, { fit: 'inside' }).webp().toBuffer();
    };
    return { started, release, render };
  }

  it('renders the newest request first, one at a time when told so', async () => {
    const [a, b, c, d] = copies(4, 10) as [number, number, number, number];
    const { started, release, render } = gatedRender();
    const cache = createMediaCache({ dir: join(dir, 'order'), lookup, render, renderConcurrency: 1 });
    const first = cache.get('thumb', a);
    await expect.poll(() => started.length).toBe(1);
    const rest = [b, c, d].map((id) => cache.get('thumb', id));
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([a]); // the others wait for the one render allowed
    release();
    const images = await Promise.all([first, ...rest]);
    expect(started).toEqual([a, d, c, b]);
    for (const img of images) expect((await sharp(img.data).metadata()).format).toBe('webp');
  });

  it('previews have their own queue, first come first served: the page opened never waits behind thumbnails or the page warmed after it', async () => {
    const [thumbA, thumbB, open, warm, next] = copies(5, 30) as [number, number, number, number, number];
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = new Set([thumbA, open]);
    const render = async (s: MediaSource & { format: string }, o: { maxSide: number }) => {
      const id = Number(/copy-(\d+)/.exec(s.path)?.[1]);
      started.push(`${o.maxSide === 64 ? 'thumb' : 'preview'} ${id}`);
      if (held.has(id)) await gate;
      return sharp(s.path).rotate().resize(o.maxSide, o.maxSide, { fit: 'inside' }).webp().toBuffer();
    };
    const cache = createMediaCache({ dir: join(dir, 'kinds'), lookup, render, renderConcurrency: 1, sizes: { thumb: 64, preview: 300 } });
    const thumbs = [cache.get('thumb', thumbA), cache.get('thumb', thumbB)];
    const previews = [cache.get('preview', open), cache.get('preview', warm), cache.get('preview', next)];
    await expect.poll(() => started.length).toBe(2);
    // One thumbnail and the opened page render side by side; the rest wait for their own queue.
    expect([...started].sort()).toEqual([`preview ${open}`, `thumb ${thumbA}`]); // in either order
    release();
    await Promise.all([...thumbs, ...previews]);
    expect(started.filter((s) => s.startsWith('preview'))).toEqual([`preview ${open}`, `preview ${warm}`, `preview ${next}`]);
  });

  it('drops a waiting render when its asker leaves, unless another asker still waits for it', async () => {
    const [blocker, left, shared] = copies(3, 20) as [number, number, number];
    const { started, release, render } = gatedRender();
    const cache = createMediaCache({ dir: join(dir, 'abort'), lookup, render, renderConcurrency: 1 });
    const blocking = cache.get('thumb', blocker);
    await expect.poll(() => started.length).toBe(1);

    const goneAway = new AbortController();
    const gone = cache.get('thumb', left, goneAway.signal);
    const firstAsker = new AbortController();
    const leaving = cache.get('thumb', shared, firstAsker.signal);
    const staying = cache.get('thumb', shared); // joins the same render
    goneAway.abort();
    firstAsker.abort();
    await expect(gone).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(leaving).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    await blocking;
    expect((await sharp((await staying).data).metadata()).format).toBe('webp');
    expect(started).toEqual([blocker, shared]); // the page nobody waits for was never rendered
  });
});
