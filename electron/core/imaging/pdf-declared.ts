import { createReadStream } from 'node:fs';

/**
 * The largest page count a PDF's page tree declares in plain sight (`/Count n`), read as a byte
 * stream without parsing: a quick look before pdf.js is handed the file. A crafted page tree
 * (one page named 10 million times in a 60 MB /Kids array) takes any PDF parser minutes and
 * gigabytes; its /Count says so in a few milliseconds. Page trees inside compressed object
 * streams are not visible here (0 is returned): pdf.js then counts them, inside the inspect
 * worker's memory and time limits. Outline entries also carry /Count (open descendants): a
 * document with thousands of open bookmarks would be overcounted, which only matters past the
 * per-file page cap.
 */
export async function largestDeclaredCount(path: string): Promise<number> {
  let largest = 0;
  let carry = '';
  const re = /\/Count\s+(\d{1,12})/g;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    // latin1 keeps one character per byte; a token split between chunks is carried over
    const text = carry + (chunk as Buffer).toString('latin1');
    for (const m of text.matchAll(re)) largest = Math.max(largest, Number(m[1]));
    carry = text.slice(-24);
  }
  return largest;
}
