import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countInObjectStreams, DeclaredCountScan, largestDeclaredCount } from '../../electron/core/imaging/pdf-declared';
import { tempDir } from '../engine/helpers';

/**
 * The page count a PDF's tree declares, found in its bytes as intake hashes them (chunk after
 * chunk, each byte looked at once): split anywhere between chunks, found the same; page trees
 * inside compressed object streams found through their heads. Real PDFs written by pdf-lib.
 */
const tmp = tempDir('declared');
let plain: Buffer;
let compressed: Buffer;
const PAGES = 37;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  for (let i = 0; i < PAGES; i++) doc.addPage([200, 200]);
  plain = Buffer.from(await doc.save({ useObjectStreams: false }));
  compressed = Buffer.from(await doc.save({ useObjectStreams: true }));
});
afterAll(() => tmp.cleanup());

function scanInChunks(bytes: Buffer, size: number): DeclaredCountScan {
  const scan = new DeclaredCountScan();
  for (let i = 0; i < bytes.length; i += size) scan.push(bytes.subarray(i, i + size));
  return scan;
}

describe('DeclaredCountScan', () => {
  it('finds /Count in plain bytes wherever the chunks split it', () => {
    const at = plain.indexOf('/Count');
    expect(at).toBeGreaterThan(0);
    for (let cut = at - 2; cut <= at + 12; cut++) {
      const scan = new DeclaredCountScan();
      scan.push(plain.subarray(0, cut));
      scan.push(plain.subarray(cut));
      expect([cut, scan.largest]).toEqual([cut, PAGES]);
      expect(scan.objectStreams).toEqual([]);
    }
    for (const size of [1, 7, 4096]) expect(scanInChunks(plain, size).largest).toBe(PAGES);
  });

  it('takes the largest count, with any PDF white-space before the digits, and at most 12 digits', () => {
    const scan = new DeclaredCountScan();
    scan.push(Buffer.from('<< /Count 3 >> << /Count\r\n\t 200000 >> << /Count\x0012 >> /Countx 999999 /Count 1234567890123456', 'latin1'));
    expect(scan.largest).toBe(123456789012);
    const small = new DeclaredCountScan();
    small.push(Buffer.from('/Count 3 /Count\x0012 /Countx 999999 /Count /Type', 'latin1'));
    expect(small.largest).toBe(12);
  });

  it('finds the page tree inside compressed object streams, the same split in any chunks', async () => {
    expect(compressed.indexOf('/Count')).toBe(-1); // nothing to see in plain bytes
    const path = join(tmp.dir, 'compressed.pdf');
    writeFileSync(path, compressed);
    const whole = scanInChunks(compressed, compressed.length);
    expect(whole.largest).toBe(0);
    expect(whole.objectStreams.length).toBeGreaterThan(0);
    expect(await countInObjectStreams(path, whole.objectStreams)).toBe(PAGES);
    for (const size of [1, 5, 333]) expect(scanInChunks(compressed, size).objectStreams).toEqual(whole.objectStreams);
    expect(await largestDeclaredCount(path)).toBe(PAGES);
  });
});
