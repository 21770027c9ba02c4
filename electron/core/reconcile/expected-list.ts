import { parse } from 'csv-parse/sync';
import { EXPECTED_LIMITS } from '../../../shared/reconciliation';
import { ScanError } from '../errors';
import { normalizeValue } from './reconcile';

/**
 * Reads an expected list: one column of a CSV (comma, semicolon or tab separated, UTF-8 with
 * or without BOM; a plain list of one value per line is a one-column CSV) or of an XLSX file's
 * first sheet. The format comes from the bytes (an XLSX is a zip), never the name.
 *
 * The column: `column` by header name (case-insensitive) or 1-based number; the first column
 * when not given. The first row is a header when the column was named, or when its cell has no
 * digit while most of the column's values do (`code` over 4006381333931): codes carry digits,
 * headers rarely do. `header` true/false overrides the guess.
 */
export interface ExpectedListOptions {
  column?: string | number;
  header?: boolean;
}

export interface ExpectedList {
  values: string[];
  /** The column read: its header, or "column N". */
  column: string;
  header: boolean;
  /** Values listed more than once (kept once). */
  repeated: number;
}

export async function readExpectedList(bytes: Uint8Array, options: ExpectedListOptions = {}): Promise<ExpectedList> {
  if (bytes.length === 0) throw invalid('The expected list is empty (0 bytes).');
  if (bytes.length > EXPECTED_LIMITS.fileBytes) {
    throw invalid(`The expected list is larger than ${EXPECTED_LIMITS.fileBytes / 1024 / 1024} MB.`);
  }
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw invalid('The expected list is an old Excel (.xls) workbook: save it as .xlsx or .csv and import that.');
  }
  const rows = isZip(bytes) ? await xlsxRows(bytes) : csvRows(textOf(bytes));
  return pickColumn(rows, options);
}

/** Values typed or pasted, one per line. */
export function expectedFromText(text: string): ExpectedList {
  return pickColumn(
    text.split(/\r\n|\n|\r/).map((l) => [l]),
    { header: false },
  );
}

function pickColumn(rows: string[][], options: ExpectedListOptions): ExpectedList {
  const nonEmpty = rows.filter((r) => r.some((c) => c.trim() !== ''));
  if (nonEmpty.length === 0) throw invalid('The expected list has no values.');
  const first = nonEmpty[0]!;
  let index = 0;
  let named = false;
  if (typeof options.column === 'number' || (typeof options.column === 'string' && /^\d+$/.test(options.column))) {
    index = Number(options.column) - 1;
    const width = Math.max(...nonEmpty.map((r) => r.length));
    if (!Number.isInteger(index) || index < 0 || index >= width) {
      throw invalid(`The expected list has ${width} column${width === 1 ? '' : 's'}; there is no column ${String(options.column)}.`);
    }
  } else if (typeof options.column === 'string' && options.column.trim() !== '') {
    const want = options.column.trim().toLowerCase();
    index = first.findIndex((c) => c.trim().toLowerCase() === want);
    if (index < 0) {
      const names = first.map((c) => c.trim()).filter(Boolean).slice(0, 10).join(', ');
      throw invalid(`The expected list has no column named "${options.column.trim()}" in its first row (it has: ${names || 'no names'}).`);
    }
    named = true;
  }
  const cells = nonEmpty.map((r) => normalizeValue(r[index] ?? ''));
  const header = options.header ?? (named || looksLikeHeader(cells));
  const body = header ? cells.slice(1) : cells;
  const values: string[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  for (const v of body) {
    if (v === '') continue;
    if (v.length > EXPECTED_LIMITS.valueChars) throw invalid(`A value in the expected list is longer than ${EXPECTED_LIMITS.valueChars} characters.`);
    if (seen.has(v)) {
      repeated++;
      continue;
    }
    seen.add(v);
    values.push(v);
    if (values.length > EXPECTED_LIMITS.values) throw invalid(`The expected list has more than ${EXPECTED_LIMITS.values} values.`);
  }
  if (values.length === 0) throw invalid('The expected list has no values in the chosen column.');
  return { values, column: header && cells[0] ? cells[0] : `column ${index + 1}`, header, repeated };
}

function looksLikeHeader(cells: string[]): boolean {
  const [head, ...rest] = cells;
  if (!head || /\d/.test(head) || rest.length === 0) return false;
  const withDigits = rest.filter((c) => /\d/.test(c)).length;
  return withDigits * 2 >= rest.filter((c) => c !== '').length;
}

/** UTF-8 (BOM or not), or UTF-16 with its BOM (Excel's "Unicode text"). */
function textOf(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  let text: string;
  if (b[0] === 0xff && b[1] === 0xfe) text = b.subarray(2).toString('utf16le');
  else if (b[0] === 0xfe && b[1] === 0xff) text = Buffer.from(b.subarray(2, b.length - (b.length % 2))).swap16().toString('utf16le');
  else text = b.toString('utf8');
  if (text.slice(0, 4096).includes('\0')) {
    throw invalid('The expected list is neither a CSV or text file nor an XLSX workbook (it holds binary data).');
  }
  return text.replace(/^\uFEFF/, '');
}

function csvRows(text: string): string[][] {
  try {
    return parse(text, {
      bom: true,
      delimiter: [',', ';', '\t'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (err) {
    throw invalid(`The expected list is not a readable CSV file: ${(err as Error).message}`);
  }
}

async function xlsxRows(bytes: Uint8Array): Promise<string[][]> {
  // Loaded here, not with the module: exceljs costs ~0.4 s of CPU at every command's start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (err) {
    throw invalid(`The expected list is a zip file but not a readable XLSX workbook: ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalid('The expected list workbook has no sheet.');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    // cell.text: what Excel shows (numbers as typed, formulas by their result, rich text flattened).
    row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cell.text ?? ''));
    rows.push(Array.from(cells, (c) => c ?? ''));
  });
  return rows;
}

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function invalid(message: string): ScanError {
  return new ScanError('INVALID_INPUT', message);
}
