import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { expectedFromText, readExpectedList } from '../../electron/core/reconcile/expected-list';

/** Expected lists as offices keep them: Excel workbooks, CSV exports of other systems, pasted columns. */
async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Manifest');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('reading an expected list', () => {
  it('reads the first column of a CSV and sees its header', async () => {
    const list = await readExpectedList(utf8('Barcode,Qty\r\n4006381333931,2\r\n8413000065504,1\r\n'));
    expect(list).toEqual({ values: ['4006381333931', '8413000065504'], column: 'Barcode', header: true, repeated: 0 });
  });

  it('takes a plain list of codes as it is (no header), trims values, skips blank lines, keeps repeated ones once', async () => {
    const list = await readExpectedList(utf8('\uFEFF 4006381333931 \n\n8413000065504\n4006381333931\n'));
    expect(list).toEqual({ values: ['4006381333931', '8413000065504'], column: 'column 1', header: false, repeated: 1 });
  });

  it('picks a column by header name or number; semicolons and quotes as Excel writes them in Europe', async () => {
    const csv = utf8('"Name";"Parcel ID"\n"Müller; Anna";"SHIP-0001"\n"Li";"SHIP-0002"\n');
    expect((await readExpectedList(csv, { column: 'parcel id' })).values).toEqual(['SHIP-0001', 'SHIP-0002']);
    expect((await readExpectedList(csv, { column: 2 })).values).toEqual(['SHIP-0001', 'SHIP-0002']);
    await expect(readExpectedList(csv, { column: 'Barcode' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The expected list has no column named "Barcode" in its first row (it has: Name, Parcel ID).',
    });
    await expect(readExpectedList(csv, { column: 3 })).rejects.toMatchObject({ message: 'The expected list has 2 columns; there is no column 3.' });
  });

  it('reads an XLSX column: numbers as Excel shows them, text as text', async () => {
    const book = await xlsx([['SKU', 'Code'], ['a', 4006381333931], ['b', '0012345678905'], ['c', null], ['d', 'ABC-7']]);
    const list = await readExpectedList(book, { column: 'Code' });
    expect(list.values).toEqual(['4006381333931', '0012345678905', 'ABC-7']);
    expect(list.column).toBe('Code');
  });

  it('reads Excel\'s "Unicode text" (UTF-16 with BOM)', async () => {
    const text = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('条码\r\n6901234567892\r\n', 'utf16le')]);
    expect(await readExpectedList(text)).toMatchObject({ values: ['6901234567892'], column: '条码', header: true });
  });

  it('refuses what is no list, with what to do', async () => {
    await expect(readExpectedList(Buffer.alloc(0))).rejects.toMatchObject({ message: 'The expected list is empty (0 bytes).' });
    await expect(readExpectedList(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).rejects.toMatchObject({
      message: expect.stringMatching(/old Excel \(\.xls\) workbook: save it as \.xlsx or \.csv/),
    });
    await expect(readExpectedList(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).rejects.toMatchObject({ message: expect.stringMatching(/binary data/) });
    await expect(readExpectedList(Buffer.from('PK\u0003\u0004not really a zip', 'latin1'))).rejects.toMatchObject({
      message: expect.stringMatching(/not a readable XLSX workbook/),
    });
    await expect(readExpectedList(utf8('Code,Qty\n,3\n'), { column: 'Code' })).rejects.toMatchObject({ message: expect.stringMatching(/no values/) });
  });

  it('takes pasted values one per line', () => {
    expect(expectedFromText('A-1\r\n A-2 \n\nA-1\n').values).toEqual(['A-1', 'A-2']);
  });
});
