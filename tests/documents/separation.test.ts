import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { tempDir } from '../queue/support/tmp';
import { imageStreams, pageCount, pdfOfImages, sample } from './support';

/**
 * A scanned stack of documents, as one generated PDF of real sample images: each document
 * starts with a page carrying an EAN-13 (the "separator", here the first sheet of each
 * document), the real local decoder finds the codes, and the batch is split, exported and
 * written as one PDF per document.
 */
const tmp = tempDir('documents');
const LEAD = sample('qrcode-3/02.png'); // a page before the first separator
const SEP_A = sample('ean13-1/1.png'); // 8413000065504
const SEP_B = sample('ean13-1/2.png'); // 8480010092271
const PAGES = [
  LEAD,
  SEP_A,
  sample('qrcode-2/1.png'),
  sample('qrcode-3/01.png'),
  SEP_B,
  sample('datamatrix-1/0123456789.png'),
  SEP_A, // the same separator code again: its document's PDF is numbered "(2)"
  sample('code128-1/1.png'),
];
const EAN = '^\\d{13}$';
let svc: ScanService;
let batchId: number;
let stack: string;

beforeAll(async () => {
  stack = join(tmp.dir, 'stack.pdf');
  await pdfOfImages(
    PAGES.map((p) => p.path),
    stack,
  );
  svc = await openScanService({ dbPath: join(tmp.dir, 'p.sqlite'), engines: [realEngine()], intake: realIntake });
  const { batch } = await svc.createBatch({ paths: [stack], plan: { engine: 'local', task: 'codes' } });
  batchId = batch.id;
  const done = await svc.whenSettled(batchId);
  expect(done.counts.done).toBe(PAGES.length);
  // The decoder read every page's labelled code: the rest of the file builds on that.
  const { items } = await svc.listItems(batchId, { limit: 100 });
  for (const [i, it] of items.entries()) {
    const values = (await svc.getItem(it.id)).detections.map((d) => d.text);
    expect(values, `page ${i + 1}`).toContain(PAGES[i]!.text);
  }
}, 180_000);

afterAll(async () => {
  await svc?.close();
  await closeRealEngines();
  tmp.cleanup();
});

describe('document separation on a scanned stack', { timeout: 120_000 }, () => {
  it('refuses a pattern that is not a regular expression, with the reason', async () => {
    await expect(svc.documents.setRule(batchId, { kind: 'code', pattern: '([0-9]', dropSeparators: false })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/separator pattern is not a valid regular expression/),
    });
    await expect(svc.documents.setRule(batchId, { kind: 'every', pages: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(svc.documents.setRule(batchId, { kind: 'code', pattern: 'x', dropSeparators: false, template: '{nope}.pdf' })).rejects.toMatchObject({
      message: expect.stringMatching(/\{nope\}/),
    });
    expect(await svc.documents.getRule(batchId)).toBeNull();
    expect((await svc.documents.list(batchId)).documents).toEqual([]);
  });

  it('starts a document at each page whose code matches, keeping the separator pages', async () => {
    await svc.documents.setRule(batchId, { kind: 'code', pattern: EAN, dropSeparators: false });
    const { documents } = await svc.documents.list(batchId);
    expect(documents.map((d) => d.pages.map((p) => p.page))).toEqual([[1], [2, 3, 4], [5, 6], [7, 8]]);
    expect(documents.map((d) => d.key)).toEqual([null, SEP_A.text, SEP_B.text, SEP_A.text]);
    expect(documents.map((d) => d.fileName)).toEqual(['document-1.pdf', `${SEP_A.text}.pdf`, `${SEP_B.text}.pdf`, `${SEP_A.text} (2).pdf`]);
    expect(documents.every((d) => d.separator === null && d.pending === 0)).toBe(true);
    expect(documents[2]!.codes).toEqual(expect.arrayContaining([SEP_B.text, '0123456789']));
  });

  it('drops separator sheets from the documents, and names documents by a key pattern and a template', async () => {
    await svc.documents.setRule(batchId, { kind: 'code', pattern: EAN, dropSeparators: true, keyPattern: '^\\d{6,10}$', template: 'doc-{n}-{code}' });
    const { documents } = await svc.documents.list(batchId);
    expect(documents.map((d) => d.pages.map((p) => p.page))).toEqual([[1], [3, 4], [6], [8]]);
    expect(documents.map((d) => d.separator?.page ?? null)).toEqual([null, 2, 5, 7]);
    // The key is the first code matching the key pattern (here on a document page, not the separator).
    expect(documents.map((d) => d.key)).toEqual([null, null, '0123456789', '168901']);
    expect(documents.map((d) => d.fileName)).toEqual(['doc-1-.pdf', 'doc-2-.pdf', 'doc-3-0123456789.pdf', 'doc-4-168901.pdf']);
  });

  it('splits every N pages', async () => {
    await svc.documents.setRule(batchId, { kind: 'every', pages: 3 });
    const { documents } = await svc.documents.list(batchId);
    expect(documents.map((d) => d.pages.map((p) => p.page))).toEqual([[1, 2, 3], [4, 5, 6], [7, 8]]);
    // Without a key pattern, a document is named by its first code.
    expect(documents[0]!.key).toBe(LEAD.text);
  });

  it('moves a boundary at once when a reviewer rejects a separator code', async () => {
    await svc.documents.setRule(batchId, { kind: 'code', pattern: EAN, dropSeparators: true });
    const { items } = await svc.listItems(batchId, { limit: 100 });
    const sepB = (await svc.getItem(items[4]!.id)).detections.find((d) => d.text === SEP_B.text)!;
    await svc.reviewDetection(sepB.id, { review: 'rejected' });
    const { documents } = await svc.documents.list(batchId);
    // Page 5 is no separator any more: it and page 6 join document 2.
    expect(documents.map((d) => d.pages.map((p) => p.page))).toEqual([[1], [3, 4, 5, 6], [8]]);
    await svc.reviewDetection(sepB.id, { review: 'pending' });
    expect((await svc.documents.list(batchId)).documents).toHaveLength(4);
  });

  it('writes one PDF per document with the original pages, copied as they are', async () => {
    await svc.documents.setRule(batchId, { kind: 'code', pattern: EAN, dropSeparators: true });
    const out = join(tmp.dir, 'docs');
    await expect(svc.documents.writePdfs(batchId, out)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/does not exist/) });
    mkdirSync(out);
    const written = await svc.documents.writePdfs(batchId, out);
    expect(written.map((w) => [w.fileName, w.pages, w.error])).toEqual([
      ['document-1.pdf', 1, null],
      [`${SEP_A.text}.pdf`, 2, null],
      [`${SEP_B.text}.pdf`, 1, null],
      [`${SEP_A.text} (2).pdf`, 1, null],
    ]);
    expect(readdirSync(out).sort()).toEqual(written.map((w) => w.fileName).sort());
    // Each source page's image stream is in its document byte for byte: copied, not re-encoded.
    const source = await imageStreams(stack);
    expect(source).toHaveLength(PAGES.length);
    const expectedPages = [[0], [2, 3], [5], [7]];
    for (const [i, w] of written.entries()) {
      expect(await pageCount(w.path!)).toBe(w.pages);
      const bytes = readFileSync(w.path!);
      for (const k of expectedPages[i]!) expect(bytes.indexOf(source[k]!), `${w.fileName} holds page ${k + 1}`).toBeGreaterThan(0);
      const others = source.filter((_, k) => !expectedPages[i]!.includes(k));
      for (const o of others) expect(bytes.indexOf(o)).toBe(-1);
    }
  });

  it('into a folder the renderer named, never over a file already there (the handler asks for keep)', async () => {
    await svc.documents.setRule(batchId, { kind: 'code', pattern: EAN, dropSeparators: true });
    const out = join(tmp.dir, 'named');
    mkdirSync(out);
    writeFileSync(join(out, 'document-1.pdf'), 'the user\'s own file');
    const written = await svc.documents.writePdfs(batchId, out, { existing: 'keep' });
    expect(written.map((w) => w.fileName)).toEqual(['document-1 (2).pdf', `${SEP_A.text}.pdf`, `${SEP_B.text}.pdf`, `${SEP_A.text} (2).pdf`]);
    expect(written.every((w) => w.path === join(out, w.fileName) && w.error === null)).toBe(true);
    expect(readFileSync(join(out, 'document-1.pdf'), 'utf8')).toBe('the user\'s own file');
    // Once more: a second set beside the first, nothing replaced, no temporary file left.
    const again = await svc.documents.writePdfs(batchId, out, { existing: 'keep' });
    expect(again.map((w) => w.fileName)).toEqual(['document-1 (3).pdf', `${SEP_A.text} (3).pdf`, `${SEP_B.text} (2).pdf`, `${SEP_A.text} (4).pdf`]);
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(readdirSync(out)).toHaveLength(9);
  });

  it('exports the documents: a Documents sheet and a Document column, a document column in CSV, documents in JSON', async () => {
    await svc.documents.setRule(batchId, { kind: 'code', pattern: EAN, dropSeparators: true });
    const xlsx = join(tmp.dir, 'stack.xlsx');
    await svc.exportBatch({ batchId, format: 'xlsx', path: xlsx });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Detections', 'Pages', 'Documents', 'Summary']);
    const docs = wb.getWorksheet('Documents')!;
    const header = (docs.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Document', 'File name', 'Key code', 'Pages', 'Page list', 'Separator page', 'Codes', 'Pending', 'Failed']);
    const rows: unknown[][] = [];
    docs.eachRow((r, n) => n > 1 && rows.push((r.values as unknown[]).slice(1, 7)));
    expect(rows).toEqual([
      [1, 'document-1.pdf', null, 1, 'stack.pdf p. 1', null],
      [2, `${SEP_A.text}.pdf`, SEP_A.text, 2, 'stack.pdf p. 3-4', 'stack.pdf p. 2'],
      [3, `${SEP_B.text}.pdf`, SEP_B.text, 1, 'stack.pdf p. 6', 'stack.pdf p. 5'],
      [4, `${SEP_A.text} (2).pdf`, SEP_A.text, 1, 'stack.pdf p. 8', 'stack.pdf p. 7'],
    ].map((r) => r.map((v) => (v === null ? undefined : v))));
    const pages = wb.getWorksheet('Pages')!;
    // Found by its header: other features add columns to the Pages sheet.
    const docCell = (pages.getRow(1).values as unknown[]).indexOf('Document');
    expect(docCell).toBeGreaterThan(0);
    const docColumn: unknown[] = [];
    pages.eachRow((r, n) => n > 1 && docColumn.push(r.getCell(docCell).value));
    expect(docColumn).toEqual([1, 2, 2, 2, 3, 3, 4, 4]);
    const summary: Record<string, unknown> = {};
    wb.getWorksheet('Summary')!.eachRow((r) => (summary[String(r.getCell(1).value)] = r.getCell(2).value));
    expect(summary.Documents).toBe(4);

    const csv = join(tmp.dir, 'stack.csv');
    await svc.exportBatch({ batchId, format: 'csv', path: csv });
    const lines = parse(readFileSync(csv), { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
    const byPage = new Map(lines.map((l) => [l.page, l.document]));
    expect([...byPage.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map((e) => e[1])).toEqual(['1', '2', '2', '2', '3', '3', '4', '4']);

    const json = join(tmp.dir, 'stack.json');
    await svc.exportBatch({ batchId, format: 'json', path: json });
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      items: { page: number; document: number }[];
      documents: { document: number; key: string | null; pages: { page: number }[]; separator: { page: number } | null }[];
    };
    expect(doc.items.map((i) => i.document)).toEqual([1, 2, 2, 2, 3, 3, 4, 4]);
    expect(doc.documents.map((d) => [d.document, d.key, d.pages.map((p) => p.page), d.separator?.page ?? null])).toEqual([
      [1, null, [1], null],
      [2, SEP_A.text, [3, 4], 2],
      [3, SEP_B.text, [6], 5],
      [4, SEP_A.text, [8], 7],
    ]);
  });

  it('does not write a document whose page changed on disk since the scan, and writes the others', async () => {
    const copyDir = join(tmp.dir, 'changed');
    mkdirSync(copyDir);
    const img = join(copyDir, 'a.png');
    const img2 = join(copyDir, 'b.png');
    writeFileSync(img, readFileSync(SEP_A.path));
    writeFileSync(img2, readFileSync(SEP_B.path));
    const { batch } = await svc.createBatch({ paths: [img, img2], plan: { engine: 'local', task: 'codes' } });
    await svc.whenSettled(batch.id);
    await svc.documents.setRule(batch.id, { kind: 'every', pages: 1 });
    writeFileSync(img, readFileSync(LEAD.path)); // replaced after the scan
    const out = join(tmp.dir, 'changed-docs');
    mkdirSync(out);
    const written = await svc.documents.writePdfs(batch.id, out);
    expect(written[0]!.path).toBeNull();
    expect(written[0]!.error).toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringMatching(/a\.png: the file changed since the batch read it/) });
    expect(written[1]!.error).toBeNull();
    expect(readdirSync(out)).toEqual([`${SEP_B.text}.pdf`]);
  });
});
