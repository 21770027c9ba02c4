import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { MediaKind } from '../../../shared/contract';
import { Semaphore } from '../concurrency/semaphore';
import { ScanError } from '../errors';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../private-files';
import { PreviewPool } from '../imaging/preview-pool';
import type { ImageFormat } from '../intake/types';
import type { PageFile } from '../service-types';

/**
 * Oriented previews and thumbnails addressed by item id, for the scandesk: protocol (Electron)
 * and the host's /media route. They are drawn in worker threads (imaging/preview-pool), never on
 * the thread that serves the app: a phone's HEIC takes a second or more of synchronous wasm.
 * Rendering a 4000x3000 scan costs ~150 ms, so results are kept in
 * memory (bounded by bytes) and on disk, keyed by the source file's path, page, size and
 * modification time: a changed file gets a fresh preview, a reused item id (new database) never
 * sees another file's image.
 *
 * A shared queue's page is read from the queue's blob store (`blob`: its copy named by sha256),
 * never at the path it was submitted with, which is another machine's; the bytes drawn must hash
 * to that sha256 (checked in the preview worker, which reads them anyway), so a damaged or
 * replaced copy answers an error, never another image. Its cache entries are keyed by the hash.
 */
export type MediaSource = PageFile;

export interface MediaImage {
  data: Buffer;
  contentType: string;
}

/** Draws `path` (the file to read: a blob's copy on a shared queue), refusing bytes that do not hash to `sha256` when given. */
export type RenderMedia = (source: { path: string; page: number; format: ImageFormat; sha256?: string }, options: { maxSide: number }) => Promise<Buffer>;

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
  /** Draws one image; default: makePreview in the cache's own pool of preview workers. */
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
  /**
   * Drops every cached image (both kinds, any size or file version) of these pages, from
   * memory and disk: they belonged to a deleted batch. A render still running for one of them
   * is not kept.
   */
  forget(pages: readonly MediaSource[]): void;
  /** Stops the preview workers (renders in progress fail with CANCELLED). */
  close(): Promise<void>;
}

const CONTENT_TYPE = 'image/webp';

/** WebP of the oriented page (imaging's makePreview: EXIF, HEIC, TIFF/PDF pages), fit inside maxSide, drawn in `pool`. */
export function renderWebpIn(pool: PreviewPool): RenderMedia {
  return async (source, { maxSide }) => {
    const preview = await pool.render(
      { path: source.path, page: source.page, format: source.format, ...(source.sha256 ? { sha256: source.sha256 } : {}) },
      { maxSide, format: 'webp', quality: 82 },
    );
    return preview.data;
  };
}

export function createMediaCache(options: MediaCacheOptions): MediaCache {
  const sizes: Record<MediaKind, number> = { preview: 2048, thumb: 256, ...options.sizes };
  const thumbRenders = options.renderConcurrency ?? Math.max(1, availableParallelism() - 1);
  // One worker per render the queues below let run at once (thumbnails + the one preview);
  // threads start with the first render and stop when idle.
  const pool = options.render ? null : new PreviewPool({ size: thumbRenders + 1 });
  const render = options.render ?? renderWebpIn(pool!);
  const memLimit = options.memoryBytes ?? 64 * 1024 * 1024;
  const memory = new Map<string, Buffer>(); // insertion order = LRU order
  let memBytes = 0;
  const inflight = new Map<string, Promise<Buffer>>();
  // Thumbnails newest first: while a grid scrolls, the pages on screen are the ones asked for
  // last, and each render (up to ~150 ms for a large scan) takes a core from the window. Previews
  // in order: the page being opened is asked for before the next one is warmed.
  const queues: Record<MediaKind, Semaphore> = {
    thumb: new Semaphore(thumbRenders, 'newest-first'),
    preview: new Semaphore(1),
  };
  const diskLimit = options.diskBytes ?? 512 * 1024 * 1024;
  let writesSincePrune = 0;
  // Previews are pictures of personal documents: the folder and its files are the owner's only.
  makePrivateDir(options.dir);
  /** Bumped by forget(): a render that started before it is not stored. */
  const forgotten = new Map<string, number>();

  // Keeps the folder under its budget: oldest access time (mtime, refreshed on each disk hit)
  // first. Files not named as this version names them (an older cache) go at once: they
  // could not be found by forget().
  const prune = () => {
    writesSincePrune = 0;
    try {
      const names = readdirSync(options.dir);
      for (const f of names) if (f.endsWith('.webp') && !FILE_NAME.test(f)) rmSync(join(options.dir, f), { force: true });
      const entries = names
        .filter((f) => FILE_NAME.test(f))
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
    const page = pageKey(source);
    const epoch = forgotten.get(page) ?? 0;
    try {
      const data = readFileSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return data;
    } catch {
      // not cached on disk yet
    }
    const read = source.blob ? { path: source.blob.path, page: source.page, sha256: source.blob.sha256 } : { path: source.path, page: source.page };
    const data = await queues[kind].run(async () => render({ ...read, format: await sniffFormat(read.path) }, { maxSide }), signal);
    if ((forgotten.get(page) ?? 0) !== epoch) return data; // its batch was deleted meanwhile: answer, keep nothing
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(tmp, data, { mode: PRIVATE_FILE_MODE });
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
      let version: string;
      try {
        // A blob's name is its content's hash: the name is the version. A file at its own path
        // is known by its size and modification time.
        const st = statSync(source.blob?.path ?? source.path);
        version = source.blob ? `sha256:${source.blob.sha256}` : `${st.size}\0${st.mtimeMs}`;
      } catch (err) {
        throw new ScanError(
          'FILE_NOT_FOUND',
          source.blob
            ? `The shared queue's copy of item ${itemId} (${source.path}) is not in its blob folder here (${source.blob.path}).`
            : `The file of item ${itemId} is no longer available.`,
          { cause: err },
        );
      }
      const key = `${pageKey(source)}-${sha(`${kind}\0${sizes[kind]}\0${version}`).slice(0, 24)}`;
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
          const epoch = forgotten.get(pageKey(source)) ?? 0;
          const data = await job;
          if ((forgotten.get(pageKey(source)) ?? 0) === epoch) remember(key, data);
          return { data, contentType: CONTENT_TYPE };
        } catch (err) {
          // The render this request joined was dropped because its first asker left; this one
          // is still here, so it asks again (as the first asker, this time).
          if (err instanceof ScanError && err.code === 'CANCELLED' && !signal?.aborted) continue;
          throw err;
        }
      }
    },

    forget(pages) {
      const prefixes = new Set(pages.map((p) => `${pageKey(p)}-`));
      if (prefixes.size === 0) return;
      for (const p of prefixes) {
        const page = p.slice(0, -1);
        forgotten.set(page, (forgotten.get(page) ?? 0) + 1);
      }
      const mine = (name: string) => prefixes.has(name.slice(0, PAGE_KEY_CHARS + 1));
      for (const [k, v] of memory) {
        if (!mine(k)) continue;
        memory.delete(k);
        memBytes -= v.length;
      }
      let names: string[];
      try {
        names = readdirSync(options.dir);
      } catch {
        return;
      }
      for (const f of names) if (mine(f)) rmSync(join(options.dir, f), { force: true });
    },

    async close() {
      await pool?.close();
    },
  };
}

const PAGE_KEY_CHARS = 16;
/** `<page key>-<variant key>.webp`: one page of one file, then kind, size and file version. */
const FILE_NAME = /^[0-9a-f]{16}-[0-9a-f]{24}\.webp$/;

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Which page of which file an image shows (the start of its cache name, so forget() finds every variant). */
function pageKey(source: MediaSource): string {
  return sha(`${source.path}\0${source.page}`).slice(0, PAGE_KEY_CHARS);
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
