import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants, inflateSync } from 'node:zlib';

/**
 * The largest page count a PDF's page tree declares (`/Count n`), read as a byte stream without
 * parsing: a quick look before pdf.js is handed the file. A crafted page tree (one page named
 * 10 million times in a 60 MB /Kids array) takes any PDF parser minutes and gigabytes; its
 * /Count says so in a few milliseconds. Outline entries also carry /Count (open descendants): a
 * document with thousands of open bookmarks would be overcounted, which only matters past the
 * per-file page cap.
 *
 * Page trees inside compressed object streams (PDF 1.5 and later) are looked at too: the start
 * of each Flate object stream is inflated (a few KB in, never the whole stream, which may be a
 * deflate bomb of 10 million /Kids entries) and searched the same way. A /Count further into a
 * large object stream than that is not seen (0 is returned): pdf.js then counts, inside the
 * inspect worker's memory and time limits.
 */
export async function largestDeclaredCount(path: string): Promise<number> {
  const scan = new DeclaredCountScan();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) scan.push(chunk as Buffer);
  if (scan.objectStreams.length === 0) return scan.largest;
  return Math.max(scan.largest, await countInObjectStreams(path, scan.objectStreams));
}

/** Bytes carried from one chunk to the next: a token split between chunks is seen whole. */
const CARRY = 512;
/** How far after `/Type /ObjStm` its data may start (the rest of the stream's dictionary). */
const OBJSTM_DICT_BYTES = 400;
const COUNT = Buffer.from('/Count', 'latin1');
const OBJSTM = Buffer.from('/ObjStm', 'latin1');
const TYPE = Buffer.from('/Type', 'latin1');
const STREAM = Buffer.from('stream', 'latin1');

/** PDF white-space (NUL, tab, line feed, form feed, carriage return, space), and vertical tab. */
function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00 || b === 0x0b;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/**
 * The byte scan of largestDeclaredCount, fed chunk by chunk (so a reader that needs the bytes
 * for something else, e.g. intake's hash, looks at each byte once): the largest `/Count n` seen
 * in plain bytes, and where each object stream's data starts (for countInObjectStreams). Native
 * Buffer searches, not text: an 18 MB scan costs a few milliseconds.
 */
export class DeclaredCountScan {
  largest = 0;
  /** File offsets of the first data byte of each `/Type /ObjStm` stream (at most MAX_STREAMS). */
  readonly objectStreams: number[] = [];
  private readonly seen = new Set<number>(); // a match inside the carried-over tail is found twice
  private carry: Buffer = Buffer.alloc(0);
  private position = 0; // file offset of the first byte of `carry`

  push(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    for (let i = bytes.indexOf(COUNT); i >= 0; i = bytes.indexOf(COUNT, i + COUNT.length)) {
      let j = i + COUNT.length;
      if (!isSpace(bytes[j])) continue;
      while (isSpace(bytes[j])) j++;
      let n = 0;
      let digits = 0;
      while (digits < 12 && isDigit(bytes[j])) {
        n = n * 10 + bytes[j]! - 0x30;
        j++;
        digits++;
      }
      if (digits > 0) this.largest = Math.max(this.largest, n);
    }
    for (let i = bytes.indexOf(OBJSTM); i >= 0; i = bytes.indexOf(OBJSTM, i + OBJSTM.length)) {
      const at = objectStreamData(bytes, i);
      if (at < 0) continue;
      const offset = this.position + at;
      if (this.objectStreams.length < MAX_STREAMS && !this.seen.has(offset)) {
        this.seen.add(offset);
        this.objectStreams.push(offset);
      }
    }
    const keep = Math.min(bytes.length, CARRY);
    this.position += bytes.length - keep;
    // A copy: the caller may reuse its chunk's memory.
    this.carry = Buffer.from(bytes.subarray(bytes.length - keep));
  }
}

/**
 * Where the data of the object stream whose `/ObjStm` is at `i` starts: `/Type` (white-space
 * allowed) before it, and the first `stream` followed by an end of line within
 * OBJSTM_DICT_BYTES after it. -1 when this is not one (or its start is not in `bytes` yet).
 */
function objectStreamData(bytes: Buffer, i: number): number {
  let t = i - 1;
  while (t >= 0 && isSpace(bytes[t])) t--;
  const typeAt = t + 1 - TYPE.length;
  if (typeAt < 0 || !bytes.subarray(typeAt, t + 1).equals(TYPE)) return -1;
  const from = i + OBJSTM.length;
  for (let s = bytes.indexOf(STREAM, from); s >= 0 && s - from <= OBJSTM_DICT_BYTES; s = bytes.indexOf(STREAM, s + 1)) {
    const e = s + STREAM.length;
    if (bytes[e] === 0x0a) return e + 1;
    if (bytes[e] === 0x0d && bytes[e + 1] === 0x0a) return e + 2;
  }
  return -1;
}

/** Object streams looked into at most (a real document has a few dozen). */
const MAX_STREAMS = 2_000;
/** Compressed bytes read from the start of each: /Count sits near the start of a /Pages dict. */
const HEAD_BYTES = 4 * 1024;

/** The largest `/Count n` at the start of each object stream (file offsets of their data). */
export async function countInObjectStreams(path: string, starts: number[]): Promise<number> {
  let largest = 0;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    for (const at of starts) {
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, at);
      let text: Buffer;
      try {
        // a prefix of the stream: inflate what it holds, without requiring its end
        text = inflateSync(buf.subarray(0, bytesRead), { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        continue; // not Flate, or damaged: pdf.js decides
      }
      const scan = new DeclaredCountScan();
      scan.push(text);
      largest = Math.max(largest, scan.largest);
    }
  } finally {
    await fh.close();
  }
  return largest;
}
