import { basename, dirname, resolve } from 'node:path';
import { ScanError } from '../errors';
import type { ExportFormat, ExportItem, ExportOptions, ExportOutcome, ExportSource } from './types';
import { writeAtomically, writeNewFile } from './atomic';
import { writeCsv } from './csv';
import { writeJson } from './json';
import { checkExportFolder } from './target';
import { exportedDetections } from './values';
import type { writeXlsx as WriteXlsx } from './xlsx';

// exceljs costs ~0.4 s of CPU to load: the XLSX writer loads when an XLSX is written, not with
// every command that can export (issue 10: the command line starts like a command).
const writeXlsx: typeof WriteXlsx = async (...args) => (await import('./xlsx')).writeXlsx(...args);

export type { ExportDetection, ExportFormat, ExportItem, ExportOptions, ExportOutcome, ExportSource } from './types';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv', 'json'];

/**
 * Writes a batch to `path` in `format`, streaming (`source.items()` is iterated once), through
 * a temporary file that becomes `path` at the end (options.existing: replace a file there, or
 * keep it and take "name (2).ext"). The folder must exist: nothing is created on the side.
 *
 * The counts come from here, not from the writers, so XLSX, CSV and JSON report the same
 * numbers for the same batch: every page listed, and the detections exported.
 */
export async function writeExport(format: ExportFormat, path: string, source: ExportSource, options?: ExportOptions): Promise<ExportOutcome> {
  const target = resolve(path);
  const writer = { xlsx: writeXlsx, csv: writeCsv, json: writeJson }[format];
  if (!writer) throw new ScanError('INVALID_INPUT', `Unknown export format "${String(format)}": use xlsx, csv or json.`);
  // The folder must be there already (a typo must not become a new folder, nor a stream error mid-way).
  await checkExportFolder(dirname(target), { allowUnc: true });
  const tally = { pages: 0, codes: 0 };
  const counted: ExportSource = {
    ...source,
    async *items(): AsyncIterable<ExportItem> {
      for await (const item of source.items()) {
        tally.pages++;
        tally.codes += exportedDetections(item, options).length;
        yield item;
      }
    },
  };
  const write = (tmp: string) => writer(tmp, counted, options);
  const written =
    options?.existing === 'keep' ? (await writeNewFile(dirname(target), basename(target), write)).path : (await writeAtomically(target, write), target);
  return { path: written, ...tally };
}

/** The format a file name asks for (by extension), or null. */
export function formatFromPath(path: string): ExportFormat | null {
  const m = /\.([^./\\]+)$/.exec(path);
  const ext = m?.[1]?.toLowerCase();
  return ext && (EXPORT_FORMATS as readonly string[]).includes(ext) ? (ext as ExportFormat) : null;
}
