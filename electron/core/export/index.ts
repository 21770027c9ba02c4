import { resolve } from 'node:path';
import { ScanError } from '../errors';
import type { ExportFormat, ExportOptions, ExportSource } from './types';
import { writeAtomically } from './atomic';
import { writeCsv } from './csv';
import { writeJson } from './json';
import type { writeXlsx as WriteXlsx } from './xlsx';

// exceljs costs ~0.4 s of CPU to load: the XLSX writer loads when an XLSX is written, not with
// every command that can export (issue 10: the command line starts like a command).
const writeXlsx: typeof WriteXlsx = async (...args) => (await import('./xlsx')).writeXlsx(...args);

export type { ExportDetection, ExportFormat, ExportItem, ExportOptions, ExportSource } from './types';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv', 'json'];

/**
 * Writes a batch to `path` in `format`, streaming (`source.items()` is iterated once), through
 * a temporary file renamed into place at the end. `rows` counts the main table: detection
 * rows for XLSX (the Detections sheet), data rows for CSV (a detection or a page without
 * one), items (pages) for JSON.
 */
export async function writeExport(
  format: ExportFormat,
  path: string,
  source: ExportSource,
  options?: ExportOptions,
): Promise<{ path: string; rows: number }> {
  const target = resolve(path);
  const writer = { xlsx: writeXlsx, csv: writeCsv, json: writeJson }[format];
  if (!writer) throw new ScanError('INVALID_INPUT', `Unknown export format "${String(format)}": use xlsx, csv or json.`);
  const { rows } = await writeAtomically(target, (tmp) => writer(tmp, source, options));
  return { path: target, rows };
}

/** The format a file name asks for (by extension), or null. */
export function formatFromPath(path: string): ExportFormat | null {
  const m = /\.([^./\\]+)$/.exec(path);
  const ext = m?.[1]?.toLowerCase();
  return ext && (EXPORT_FORMATS as readonly string[]).includes(ext) ? (ext as ExportFormat) : null;
}
