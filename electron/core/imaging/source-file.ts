import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ScanError } from '../errors';
import { decodeError } from './errors';

/**
 * A page's file as it is decoded: its bytes, read once, and the sha256 of exactly those bytes.
 *
 * The result cache is keyed by this hash, computed where the page is decoded (in the worker),
 * not by the hash intake computed earlier: scanners overwrite `scan001.jpg`, and a file replaced
 * between intake and decode must have its codes filed under the bytes that produced them.
 * Every decoder of the page (sharp, libheif, bmp-ts, pdf.js) reads `bytes`, never the path again.
 */
export interface SourceFile {
  path: string;
  bytes: Buffer;
  sha256: string;
}

/** Files above this are refused (no scanner writes one; reading it whole would take the memory). */
export const MAX_SOURCE_BYTES = 1024 * 1024 * 1024;

/**
 * Multi-page files (PDF, TIFF) are decoded page after page by the same worker: their bytes stay
 * here between pages, so a 300-page scan is read and hashed once per worker, not 300 times.
 * An entry is valid while the file's identity (inode, size, mtime, ctime) is unchanged; idle
 * entries go after a few seconds, and the total held stays under a budget.
 */
interface Held {
  identity: string;
  file: Promise<SourceFile>;
  size: number;
  timer?: NodeJS.Timeout;
}
const HELD = new Map<string, Held>();
const HOLD_IDLE_MS = 5_000;
const HOLD_MAX_BYTES = 512 * 1024 * 1024;

function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** Reads the whole file through one handle, hashing the very bytes it returns. */
async function readWhole(path: string, label: string): Promise<{ file: SourceFile; identity: string }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw decodeError(err, label);
  }
  try {
    const st = await fh.stat();
    if (st.size > MAX_SOURCE_BYTES) {
      throw new ScanError(
        'IMAGE_TOO_LARGE',
        `${label}: the file is ${(st.size / 2 ** 30).toFixed(1)} GiB; files above ${MAX_SOURCE_BYTES / 2 ** 30} GiB are not read.`,
      );
    }
    // Into one buffer of the size stat gives, and one byte more to notice a file still being
    // written (it grows): then read on to the end in chunks. A 78 MB multi-page TIFF is read
    // without a second 78 MB copy at the end (each decode worker reads it).
    const first = Buffer.allocUnsafeSlow(st.size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(first, total, first.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === first.length) break;
    }
    const chunks: Buffer[] = [first.subarray(0, total)];
    while (total === first.length || chunks.length > 1) {
      const buf = Buffer.allocUnsafe(16 * 1024 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_SOURCE_BYTES) break;
    }
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { file: { path, bytes, sha256 }, identity: identityOf(st) };
  } catch (err) {
    throw decodeError(err, label);
  } finally {
    await fh.close();
  }
}

/** The file of a one-page image: read now, not kept. */
export async function readSourceFile(path: string, label: string): Promise<SourceFile> {
  return (await readWhole(path, label)).file;
}

/**
 * The file of one page of a multi-page document: the bytes this worker already holds when the
 * file is unchanged since, else read (and held for the next pages).
 */
export async function readHeldSourceFile(path: string, label: string): Promise<SourceFile> {
  const st = await stat(path).catch((err: unknown) => {
    throw decodeError(err, label);
  });
  const identity = identityOf(st);
  let held = HELD.get(path);
  if (held && held.identity !== identity) {
    drop(path, held);
    held = undefined;
  }
  if (!held) {
    const entry: Held = { identity, size: st.size, file: readWhole(path, label).then((r) => r.file) };
    // A failed read is not kept (the next page tries again, and reports its own error).
    entry.file.catch(() => drop(path, entry));
    HELD.set(path, entry);
    held = entry;
    trim(path);
  }
  clearTimeout(held.timer);
  const entry = held;
  held.timer = setTimeout(() => drop(path, entry), HOLD_IDLE_MS).unref();
  return held.file;
}

function drop(path: string, entry: Held): void {
  clearTimeout(entry.timer);
  if (HELD.get(path) === entry) HELD.delete(path);
}

/** Oldest entries go first while the total is over budget (the newest always stays). */
function trim(keep: string): void {
  let total = 0;
  for (const e of HELD.values()) total += e.size;
  for (const [p, e] of HELD) {
    if (total <= HOLD_MAX_BYTES) break;
    if (p === keep) continue;
    drop(p, e);
    total -= e.size;
  }
}

/** Formats whose files hold many pages, read once per worker for all of them. */
export function isMultiPageFormat(format: string): boolean {
  return format === 'pdf' || format === 'tiff';
}

/** The page's file, held between pages for multi-page formats. */
export function openSourceFile(source: { path: string; format: string }, label: string): Promise<SourceFile> {
  return isMultiPageFormat(source.format) ? readHeldSourceFile(source.path, label) : readSourceFile(source.path, label);
}
