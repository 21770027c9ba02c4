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
  let largest = 0;
  let carry = '';
  let position = 0; // file offset of the first byte of `text`
  const re = /\/Count\s+(\d{1,12})/g;
  const objStm = /\/Type\s*\/ObjStm[^]{0,400}?stream\r?\n/g;
  const streams = new Set<number>(); // a match inside the carried-over tail is seen twice
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    // latin1 keeps one character per byte; a token split between chunks is carried over
    const text = carry + (chunk as Buffer).toString('latin1');
    for (const m of text.matchAll(re)) largest = Math.max(largest, Number(m[1]));
    for (const m of text.matchAll(objStm)) {
      const at = position + m.index + m[0].length;
      if (streams.size < MAX_STREAMS) streams.add(at);
    }
    const keep = Math.min(text.length, 512);
    position += text.length - keep;
    carry = text.slice(-keep);
  }
  if (streams.size) largest = Math.max(largest, await countInObjectStreams(path, [...streams]));
  return largest;
}

/** Object streams looked into at most (a real document has a few dozen). */
const MAX_STREAMS = 2_000;
/** Compressed bytes read from the start of each: /Count sits near the start of a /Pages dict. */
const HEAD_BYTES = 4 * 1024;

async function countInObjectStreams(path: string, starts: number[]): Promise<number> {
  let largest = 0;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    for (const at of starts) {
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, at);
      let text: string;
      try {
        // a prefix of the stream: inflate what it holds, without requiring its end
        text = inflateSync(buf.subarray(0, bytesRead), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
      } catch {
        continue; // not Flate, or damaged: pdf.js decides
      }
      for (const m of text.matchAll(/\/Count\s+(\d{1,12})/g)) largest = Math.max(largest, Number(m[1]));
    }
  } finally {
    await fh.close();
  }
  return largest;
}
