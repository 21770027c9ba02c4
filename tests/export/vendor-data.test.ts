import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExport, type ExportFormat, type ExportItem } from '../../electron/core/export';
import { idCardResponseToDetections } from '../../electron/core/vendors/tencent/idcard';
import { productRecords } from '../../electron/core/vendors/tencent/product-data';
import { detection, onceSource } from './fixtures';

/**
 * What Tencent leaves on detections, built with the vendor's own parsers from responses shaped
 * like the seeds (000: QueryBarCode, 004: IDCardOCR): product data on an EAN-13 (as
 * TencentEngine.enrich stores it) and the fields of an ID card, its number marked as personal.
 */
const ID_NUMBER = '440305199505132561';
const MASKED = '440***********2561';

const queryBarCode = {
  BarCode: '06941858722888',
  ProductDataRecords: [
    {
      ProductName: '真快洁涂擦式清洁剂',
      EnName: 'N.F Inunction Detergent',
      CategoryCode: '47131830',
      BrandName: 'RQC',
      Type: '125ML',
      ManufacturerName: '深圳市绿韵纳米清洁用品有限公司',
      CheckResult: '1',
    },
  ],
};

function vendorItems(): ExportItem[] {
  const records = productRecords(queryBarCode);
  const card = idCardResponseToDetections({
    Name: '刘洋',
    Sex: '女',
    Nation: '汉',
    Birth: '1995/5/13',
    Address: '广东省深圳市南山区',
    IdNum: ID_NUMBER,
    AdvancedInfo: '{"WarnInfos":[-9102]}',
  });
  return [
    {
      path: '/s/shelf.jpg',
      page: 1,
      status: 'done',
      error: null,
      detections: [
        detection({
          text: '6941858722888',
          symbology: 'EAN-13',
          engine: 'tencent',
          extra: { vendorType: 'EAN13', product: records[0] ?? null, productRecords: records.length },
        }),
        detection({ text: '4006381333931', symbology: 'EAN-13', engine: 'tencent', extra: { productError: 'VENDOR_TIMEOUT' } }),
      ],
    },
    {
      path: '/s/card.jpg',
      page: 1,
      status: 'done',
      error: null,
      detections: card.map((d) => ({
        ...d,
        review: 'accepted' as const,
        // A reviewer's correction of the number is the same personal data.
        correctedText: d.field === 'IdNum' ? '440305199505132562' : null,
      })),
    },
  ];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-vendor-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportTo(format: ExportFormat, name: string, reveal?: boolean): Promise<string> {
  const options = reveal === undefined ? undefined : { revealPersonalData: reveal };
  const { path } = await writeExport(format, join(dir, name), onceSource(vendorItems()), options);
  return path;
}

function csvRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
}

async function xlsxRows(path: string): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('Detections')!;
  const keys = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) out.push(Object.fromEntries(keys.map((k, i) => [k, row.getCell(i + 1).value])));
  });
  return out;
}

function summaryOf(wb: ExcelJS.Workbook): Map<string, unknown> {
  const m = new Map<string, unknown>();
  wb.getWorksheet('Summary')!.eachRow((row, n) => {
    if (n > 1) m.set(String(row.getCell(1).value), row.getCell(2).value);
  });
  return m;
}

/** The number in full, in any form a file could hold it (plain or inside a longer string). */
function leaksNumber(bytes: Buffer | string): boolean {
  const s = bytes.toString();
  return s.includes(ID_NUMBER) || s.includes('440305199505132562');
}

describe('exports: Tencent product data', () => {
  it('XLSX has a Product column with name (brand); empty where there is none', async () => {
    const rows = await xlsxRows(await exportTo('xlsx', 'product.xlsx'));
    expect(rows[0]).toMatchObject({ Value: '6941858722888', Product: '真快洁涂擦式清洁剂 (RQC)' });
    expect(rows[1]!.Product).toBeNull();
    expect(rows.filter((r) => r.Symbology === 'IDCard').every((r) => r.Product === null)).toBe(true);
  });

  it('CSV has the same product column', async () => {
    const rows = csvRows(await exportTo('csv', 'product.csv'));
    expect(Object.keys(rows[0]!)).toContain('product');
    expect(rows[0]).toMatchObject({ value: '6941858722888', product: '真快洁涂擦式清洁剂 (RQC)' });
    expect(rows[1]!.product).toBe('');
  });

  it('JSON carries the whole extra object (product record, lookup error, card warnings)', async () => {
    const doc = JSON.parse(readFileSync(await exportTo('json', 'product.json'), 'utf8'));
    const [shelf, card] = doc.items;
    expect(shelf.detections[0].extra).toEqual({
      vendorType: 'EAN13',
      product: queryBarCode.ProductDataRecords[0],
      productRecords: 1,
    });
    expect(shelf.detections[1].extra).toEqual({ productError: 'VENDOR_TIMEOUT' });
    const name = card.detections.find((d: { field: string }) => d.field === 'Name');
    expect(name.extra.card.warnings[0]).toMatchObject({ code: -9102 });
  });
});

describe('exports: ID-card numbers are personal data', () => {
  it('XLSX masks them by default (value, decoded and corrected) and says so in the summary', async () => {
    const path = await exportTo('xlsx', 'masked.xlsx');
    const rows = await xlsxRows(path);
    const id = rows.find((r) => r.Field === 'IdNum')!;
    expect(id).toMatchObject({ Value: '440***********2562', 'Decoded value': MASKED, Corrected: 'yes' });
    // Other card fields are not masked.
    expect(rows.find((r) => r.Field === 'Name')!.Value).toBe('刘洋');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(summaryOf(wb).get('ID numbers')).toBe('masked');
    // Not in any sheet, in any form: unzip-free check on the cells of every sheet.
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => expect(leaksNumber(String(c.value))).toBe(false)));
  });

  it('CSV and JSON mask them by default; nothing in the file holds the full number', async () => {
    const csvPath = await exportTo('csv', 'masked.csv');
    expect(leaksNumber(readFileSync(csvPath))).toBe(false);
    const id = csvRows(csvPath).find((r) => r.field === 'IdNum')!;
    expect(id).toMatchObject({ value: '440***********2562', decoded_value: MASKED, corrected: 'yes' });

    const jsonPath = await exportTo('json', 'masked.json');
    expect(leaksNumber(readFileSync(jsonPath))).toBe(false);
    const card = JSON.parse(readFileSync(jsonPath, 'utf8')).items[1];
    const num = card.detections.find((d: { field: string }) => d.field === 'IdNum');
    expect(num).toMatchObject({ text: MASKED, value: '440***********2562', correctedText: '440***********2562', masked: true });
    expect(card.detections.find((d: { field: string }) => d.field === 'Name').masked).toBeUndefined();
  });

  it('revealPersonalData: false is the same as not asking', async () => {
    expect(leaksNumber(readFileSync(await exportTo('csv', 'false.csv', false)))).toBe(false);
  });

  it('revealPersonalData: true writes them in full in every format', async () => {
    const id = csvRows(await exportTo('csv', 'full.csv', true)).find((r) => r.field === 'IdNum')!;
    expect(id).toMatchObject({ value: '440305199505132562', decoded_value: ID_NUMBER });

    const xlsxPath = await exportTo('xlsx', 'full.xlsx', true);
    const row = (await xlsxRows(xlsxPath)).find((r) => r.Field === 'IdNum')!;
    expect(row).toMatchObject({ Value: '440305199505132562', 'Decoded value': ID_NUMBER });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    expect(summaryOf(wb).get('ID numbers')).toBe('shown in full');

    const doc = JSON.parse(readFileSync(await exportTo('json', 'full.json', true), 'utf8'));
    const num = doc.items[1].detections.find((d: { field: string }) => d.field === 'IdNum');
    expect(num).toMatchObject({ text: ID_NUMBER, correctedText: '440305199505132562', value: '440305199505132562' });
    expect(num.masked).toBeUndefined();
  });

  it('masks an IdNum field stored without the personalData mark (older rows)', async () => {
    const items: ExportItem[] = [
      {
        path: '/s/old.jpg',
        page: 1,
        status: 'done',
        error: null,
        detections: [detection({ kind: 'field', symbology: 'IDCard', field: 'IdNum', text: ID_NUMBER, engine: 'tencent' })],
      },
    ];
    const { path } = await writeExport('csv', join(dir, 'old.csv'), onceSource(items));
    expect(csvRows(path)[0]!.value).toBe(MASKED);
  });
});
