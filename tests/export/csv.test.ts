import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExport } from '../../electron/core/export';
import { CSV_COLUMNS } from '../../electron/core/export/csv';
import { GS, onceSource, sampleItems } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readCsv(path: string): { bom: boolean; rows: Record<string, string>[] } {
  const buf = readFileSync(path);
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  // Strict: every row has exactly the header's columns, quotes must be well-formed.
  const rows = parse(buf, { bom: true, columns: true, relax_column_count: false, relax_quotes: false }) as Record<string, string>[];
  return { bom, rows };
}

describe('CSV export', () => {
  it('is UTF-8 with a BOM, one row per detection plus one per page without any', async () => {
    const { path, pages, codes } = await writeExport('csv', join(dir, 'out.csv'), onceSource(sampleItems('/s')));
    const { bom, rows } = readCsv(path);
    expect(bom).toBe(true);
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    // 10 detections + blank page + 2 failed pages
    expect(rows).toHaveLength(13);
    // What the export says it wrote is counted as in every format: pages listed, codes exported.
    expect([pages, codes]).toEqual([5, 10]);
    expect(rows[0]).toMatchObject({
      batch: '三月发票 batch',
      file: '/s/发票/扫描 001.jpg',
      page: '1',
      page_status: 'done',
      symbology: 'QRCode',
      value: '中文二维码内容：你好世界',
      position: 'quad',
      x1: '10.3',
      y4: '120',
      engine: 'local',
      review: 'accepted',
    });
    expect(rows[1]).toMatchObject({ value: '0012345678905', position: 'no position from this engine', x1: '' });
    const blank = rows.find((r) => r.file === '/s/blank.png')!;
    expect(blank).toMatchObject({ page_status: 'done', symbology: '', value: '', error_code: '' });
    const broken = rows.find((r) => r.file === '/s/broken.jpg')!;
    expect(broken).toMatchObject({
      page_status: 'failed',
      error_code: 'IMAGE_DECODE',
      error_message: 'The image is corrupt or truncated: broken.jpg',
    });
  });

  it("prefixes formula-like values with ' and keeps everything else exact", async () => {
    const { path } = await writeExport('csv', join(dir, 'inj.csv'), onceSource(sampleItems('/s')));
    const { rows } = readCsv(path);
    const page2 = rows.filter((r) => r.file === '/s/invoice.tif');
    expect(page2.map((r) => r.value)).toEqual([
      `'=HYPERLINK("http://evil.example","x")`,
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      '000777',
      `]d2010123456789012${GS}10ABC`,
      '12',
    ]);
    expect(page2[4]).toMatchObject({ decoded_value: 'wrong value', corrected: 'yes' });
    // No cell anywhere starts with a formula character.
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('acceptedOnly keeps accepted detections and lists pages left without any', async () => {
    const { path } = await writeExport('csv', join(dir, 'acc.csv'), onceSource(sampleItems('/s')), { acceptedOnly: true });
    const { rows } = readCsv(path);
    expect(rows.map((r) => [r.file, r.value])).toEqual([
      ['/s/发票/扫描 001.jpg', '中文二维码内容：你好世界'],
      ['/s/发票/扫描 001.jpg', '0012345678905'],
      ['/s/invoice.tif', `'=HYPERLINK("http://evil.example","x")`],
      ['/s/invoice.tif', '000777'],
      ['/s/blank.png', ''],
      ['/s/broken.jpg', ''],
      ['/s/empty.jpg', ''],
    ]);
  });

  it('quotes commas, quotes and newlines so the file parses back exactly', async () => {
    const items = [
      {
        path: '/s/a,"b".png',
        page: 1,
        status: 'done' as const,
        error: null,
        detections: [
          {
            kind: 'code' as const,
            symbology: 'PDF417',
            text: 'line1\nline2, "quoted"',
            geometry: { kind: 'none' as const, points: [] },
            engine: 'local' as const,
            review: 'pending' as const,
            correctedText: null,
          },
        ],
      },
    ];
    const { path } = await writeExport('csv', join(dir, 'quote.csv'), onceSource(items));
    const { rows } = readCsv(path);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ file: '/s/a,"b".png', value: 'line1\nline2, "quoted"' });
  });
});
