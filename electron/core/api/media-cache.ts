import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { MediaKind } from '../../../shared/contract';
import { Semaphore } from '../concurrency/semaphore';
import { ScanError } from '../errors';
import { makePreview } from '../imaging';
import type { ImageFormat } from '../intake/types';

/**
 * Oriented previews and thumbnails addressed by item id, for the scandesk: protocol (Electron)
 * and the host's /media route. Rendering a 4000x3000 scan costs ~150 ms, so results are kept in
 * memory (bounded by bytes) and on disk, keyed by the source file's path, page, size and
 * modification time: a changed file gets a fresh preview, a reused item id (new database) never
 * sees another file's image.
 */
export interface MediaSource {
  path: string;
  page: number;
}

export interface MediaImage {
  data: Buffer;
  contentType: string;
}

export type RenderMedia = (source: MediaSource & { format: ImageFormat }, options: { maxSide: number }) => Promise<Buffer>;

export interface MediaCacheOptions {
  /** Disk cache folder (one per data folder). */
  dir: string;
  /** item id → the page to show; throw ScanError NOT_FOUND for unknown ids. */
  lookup: (itemId: number) => MediaSource | Promise<MediaSource>;
  /** Longest side per kind (defaults: preview 2048, thumb 256). */
  sizes?: Partial<Record<MediaKind, number>>;
  memoryBytes?: number;
  /** Disk budget (default 512 MiB); the least recently used files go first. */
  diskBytes?: number;
  render?: RenderMedia;
  /**
   * Thumbnail renders at once (default: every core but one, so the window being scrolled keeps
   * one). Previews have a queue of their own, one at a time, so the page being opened never
   * waits behind a grid's worth of thumbnails.
   */
  renderConcurrency?: number;
}

export interface MediaCache {
  /**
   * The image, from memory, disk or a new render. A render waits for a turn (newest request
   * first); `signal` aborting before its turn drops it with CANCELLED.
   */
  get(kind: MediaKind, itemId: number, signal?: AbortSignal): Promise<MediaImage>;
}

const CONTENT_TYPE = 'image/webp';

/** WebP of the oriented page (imaging's makePreview: EXIF, HEIC, TIFF/PDF pages), fit inside maxSide. */
export const renderWebp: RenderMedia = async (source, { maxSide }) => {
  const preview = await makePreview({ path: source.path, page: source.page, format: source.format }, { maxSide, format: 'webp', quality: 82 });
  return preview.data;
};

export function createMediaCache(options: MediaCacheOptions): MediaCache {
  const sizes: Record<MediaKind, number> = { preview: 2048, thumb: 256, ...options.sizes };
  const render = options.render ?? renderWebp;
  const memLimit = options.memoryBytes ?? 64 * 1024 * 1024;
  const memory = new Map<string, Buffer>(); // insertion order = LRU order
  let memBytes = 0;
  const inflight = new Map<string, Promise<Buffer>>();
  // Thumbnails newest first: while a grid scrolls, the pages on screen are the ones asked for
  // last, and each render (up to ~150 ms for a large scan) takes a core from the window. Previews
  // in order: the page being opened is asked for before the next one is warmed.
  const queues: Record<MediaKind, Semaphore> = {
    thumb: new Semaphore(options.renderConcurrency ?? Math.max(1, availableParallelism() - 1), 'newest-first'),
    preview: new Semaphore(1),
  };
  const diskLimit = options.diskBytes ?? 512 * 1024 * 1024;
  let writesSincePrune = 0;
  mkdirSync(options.dir, { recursive: true });

  // Keeps the folder under its budget: oldest access time (mtime, refreshed on each disk hit) first.
  const prune = () => {
    writesSincePrune = 0;
    try {
      const entries = readdirSync(options.dir)
        .filter((f) => f.endsWith('.webp'))
        .map((f) => {
          const st = statSync(join(options.dir, f));
          return { file: join(options.dir, f), size: st.size, used: st.mtimeMs };
        })
        .sort((a, b) => a.used - b.used);
      let total = entries.reduce((n, e) => n + e.size, 0);
      for (const e of entries) {
        if (total <= diskLimit) break;
        rmSync(e.file, { force: true });
        total -= e.size;
      }
    } catch {
      // Another instance pruning at the same time, or a read-only folder: try again later.
    }
  };

  const remember = (key: string, data: Buffer) => {
    if (data.length > memLimit) return;
    const old = memory.get(key);
    if (old) {
      memBytes -= old.length;
      memory.delete(key);
    }
    memory.set(key, data);
    memBytes += data.length;
    for (const [k, v] of memory) {
      if (memBytes <= memLimit) break;
      memory.delete(k);
      memBytes -= v.length;
    }
  };

  const produce = async (key: string, kind: MediaKind, source: MediaSource, signal?: AbortSignal): Promise<Buffer> => {
    const maxSide = sizes[kind];
    const file = join(options.dir, `${key}.webp`);
    try {
      const data = readFileSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return data;
    } catch {
      // not cached on disk yet
    }
    const data = await queues[kind].run(async () => render({ ...source, format: await sniffFormat(source.path) }, { maxSide }), signal);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, file);
      if (++writesSincePrune >= 32) prune();
    } catch {
      // A full or read-only disk only costs a re-render next time.
    }
    return data;
  };

  prune();
  return {
    async get(kind, itemId, signal) {
      const source = await options.lookup(itemId);
      let st;
      try {
        st = statSync(source.path);
      } catch (err) {
        throw new ScanError('FILE_NOT_FOUND', `The file of item ${itemId} is no longer available.`, { cause: err });
      }
      const key = createHash('sha256')
        .update(`${kind}\0${sizes[kind]}\0${source.path}\0${source.page}\0${st.size}\0${st.mtimeMs}`)
        .digest('hex')
        .slice(0, 40);
      const hit = memory.get(key);
      if (hit) {
        remember(key, hit);
        return { data: hit, contentType: CONTENT_TYPE };
      }
      for (;;) {
        let job = inflight.get(key);
        if (!job) {
          job = produce(key, kind, source, signal).finally(() => inflight.delete(key));
          inflight.set(key, job);
        }
        try {
          const data = await job;
          remember(key, data);
          return { data, contentType: CONTENT_TYPE };
        } catch (err) {
          // The render this request joined was dropped because its first asker left; this one
          // is still here, so it asks again (as the first asker, this time).
          if (err instanceof ScanError && err.code === 'CANCELLED' && !signal?.aborted) continue;
          throw err;
        }
      }
    },
  };
}

const BY_EXT: Record<string, ImageFormat> = {
  jpg: 'jpeg',
  png: 'png',
  webp: 'webp',
  tif: 'tiff',
  bmp: 'bmp',
  gif: 'gif',
  heic: 'heif',
  avif: 'avif',
  pdf: 'pdf',
};

/** The format from the file's first bytes (never from its name), as intake does. */
async function sniffFormat(path: string): Promise<ImageFormat> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4100);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const type = await fileTypeFromBuffer(head.subarray(0, bytesRead));
    const format = type ? BY_EXT[type.ext] : undefined;
    if (!format) throw new ScanError('UNSUPPORTED_FORMAT', 'This file is not an image ScanDesk can show.');
    return format;
  } finally {
    await fh.close();
  }
}
