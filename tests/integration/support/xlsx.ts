import ExcelJS from 'exceljs';

/** A sheet's rows as objects keyed by the header row (so tests do not depend on column order). */
export async function sheetRows(path: string, sheet: string): Promise<Array<Record<string, string>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`${path} has no sheet ${sheet}`);
  const headers: string[] = [];
  const rows: Array<Record<string, string>> = [];
  ws.eachRow((row, n) => {
    const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(text);
    if (n === 1) headers.push(...cells);
    else rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
  });
  return rows;
}

function text(v: ExcelJS.CellValue): string {
  if (v && typeof v === 'object' && 'text' in v) return String(v.text);
  if (v && typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return v === null || v === undefined ? '' : String(v);
}
