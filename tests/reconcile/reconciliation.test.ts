import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SAMPLES } from '../fixtures/samples';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { tempDir } from '../queue/support/tmp';

/**
 * A day's parcels checked against the manifest: real photos of EAN-13 and Code 128 labels,
 * one parcel photographed twice, an expected list in an XLSX column. The reconciliation comes
 * from the stored codes and reviews, and reaches every export format.
 */
const tmp = tempDir('reconcile');
const Z = (rel: string) => join(SAMPLES, 'zxing', rel);
const A = '8413000065504'; // ean13-1/1
const B = '8480010092271'; // ean13-1/2
const C = '8480000823274'; // ean13-1/3 (not on the manifest)
const D = '5449000039231'; // ean13-1/4 (not on the manifest)
const E = '168901'; // code128-1/1
const MISSING = '9999999999994';
let svc: ScanService;
let batchId: number;
let manifest: Buffer;

beforeAll(async () => {
  const files = [
    ['ean13-1/1.png', 'parcel-1.png'],
    ['ean13-1/2.png', 'parcel-2.png'],
    ['ean13-1/3.png', 'parcel-3.png'],
    ['ean13-1/4.png', 'parcel-4.png'],
    ['code128-1/1.png', 'parcel-5.png'],
    ['ean13-1/1.png', 'parcel-1-again.png'], // the same parcel, scanned twice
  ].map(([from, to]) => {
    const dest = join(tmp.dir, to!);
    copyFileSync(Z(from!), dest);
    return dest;
  });
  svc = await openScanService({ dbPath: join(tmp.dir, 'p.sqlite'), engines: [realEngine()], intake: realIntake });
  const { batch } = await svc.createBatch({ paths: files, plan: { engine: 'local', task: 'codes' } });
  batchId = batch.id;
  await svc.whenSettled(batchId);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Manifest');
  sheet.addRow(['Consignee', 'Barcode']);
  // Excel stores an all-digit code as a number; the list reads it as shown.
  for (const [who, code] of [['Ana', Number(A)], ['Bo', B], ['Cy', E], ['Di', MISSING], ['Ana', Number(A)]] as const) sheet.addRow([who, code]);
  manifest = Buffer.from(await wb.xlsx.writeBuffer());
}, 180_000);

afterAll(async () => {
  await svc?.close();
  await closeRealEngines();
  tmp.cleanup();
});

describe('reconciliation against an expected list', { timeout: 120_000 }, () => {
  it('has nothing to say before a list is imported', async () => {
    expect(await svc.reconciliation.get(batchId)).toBeNull();
    const json = join(tmp.dir, 'none.json');
    await svc.exportBatch({ batchId, format: 'json', path: json });
    expect(JSON.parse(readFileSync(json, 'utf8'))).not.toHaveProperty('reconciliation');
  });

  it('imports an XLSX column and shows found, missing, unexpected and duplicate values', async () => {
    const imported = await svc.reconciliation.importList(batchId, manifest, { source: 'manifest.xlsx', column: 'Barcode' });
    expect(imported).toMatchObject({ list: { source: 'manifest.xlsx', column: 'Barcode', count: 4 }, repeated: 1, header: true });
    const r = (await svc.reconciliation.get(batchId))!.result;
    const values = (l: { value: string }[]) => l.map((v) => v.value).sort();
    expect(values(r.found)).toEqual([A, B, E].sort());
    expect(values(r.missing)).toEqual([MISSING]);
    expect(values(r.unexpected)).toEqual([C, D].sort());
    expect(values(r.duplicates)).toEqual([A]);
    const dup = r.duplicates[0]!;
    expect(dup.pages.map((p) => p.path.split('/').pop())).toEqual(['parcel-1.png', 'parcel-1-again.png']);
  });

  it('counts a reviewer\'s correction instead of the decoded value, and not a rejected code', async () => {
    const { items } = await svc.listItems(batchId, { limit: 100 });
    const d = (await svc.getItem(items[3]!.id)).detections.find((x) => x.text === D)!;
    await svc.reviewDetection(d.id, { correctedText: MISSING });
    const again = (await svc.getItem(items[5]!.id)).detections.find((x) => x.text === A)!;
    await svc.reviewDetection(again.id, { review: 'rejected' });
    const r = (await svc.reconciliation.get(batchId))!.result;
    expect(r.missing).toEqual([]);
    expect(r.found.map((v) => v.value)).toContain(MISSING);
    expect(r.unexpected.map((v) => v.value)).toEqual([C]);
    expect(r.duplicates).toEqual([]);
    await svc.reviewDetection(d.id, { correctedText: null });
    await svc.reviewDetection(again.id, { review: 'pending' });
  });

  it('writes the reconciliation into JSON, CSV and XLSX', async () => {
    const json = join(tmp.dir, 'r.json');
    await svc.exportBatch({ batchId, format: 'json', path: json });
    type Values = { value: string; pages: { path: string; page: number }[] }[];
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { reconciliation: { list: unknown; found: Values; missing: Values; unexpected: Values; duplicates: Values } };
    const rec = doc.reconciliation;
    expect(Object.keys(rec)).toEqual(['list', 'found', 'missing', 'unexpected', 'duplicates']);
    expect(rec.list).toEqual({ source: 'manifest.xlsx', column: 'Barcode', count: 4 });
    expect(rec.missing).toEqual([{ value: MISSING, pages: [] }]);
    expect(rec.duplicates).toEqual([{ value: A, pages: [{ path: join(tmp.dir, 'parcel-1.png'), page: 1 }, { path: join(tmp.dir, 'parcel-1-again.png'), page: 1 }] }]);
    expect(rec.unexpected.map((v) => v.value).sort()).toEqual([C, D].sort());

    const csv = join(tmp.dir, 'r.csv');
    await svc.exportBatch({ batchId, format: 'csv', path: csv });
    const lines = parse(readFileSync(csv), { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
    const standing = new Map(lines.filter((l) => l.file).map((l) => [`${l.file!.split('/').pop()}:${l.value}`, l.reconciliation]));
    expect(standing.get(`parcel-1.png:${A}`)).toBe('found (duplicate)');
    expect(standing.get(`parcel-2.png:${B}`)).toBe('found');
    expect(standing.get(`parcel-3.png:${C}`)).toBe('unexpected');
    expect(lines.at(-1)).toMatchObject({ file: '', value: MISSING, reconciliation: 'missing' });

    const xlsx = join(tmp.dir, 'r.xlsx');
    await svc.exportBatch({ batchId, format: 'xlsx', path: xlsx });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Detections', 'Pages', 'Reconciliation', 'Summary']);
    const sheet: string[][] = [];
    wb.getWorksheet('Reconciliation')!.eachRow((r) => sheet.push(Array.from((r.values as unknown[]).slice(1, 5), (v) => String(v ?? ''))));
    expect(sheet[0]).toEqual(['Value', 'Status', 'Duplicate', 'Pages']);
    expect(sheet.slice(1).sort()).toEqual(
      [
        [A, 'found', 'yes', '2'],
        [B, 'found', '', '1'],
        [E, 'found', '', '1'],
        [MISSING, 'missing', '', '0'],
        [C, 'unexpected', '', '1'],
        [D, 'unexpected', '', '1'],
      ].sort(),
    );
    const summary: Record<string, unknown> = {};
    wb.getWorksheet('Summary')!.eachRow((r) => (summary[String(r.getCell(1).value)] = r.getCell(2).value));
    expect(summary).toMatchObject({ 'Expected values': 4, Found: 3, Missing: 1, Unexpected: 2, Duplicates: 1 });
    // The Detections sheet says how each code stands.
    const det = wb.getWorksheet('Detections')!;
    const header = (det.getRow(1).values as unknown[]).slice(1);
    const col = header.indexOf('Reconciliation') + 1;
    expect(col).toBeGreaterThan(0);
    const standings = new Set<string>();
    det.eachRow((r, n) => n > 1 && standings.add(String(r.getCell(col).value)));
    expect([...standings].sort()).toEqual(['found', 'found (duplicate)', 'unexpected']);
  });

  it('replaces the list, and removes it', async () => {
    await svc.reconciliation.setList(batchId, { source: 'pasted', column: 'column 1', values: [C, ' ', C] });
    expect((await svc.reconciliation.get(batchId))!.list).toMatchObject({ source: 'pasted', count: 1 });
    await svc.reconciliation.setList(batchId, null);
    expect(await svc.reconciliation.get(batchId)).toBeNull();
    await expect(svc.reconciliation.get(9999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
