import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppError, ErrorCode } from '../../../shared/errors';
import { toAppError } from '../errors';
import { countPagesInWorker, declaredPagesInWorker } from '../imaging/inspect-pool';
import { IMAGE_LIMITS } from '../imaging/limits';
import { DeclaredCountScan } from '../imaging/pdf-declared';
import { sha256OfHandle } from './hash';
import { looksLikeImageName } from './names';
import { SNIFF_BYTES, sniff } from './sniff';
import type { ImageFormat, IntakeItem, IntakeResult, SkippedEntry } from './types';
import { walk, type Found } from './walk';

export interface IntakeOptions {
  /** Files examined at once (sniff + hash + page count). Default 4. */
  concurrency?: number;
  /** Stops examining further files; expandPaths then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each file is examined (files, not pages), for a progress bar on big folders. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Most pages taken from one PDF or TIFF (default IMAGE_LIMITS.maxPagesPerFile). A file that
   * declares more fails as a whole with IMAGE_TOO_LARGE: page trees can be crafted to claim
   * 200,000 pages in 1 MB.
   */
  maxPagesPerFile?: number;
  /** expandPathsInChunks: most pages in one chunk (default INTAKE_CHUNK). */
  chunk?: number;
}

type Outcome = { items: IntakeItem[] } | { skipped: SkippedEntry };

/**
 * A file examined: its first pages at once, and for a long PDF whose first pages were known
 * before the whole file was counted, a promise of the rest (pages 2..n, or the error that
 * stopped the count: then one failed item for page 2 says why the rest is missing).
 */
type Examined = { first: Outcome; rest?: Promise<IntakeItem[]> };

/** At most this many pages in one chunk (one store transaction). */
export const INTAKE_CHUNK = 256;
/** A chunk is handed on after this long even when smaller: a folder of big files streams too. */
const CHUNK_MS = 250;

/**
 * Turns what the user dropped (files and folders, any mix) into the pages to decode.
 *
 * - Order: the given paths in order; inside folders, subfolders first then files, natural sort.
 * - Format from the bytes (magic numbers), never the extension.
 * - TIFF and PDF: one item per page (page 1..n, pageCount n).
 * - Hidden/system files are skipped quietly; other non-image files go to `skipped` with a reason.
 * - Anything that promises an image (by its name, or because the user named it explicitly) but
 *   cannot be used becomes an item WITH `error`: FILE_NOT_FOUND (missing path, broken link),
 *   FILE_UNREADABLE (permission denied, link loop, I/O error), FILE_EMPTY, UNSUPPORTED_FORMAT
 *   (bytes that are no image we read, e.g. text renamed .jpg: we choose UNSUPPORTED_FORMAT, not
 *   IMAGE_DECODE, because nothing was decoded), PDF_PASSWORD, PDF_CORRUPT, IMAGE_DECODE (a TIFF
 *   whose page directory cannot be read).
 * - sha256 of every readable image file, streamed.
 */
export async function expandPaths(paths: string[], opts: IntakeOptions = {}): Promise<IntakeResult> {
  const items: IntakeItem[] = [];
  const skipped: SkippedEntry[] = [];
  for await (const chunk of expandPathsInChunks(paths, opts)) {
    // One push per item: a spread of 200,000 arguments overflows the call stack.
    for (const it of chunk.items) items.push(it);
    for (const s of chunk.skipped) skipped.push(s);
  }
  return { items, skipped };
}

/**
 * expandPaths as a stream, in the same order: chunks of at most INTAKE_CHUNK pages, handed on as
 * soon as they are known (at the latest every CHUNK_MS), so a batch can start on its first pages
 * while later files are still being read and a long PDF is still being counted. A PDF whose
 * page tree declares its count (a quick look, no parsing) gives its page 1 at once; its other
 * pages follow once pdf.js has counted them. Every chunk but the last holds at least one page or
 * ignored file.
 */
export async function* expandPathsInChunks(paths: string[], opts: IntakeOptions = {}): AsyncGenerator<IntakeResult> {
  const { found, skipped: walkSkipped } = await walk(paths);
  const maxPages = opts.maxPagesPerFile ?? IMAGE_LIMITS.maxPagesPerFile;
  const chunkSize = Math.max(1, opts.chunk ?? INTAKE_CHUNK);
  const width = Math.max(1, Math.min(opts.concurrency ?? 4, found.length));
  // Files are examined up to `width` ahead of the one being handed on.
  const pending: Array<Promise<Examined>> = [];
  let next = 0;
  let done = 0;
  const startMore = () => {
    while (next < found.length && pending.length < width) {
      const f = found[next++]!;
      pending.push(
        examine(f, maxPages).then((e) => {
          opts.onProgress?.(++done, found.length);
          return e;
        }),
      );
    }
  };
  let items: IntakeItem[] = [];
  let skipped: SkippedEntry[] = [...walkSkipped];
  let since = performance.now();
  const take = (): IntakeResult => {
    const out = { items, skipped };
    items = [];
    skipped = [];
    since = performance.now();
    return out;
  };
  const add = (o: Outcome) => {
    if ('items' in o) for (const it of o.items) items.push(it);
    else skipped.push(o.skipped);
  };
  startMore();
  while (pending.length > 0) {
    opts.signal?.throwIfAborted();
    const e = await pending.shift()!;
    startMore();
    add(e.first);
    if (e.rest) {
      // The rest of a long file takes a while: what is known goes on first.
      if (items.length + skipped.length > 0) yield take();
      const rest = await e.rest;
      opts.signal?.throwIfAborted();
      for (let i = 0; i < rest.length; i += chunkSize) {
        items.push(...rest.slice(i, i + chunkSize));
        if (items.length >= chunkSize) yield take();
      }
    }
    while (items.length >= chunkSize) {
      const head = items.slice(0, chunkSize);
      items = items.slice(chunkSize);
      yield { items: head, skipped: [] };
    }
    if (items.length + skipped.length > 0 && performance.now() - since >= CHUNK_MS) yield take();
  }
  opts.signal?.throwIfAborted();
  yield take();
}

function errorItem(path: string, error: AppError, extra: Partial<IntakeItem> = {}): IntakeItem {
  return { path, page: 1, pageCount: 1, format: null, size: 0, sha256: null, error, ...extra };
}

function ioCode(err: unknown): ErrorCode {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE';
}

function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it disappeared while the batch was being read';
  return `read error: ${(err as Error)?.message ?? String(err)}`;
}

async function examine(f: Found, maxPages: number): Promise<Examined> {
  if (f.kind === 'error') return { first: { items: [errorItem(f.path, f.error)] } };
  return examineFile(f, maxPages);
}

async function examineFile(f: Found & { kind: 'file' }, maxPages: number): Promise<Examined> {
  const { path } = f;
  const name = basename(path);
  const promised = f.explicit || looksLikeImageName(name);
  const fail = (code: ErrorCode, message: string, extra: Partial<IntakeItem> = {}): Outcome =>
    promised || extra.format ? { items: [errorItem(path, { code, message }, extra)] } : { skipped: { path, reason: message } };

  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    return { first: fail(ioCode(err), `${name}: cannot be read (${ioReason(err)}).`) };
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) {
      return { first: promised ? fail('FILE_EMPTY', `${name}: the file is empty (0 bytes).`) : { skipped: { path, reason: 'empty file (0 bytes)' } } };
    }
    const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    await fh.read(head, 0, head.length, 0);
    const sniffed = await sniff(head, path, size);
    if (sniffed.format === null) {
      if (promised || sniffed.image) {
        return { first: { items: [errorItem(path, { code: 'UNSUPPORTED_FORMAT', message: `${name}: not an image or PDF we can read; it looks like ${sniffed.description}.` }, { size })] } };
      }
      return { first: { skipped: { path, reason: `not an image or PDF: looks like ${sniffed.description}` } } };
    }
    const format: ImageFormat = sniffed.format;
    // A PDF's bytes are searched for the page count its tree declares while they are hashed.
    const declaredScan = format === 'pdf' ? new DeclaredCountScan() : null;
    const sha256 = await sha256OfHandle(fh, declaredScan ? (chunk) => declaredScan.push(chunk) : undefined);
    if (format !== 'tiff' && format !== 'pdf') return { first: { items: [{ path, page: 1, pageCount: 1, format, size, sha256, error: null }] } };
    const file = { path, name, format, size, sha256, maxPages };
    if (declaredScan) {
      // The count its page tree declares, read without parsing: when it is within the cap, page
      // 1 goes on now and pdf.js counts the rest meanwhile (a 500-page scan is decoding before
      // it is counted). Otherwise (no count found, or past the cap) pdf.js decides first. Page
      // trees in compressed object streams are inflated in the inspect worker, never here.
      const declared = declaredScan.objectStreams.length === 0 ? declaredScan.largest : await declaredPagesInWorker(path, name).catch(() => 0);
      if (declared >= 1 && declared <= maxPages) {
        return { first: { items: [{ path, page: 1, pageCount: declared, format, size, sha256, error: null }] }, rest: restOf(file) };
      }
    }
    return { first: { items: await allPages(file) } };
  } catch (err) {
    return { first: fail(ioCode(err), `${name}: cannot be read (${ioReason(err)}).`) };
  } finally {
    await fh.close();
  }
}

interface MultiPage {
  path: string;
  name: string;
  format: 'pdf' | 'tiff';
  size: number;
  sha256: string;
  maxPages: number;
}

/** Counted in the inspect worker: pages 1..n, or one failed item (unreadable, past the cap). */
async function allPages(f: MultiPage): Promise<IntakeItem[]> {
  const { path, format, size, sha256 } = f;
  let pageCount: number;
  try {
    pageCount = await countPagesInWorker(path, format, f.name, f.maxPages);
  } catch (err) {
    return [errorItem(path, toAppError(err), { format, size, sha256 })];
  }
  if (pageCount > f.maxPages) return [errorItem(path, tooLong(f, pageCount), { format, size, sha256 })];
  return pagesOf(f, 1, pageCount);
}

/**
 * Pages 2..n of a PDF whose page 1 went on before the count. When pdf.js cannot open it, or it
 * has more pages than the cap after all (a count its quick look did not see), one failed item
 * (page 2) says why the rest is missing; page 1 is decoded, or fails, on its own.
 */
async function restOf(f: MultiPage): Promise<IntakeItem[]> {
  const { path, format, size, sha256 } = f;
  const extra = { format, size, sha256, page: 2 };
  let pageCount: number;
  try {
    pageCount = await countPagesInWorker(path, format, f.name, f.maxPages);
  } catch (err) {
    const e = toAppError(err);
    return [errorItem(path, { code: e.code, message: `${f.name}: the pages after the first cannot be read: ${e.message}` }, extra)];
  }
  if (pageCount > f.maxPages) return [errorItem(path, tooLong(f, pageCount, true), extra)];
  return pagesOf(f, 2, pageCount);
}

function pagesOf(f: MultiPage, from: number, pageCount: number): IntakeItem[] {
  const items: IntakeItem[] = [];
  for (let page = from; page <= pageCount; page++) {
    items.push({ path: f.path, page, pageCount, format: f.format, size: f.size, sha256: f.sha256, error: null });
  }
  return items;
}

function tooLong(f: MultiPage, pageCount: number, afterFirst = false): AppError {
  const what = f.format === 'pdf' ? 'PDF' : 'TIFF';
  const message =
    `${f.name}: the ${what} declares ${pageCount.toLocaleString('en-US')} pages; at most ` +
    `${f.maxPages.toLocaleString('en-US')} pages are read from one file, so ${afterFirst ? 'no page after the first' : 'none of it'} was taken ` +
    `(a file this long is damaged or crafted; split a real one, or raise the limit).`;
  return { code: 'IMAGE_TOO_LARGE', message };
}
