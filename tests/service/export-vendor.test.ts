import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY, cardImage, engineFor, tempDir } from '../vendors/tencent/support';

/**
 * What the Tencent engine stores beside a value, from the real engine (against the emulator)
 * through the real store to the files a user gets: product data of an EAN-13 and the fields of
 * an ID card, whose number is masked unless the export asks for it in full.
 */
const CARD_QR = `${SAMPLES}/zxing/qrcode-3/01.png`;
const ID_NUMBER = '440524198701010014';
const EAN = '8413000065504';

describe('exportBatch with Tencent results', () => {
  let emu: TencentEmulator;
  const tmp = tempDir();
  let svc: ScanService;
  let cards: number;
  let codes: number;

  beforeAll(async () => {
    emu = await startTencentEmulator({
      accounts: { [SECRET_ID]: SECRET_KEY },
      rateLimits: { QrcodeOCR: 100, QueryBarCode: 100, IDCardOCR: 100 },
      cards: [
        {
          marker: readFileSync(CARD_QR.replace(/\.png$/, '.txt'), 'utf8'),
          side: 'FRONT',
          fields: { Name: '李明', Sex: '男', Nation: '汉', Birth: '1987/1/1', Address: '北京市石景山区高新技术园腾讯大楼', IdNum: ID_NUMBER },
        },
      ],
      queryBarCode: { mode: 'online', products: { [EAN]: { ProductName: '橄榄油', EnName: 'Olive oil', BrandName: 'Carbonell' } } },
    });
    const cardDir = join(tmp.dir, 'cards');
    const shelfDir = join(tmp.dir, 'shelf');
    mkdirSync(cardDir);
    mkdirSync(shelfDir);
    await cardImage(cardDir, 'front', CARD_QR);
    copyFileSync(`${SAMPLES}/zxing/ean13-1/1.png`, join(shelfDir, 'ean.png'));

    svc = await openScanService({ dbPath: join(tmp.dir, 'vendor-export.sqlite'), engines: [engineFor(emu)] });
    const rates = { rateLimits: { QrcodeOCR: 100, QueryBarCode: 100, IDCardOCR: 100 } };
    cards = (await svc.createBatch({ paths: [cardDir], plan: { engine: 'tencent', task: 'idcard', options: rates } })).batch.id;
    codes = (await svc.createBatch({ paths: [shelfDir], plan: { engine: 'tencent', task: 'codes', options: { ...rates, enrichWithProductData: true } } }))
      .batch.id;
    expect(await svc.whenSettled(cards)).toMatchObject({ status: 'done', counts: { done: 1, codes: 6 } });
    expect(await svc.whenSettled(codes)).toMatchObject({ status: 'done', counts: { done: 1, codes: 1 } });
  });
  afterAll(async () => {
    await svc?.close();
    await emu.close();
    tmp.cleanup();
  });

  it('shows the product looked up for an EAN-13 (XLSX and CSV column, JSON extra)', async () => {
    const csvPath = join(tmp.dir, 'codes.csv');
    await svc.exportBatch({ batchId: codes, format: 'csv', path: csvPath });
    const rows = parse(readFileSync(csvPath), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ symbology: 'EAN-13', value: EAN, product: '橄榄油 (Carbonell)' })]);

    const xlsxPath = join(tmp.dir, 'codes.xlsx');
    await svc.exportBatch({ batchId: codes, format: 'xlsx', path: xlsxPath });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const ws = wb.getWorksheet('Detections')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(ws.getRow(2).getCell(header.indexOf('Product') + 1).value).toBe('橄榄油 (Carbonell)');

    const jsonPath = join(tmp.dir, 'codes.json');
    await svc.exportBatch({ batchId: codes, format: 'json', path: jsonPath });
    const d = JSON.parse(readFileSync(jsonPath, 'utf8')).items[0].detections[0];
    expect(d.extra).toMatchObject({ product: { ProductName: '橄榄油', EnName: 'Olive oil', BrandName: 'Carbonell' }, productRecords: 1 });
  });

  it('masks the ID-card number by default in every format; revealPersonalData writes it in full', async () => {
    for (const format of ['csv', 'xlsx', 'json'] as const) {
      const masked = join(tmp.dir, `card-masked.${format}`);
      await svc.exportBatch({ batchId: cards, format, path: masked });
      if (format !== 'xlsx') expect(readFileSync(masked, 'utf8')).not.toContain(ID_NUMBER);
      const full = join(tmp.dir, `card-full.${format}`);
      await svc.exportBatch({ batchId: cards, format, path: full, revealPersonalData: true });
      if (format !== 'xlsx') expect(readFileSync(full, 'utf8')).toContain(ID_NUMBER);
    }
    const csv = (p: string) => parse(readFileSync(join(tmp.dir, p)), { bom: true, columns: true }) as Record<string, string>[];
    expect(csv('card-masked.csv').find((r) => r.field === 'IdNum')!.value).toBe('440***********0014');
    expect(csv('card-masked.csv').find((r) => r.field === 'Name')!.value).toBe('李明');
    expect(csv('card-full.csv').find((r) => r.field === 'IdNum')!.value).toBe(ID_NUMBER);

    const idCell = async (p: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(tmp.dir, p));
      const ws = wb.getWorksheet('Detections')!;
      const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      let value: unknown;
      ws.eachRow((row, n) => {
        if (n > 1 && row.getCell(header.indexOf('Field') + 1).value === 'IdNum') value = row.getCell(header.indexOf('Value') + 1).value;
      });
      return value;
    };
    expect(await idCell('card-masked.xlsx')).toBe('440***********0014');
    expect(await idCell('card-full.xlsx')).toBe(ID_NUMBER);
  });

  it('names each ID-card field in English and Chinese in the JSON export (the key stays)', async () => {
    const path = join(tmp.dir, 'card-labels.json');
    await svc.exportBatch({ batchId: cards, format: 'json', path });
    const fields = JSON.parse(readFileSync(path, 'utf8')).items[0].detections.map((d: { field: string; fieldLabel: unknown }) => [d.field, d.fieldLabel]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['Name', { en: 'Name', zh: '姓名' }],
        ['IdNum', { en: 'ID number', zh: '公民身份号码' }],
        ['Address', { en: 'Address', zh: '住址' }],
      ]),
    );
  });
});
