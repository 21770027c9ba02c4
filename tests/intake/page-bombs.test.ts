import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../../electron/core/intake';

const tmp = mkdtempSync(join(tmpdir(), 'scandesk-bombs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A PDF whose page tree names one page `kids` times: what a page-count bomb looks like. Written by
 * hand (one page object with a tiny content stream, a /Pages node with the repeated /Kids).
 */
function repeatedPagePdf(path: string, kids: number): void {
  const parts: string[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (s: string) => {
    parts.push(s);
    length += Buffer.byteLength(s, 'latin1');
  };
  push('%PDF-1.7\n');
  offsets[1] = length;
  push('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  offsets[2] = length;
  push(`2 0 obj\n<< /Type /Pages /Count ${kids} /Kids [`);
  // Appended in slices: one string of 60 MB is fine, one array of 10 million strings is not.
  const slice = '3 0 R '.repeat(10_000);
  for (let done = 0; done < kids; done += 10_000) push(done + 10_000 <= kids ? slice : '3 0 R '.repeat(kids - done));
  push('] >>\nendobj\n');
  offsets[3] = length;
  push('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n');
  const content = '0 0 m 100 100 l S';
  offsets[4] = length;
  push(`4 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`);
  const xref = length;
  push('xref\n0 5\n0000000000 65535 f \n');
  for (let n = 1; n <= 4; n++) push(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  writeFileSync(path, parts.join(''), 'latin1');
}

/**
 * The same bomb with its catalog and page tree inside a compressed object stream (PDF 1.5, as
 * most writers save today), found through a cross-reference stream: no `/Count` is visible in
 * the file's bytes, and the repeated /Kids deflate to almost nothing.
 */
function compressedTreePdf(path: string, kids: number): void {
  const chunks: Buffer[] = [];
  let length = 0;
  const offsets: number[] = [];
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    chunks.push(buf);
    length += buf.length;
  };
  push('%PDF-1.7\n');
  const content = '0 0 m 100 100 l S';
  offsets[3] = length;
  push('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n');
  offsets[4] = length;
  push(`4 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`);
  // Object stream 5 holds objects 1 (catalog) and 2 (page tree).
  const catalog = '<< /Type /Catalog /Pages 2 0 R >> ';
  const slice = '3 0 R '.repeat(10_000);
  const kidsText = slice.repeat(Math.floor(kids / 10_000)) + '3 0 R '.repeat(kids % 10_000);
  const tree = `<< /Type /Pages /Count ${kids} /Kids [${kidsText}] >>`;
  const header = `1 0 2 ${catalog.length} `;
  const body = deflateSync(Buffer.from(header + catalog + tree, 'latin1'));
  offsets[5] = length;
  push(`5 0 obj\n<< /Type /ObjStm /N 2 /First ${header.length} /Filter /FlateDecode /Length ${body.length} >>\nstream\n`);
  push(body);
  push('\nendstream\nendobj\n');
  // Cross-reference stream 6: W [1 4 2]; type 2 entries point into the object stream.
  offsets[6] = length;
  const row = (type: number, a: number, b: number) => {
    const r = Buffer.alloc(7);
    r.writeUInt8(type, 0);
    r.writeUInt32BE(a, 1);
    r.writeUInt16BE(b, 5);
    return r;
  };
  const xref = Buffer.concat([row(0, 0, 65535), row(2, 5, 0), row(2, 5, 1), row(1, offsets[3]!, 0), row(1, offsets[4]!, 0), row(1, offsets[5]!, 0), row(1, offsets[6]!, 0)]);
  push(`6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length ${xref.length} >>\nstream\n`);
  push(xref);
  push(`\nendstream\nendobj\nstartxref\n${offsets[6]}\n%%EOF\n`);
  writeFileSync(path, Buffer.concat(chunks, length));
}

describe('page-count bombs (issue 12, item 4): one crafted file fails alone, with its reason', () => {
  it('a page tree hidden in a compressed object stream: 200,000 pages in a few KB fail alone, a real one is read', async () => {
    const bomb = join(tmp, 'bomb-objstm.pdf');
    compressedTreePdf(bomb, 200_000);
    expect(statSync(bomb).size).toBeLessThan(64 * 1024);
    const good = join(tmp, 'good-objstm.pdf');
    compressedTreePdf(good, 3);
    const r = await expandPaths([bomb, good]);
    const bombItems = r.items.filter((i) => i.path === bomb);
    expect(bombItems).toHaveLength(1);
    expect(bombItems[0]!.error?.code).toBe('IMAGE_TOO_LARGE');
    expect(bombItems[0]!.error?.message).toMatch(/200,000 pages/);
    expect(r.items.filter((i) => i.path === good).map((i) => [i.page, i.pageCount, i.error])).toEqual([
      [1, 3, null],
      [2, 3, null],
      [3, 3, null],
    ]);
  }, 60_000);

  it('10 million pages deflated into a small object stream fail alone (a decompression bomb of the page tree)', async () => {
    const bomb = join(tmp, 'bomb-objstm-10m.pdf');
    compressedTreePdf(bomb, 10_000_000);
    expect(statSync(bomb).size).toBeLessThan(1024 * 1024);
    const heapBefore = process.memoryUsage().heapUsed;
    const r = await expandPaths([bomb]);
    expect(r.items).toHaveLength(1);
    expect(r.items[0]!.error?.code).toBe('IMAGE_TOO_LARGE');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);

  it('a 1 MB PDF claiming 200,000 pages becomes one item failed with IMAGE_TOO_LARGE, the other files go on', async () => {
    const bomb = join(tmp, 'bomb-200k.pdf');
    repeatedPagePdf(bomb, 200_000);
    expect(statSync(bomb).size).toBeLessThan(1.5 * 1024 * 1024);
    const good = join(tmp, 'good.pdf');
    repeatedPagePdf(good, 3); // a real (if repetitive) three-page document
    const r = await expandPaths([bomb, good]);
    const bombItems = r.items.filter((i) => i.path === bomb);
    expect(bombItems).toHaveLength(1);
    expect(bombItems[0]!.error?.code).toBe('IMAGE_TOO_LARGE');
    expect(bombItems[0]!.error?.message).toMatch(/200,000 pages.*at most 5,000 pages/);
    expect(r.items.filter((i) => i.path === good).map((i) => [i.page, i.pageCount, i.error])).toEqual([
      [1, 3, null],
      [2, 3, null],
      [3, 3, null],
    ]);
  }, 60_000);

  it('the cap is configurable per intake', async () => {
    const doc = join(tmp, 'twelve.pdf');
    repeatedPagePdf(doc, 12);
    expect((await expandPaths([doc], { maxPagesPerFile: 12 })).items).toHaveLength(12);
    const refused = (await expandPaths([doc], { maxPagesPerFile: 11 })).items;
    expect(refused.map((i) => i.error?.code)).toEqual(['IMAGE_TOO_LARGE']);
  }, 60_000);

  it('a multi-page TIFF past the cap is refused the same way', async () => {
    const tiff = join(tmp, 'many.tiff');
    const pages = 40;
    await sharp(Buffer.alloc(8 * 8 * pages, 255), { raw: { width: 8, height: 8 * pages, channels: 1, pageHeight: 8 } })
      .tiff()
      .toFile(tiff);
    expect((await expandPaths([tiff])).items).toHaveLength(pages);
    const refused = (await expandPaths([tiff], { maxPagesPerFile: pages - 1 })).items;
    expect(refused).toHaveLength(1);
    expect(refused[0]!.error).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(refused[0]!.error!.message).toMatch(/TIFF declares 40 pages/);
  }, 60_000);

  it('a 60 MB PDF naming one page 10 million times fails alone, fast; this thread never parses it', async () => {
    const huge = join(tmp, 'bomb-60mb.pdf');
    repeatedPagePdf(huge, 10_000_000);
    expect(statSync(huge).size).toBeGreaterThan(55 * 1024 * 1024);
    const heapBefore = process.memoryUsage().heapUsed;
    const r = await expandPaths([huge]);
    expect(r.items).toHaveLength(1);
    expect(r.items[0]!.error?.code).toBe('IMAGE_TOO_LARGE');
    // Whatever parsing the tree cost happened in the worker: this heap did not grow by it.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);
});
