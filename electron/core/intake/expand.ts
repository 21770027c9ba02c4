import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppError, ErrorCode } from '../../../shared/errors';
import { toAppError } from '../errors';
import { countPagesInWorker } from '../imaging/inspect-pool';
import { IMAGE_LIMITS } from '../imaging/limits';
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
}

type Outcome = { items: IntakeItem[] } | { skipped: SkippedEntry };

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
  const { found, skipped } = await walk(paths);
  const outcomes: Outcome[] = new Array(found.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < found.length) {
      opts.signal?.throwIfAborted();
      const i = next++;
      outcomes[i] = await examine(found[i]!, opts.maxPagesPerFile ?? IMAGE_LIMITS.maxPagesPerFile);
      opts.onProgress?.(++done, found.length);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, found.length));
  await Promise.all(Array.from({ length: n }, worker));
  opts.signal?.throwIfAborted();

  const items: IntakeItem[] = [];
  for (const o of outcomes) {
    // One push per item: a spread of 200,000 arguments overflows the call stack.
    if ('items' in o) for (const it of o.items) items.push(it);
    else skipped.push(o.skipped);
  }
  return { items, skipped };
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

async function examine(f: Found, maxPages: number): Promise<Outcome> {
  if (f.kind === 'error') return { items: [errorItem(f.path, f.error)] };
  const { path } = f;
  const name = basename(path);
  const promised = f.explicit || looksLikeImageName(name);
  const fail = (code: ErrorCode, message: string, extra: Partial<IntakeItem> = {}): Outcome =>
    promised || extra.format ? { items: [errorItem(path, { code, message }, extra)] } : { skipped: { path, reason: message } };

  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    return fail(ioCode(err), `${name}: cannot be read (${ioReason(err)}).`);
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) {
      return promised ? fail('FILE_EMPTY', `${name}: the file is empty (0 bytes).`) : { skipped: { path, reason: 'empty file (0 bytes)' } };
    }
    const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    await fh.read(head, 0, head.length, 0);
    const sniffed = await sniff(head, path, size);
    if (sniffed.format === null) {
      if (promised || sniffed.image) {
        return { items: [errorItem(path, { code: 'UNSUPPORTED_FORMAT', message: `${name}: not an image or PDF we can read; it looks like ${sniffed.description}.` }, { size })] };
      }
      return { skipped: { path, reason: `not an image or PDF: looks like ${sniffed.description}` } };
    }
    const format: ImageFormat = sniffed.format;
    const sha256 = await sha256OfHandle(fh);
    let pageCount = 1;
    try {
      if (format === 'tiff' || format === 'pdf') pageCount = await countPagesInWorker(path, format, name, maxPages);
    } catch (err) {
      return { items: [errorItem(path, toAppError(err), { format, size, sha256 })] };
    }
    if (pageCount > maxPages) {
      const what = format === 'pdf' ? 'PDF' : 'TIFF';
      const message =
        `${name}: the ${what} declares ${pageCount.toLocaleString('en-US')} pages; at most ` +
        `${maxPages.toLocaleString('en-US')} pages are read from one file, so none of it was taken ` +
        `(a file this long is damaged or crafted; split a real one, or raise the limit).`;
      return { items: [errorItem(path, { code: 'IMAGE_TOO_LARGE', message }, { format, size, sha256 })] };
    }
    const items: IntakeItem[] = [];
    for (let page = 1; page <= pageCount; page++) items.push({ path, page, pageCount, format, size, sha256, error: null });
    return { items };
  } catch (err) {
    return fail(ioCode(err), `${name}: cannot be read (${ioReason(err)}).`);
  } finally {
    await fh.close();
  }
}
