import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExport } from '../../electron/core/export';
import { GS, onceSource, sampleItems } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-xlsx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function header(ws: ExcelJS.Worksheet): string[] {
  return (ws.getRow(1).values as unknown[]).slice(1).map(String);
}

/** Rows of a sheet as objects keyed by the header. */
function records(ws: ExcelJS.Worksheet): Record<string, ExcelJS.Cell>[] {
  const keys = header(ws);
  const out: Record<string, ExcelJS.Cell>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const rec: Record<string, ExcelJS.Cell> = {};
    keys.forEach((k, i) => (rec[k] = row.getCell(i + 1)));
    out.push(rec);
  });
  return out;
}

describe('XLSX export', () => {
  let wb: ExcelJS.Workbook;
  let result: { path: string; pages: number; codes: number };
  const root = '/data/scans';

  beforeAll(async () => {
    result = await writeExport('xlsx', join(dir, 'out.xlsx'), onceSource(sampleItems(root)));
    wb = await read(result.path);
  });

  it('has Detections, Pages and Summary sheets, headers frozen and filtered', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Detections', 'Pages', 'Summary']);
    for (const name of ['Detections', 'Pages']) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBeTruthy();
      expect(String(ws.autoFilter)).toBe(name === 'Detections' ? 'A1:AA11' : 'A1:I6');
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.getColumn(1).width).toBeGreaterThan(10);
    }
    expect(header(wb.getWorksheet('Detections')!)).toEqual([
      'Batch', 'File', 'Page', 'Kind', 'Symbology', 'Field', 'Value', 'Decoded value', 'Corrected', 'Position',
      'x1', 'y1', 'x2', 'y2', 'x3', 'y3', 'x4', 'y4', 'Engine', 'Review', 'Product', 'ID warnings', 'ID crops',
      'Rule', 'Rule reason', 'Page rule', 'Page rule reason',
    ]);
  });

  it('writes one row per detection, in order, with the batch, file and page', () => {
    const rows = records(wb.getWorksheet('Detections')!);
    expect([result.pages, result.codes]).toEqual([5, 10]);
    expect(rows).toHaveLength(10);
    expect(rows[0]!.Batch!.value).toBe('三月发票 batch');
    expect(rows[0]!.File!.value).toBe('/data/scans/发票/扫描 001.jpg');
    expect(rows[0]!.Value!.value).toBe('中文二维码内容：你好世界');
    expect(rows.map((r) => r.Page!.value)).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
    expect(rows[0]!.x1!.value).toBe(10.3);
    expect(rows[0]!.y2!.value).toBe(20);
    expect(rows[0]!.Position!.value).toBe('quad');
  });

  it('keeps leading zeros as text and says when there is no position', () => {
    const ean = records(wb.getWorksheet('Detections')!)[1]!;
    expect(ean.Value!.type).toBe(ExcelJS.ValueType.String);
    expect(ean.Value!.value).toBe('0012345678905');
    expect(ean.Value!.numFmt).toBe('@');
    expect(ean.Position!.value).toBe('no position from this engine');
    expect(ean.x1!.value).toBeNull();
  });

  it('makes http(s) values hyperlinks', () => {
    const link = records(wb.getWorksheet('Detections')!)[2]!;
    expect(link.Value!.type).toBe(ExcelJS.ValueType.Hyperlink);
    expect(link.Value!.hyperlink).toBe('https://example.com/a?b=1&c=2');
    expect(link.Value!.text).toBe('https://example.com/a?b=1&c=2');
    // Only the value column links, and only http(s).
    const others = records(wb.getWorksheet('Detections')!).filter((_, i) => i !== 2);
    expect(others.every((r) => r.Value!.type !== ExcelJS.ValueType.Hyperlink)).toBe(true);
  });

  it('never turns a formula-like value into a formula', () => {
    const rows = records(wb.getWorksheet('Detections')!).slice(3, 7);
    expect(rows.map((r) => r.Value!.value)).toEqual(['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)']);
    for (const r of rows) {
      expect(r.Value!.type).toBe(ExcelJS.ValueType.String);
      expect(r.Value!.formula).toBeUndefined();
    }
  });

  it('shows the corrected value, keeps the decoded one, and keeps GS separators visible', () => {
    const rows = records(wb.getWorksheet('Detections')!);
    const corrected = rows[7]!;
    expect(corrected.Value!.value).toBe('000777');
    expect(corrected['Decoded value']!.value).toBe('wrong value');
    expect(corrected.Corrected!.value).toBe('yes');
    expect(corrected.Review!.value).toBe('accepted');
    expect(rows[8]!.Value!.value).toBe(`]d2010123456789012\u241d10ABC`);
    expect(String(rows[8]!.Value!.value)).not.toContain(GS);
    expect(rows[9]!.Position!.value).toBe('rect');
    expect([rows[9]!.x3!.value, rows[9]!.y3!.value]).toEqual([5, 9]);
  });

  it('lists every page with its status, codes and error', () => {
    const pages = records(wb.getWorksheet('Pages')!);
    expect(pages.map((p) => [p.File!.value, p.Page!.value, p.Status!.value, p['Codes found']!.value])).toEqual([
      ['/data/scans/发票/扫描 001.jpg', 1, 'done', 3],
      ['/data/scans/invoice.tif', 2, 'done', 7],
      ['/data/scans/blank.png', 1, 'done', 0],
      ['/data/scans/broken.jpg', 1, 'failed', 0],
      ['/data/scans/empty.jpg', 1, 'failed', 0],
    ]);
    expect(pages[3]!['Error code']!.value).toBe('IMAGE_DECODE');
    expect(pages[4]!['Error message']!.value).toBe('The file is empty (0 bytes): empty.jpg');
    expect(pages[0]!['Error code']!.value).toBeNull();
  });

  it('summarizes the batch', () => {
    const summary = new Map<string, unknown>();
    wb.getWorksheet('Summary')!.eachRow((row, n) => {
      if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(summary.get('Batch')).toBe('三月发票 batch');
    expect(summary.get('Engine / task')).toBe('local / codes');
    expect(summary.get('Pages')).toBe(5);
    expect(summary.get('Done')).toBe(3);
    expect(summary.get('Failed')).toBe(2);
    expect(summary.get('Codes found')).toBe(10);
    expect(summary.get('Detection rows')).toBe(10);
    expect(summary.get('Pages with IMAGE_DECODE')).toBe(1);
    expect(summary.get('Pages with FILE_EMPTY')).toBe(1);
    expect(summary.get('Created')).toBe('2026-03-01T08:00:00.000Z');
    expect(Date.parse(String(summary.get('Generated at')))).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  it('leaves no temporary files next to the output', () => {
    expect(readdirSync(dir).filter((f) => f.includes('partial') || f.includes('ndjson'))).toEqual([]);
  });
});

describe('XLSX export options', () => {
  it('acceptedOnly keeps accepted detections and still lists every page', async () => {
    const { path, pages: pageCount, codes } = await writeExport('xlsx', join(dir, 'accepted.xlsx'), onceSource(sampleItems('/d')), { acceptedOnly: true });
    const wb = await read(path);
    const values = records(wb.getWorksheet('Detections')!).map((r) => r.Value!.value);
    expect(values).toEqual(['中文二维码内容：你好世界', '0012345678905', '=HYPERLINK("http://evil.example","x")', '000777']);
    expect([pageCount, codes]).toEqual([5, 4]);
    const pages = records(wb.getWorksheet('Pages')!);
    expect(pages).toHaveLength(5);
    expect(pages.map((p) => p.Exported!.value)).toEqual([2, 2, 0, 0, 0]);
  });

  it('stores line ends as LF (what XML readers make of CR anyway)', async () => {
    const items = sampleItems('/d').slice(0, 1);
    items[0]!.detections = [{ ...items[0]!.detections[0]!, text: 'Google\r\nhttp://google.jp\rend' }];
    const { path } = await writeExport('xlsx', join(dir, 'crlf.xlsx'), onceSource(items));
    const wb = await read(path);
    expect(records(wb.getWorksheet('Detections')!)[0]!.Value!.value).toBe('Google\nhttp://google.jp\nend');
  });

  it('writes an empty batch as headers only', async () => {
    const { path, pages, codes } = await writeExport('xlsx', join(dir, 'empty.xlsx'), onceSource([]));
    const wb = await read(path);
    expect([pages, codes]).toEqual([0, 0]);
    expect(wb.getWorksheet('Detections')!.actualRowCount).toBe(1);
    expect(wb.getWorksheet('Pages')!.actualRowCount).toBe(1);
  });

  it('fails clearly on an unwritable path and keeps the previous export', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeExport('csv', blocker, onceSource([])); // a file where a folder should be
    await expect(writeExport('xlsx', join(blocker, 'x.xlsx'), onceSource(sampleItems('/d')))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('not-a-dir is a file, not a folder'),
    });
  });

  it('does not replace a good file when the source fails midway', async () => {
    const target = join(dir, 'keep.xlsx');
    await writeExport('xlsx', target, onceSource(sampleItems('/d')));
    const failing = {
      batch: onceSource([]).batch,
      *items() {
        yield sampleItems('/d')[0]!;
        throw new Error('database is locked');
      },
    };
    await expect(writeExport('xlsx', target, failing)).rejects.toThrow("database is locked");
    const wb = await read(target);
    expect(records(wb.getWorksheet('Detections')!)).toHaveLength(10);
    expect(readdirSync(dir).filter((f) => f.includes('partial') || f.includes('ndjson'))).toEqual([]);
  });
});
