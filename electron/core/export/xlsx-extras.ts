import type ExcelJS from 'exceljs';
import type { DocumentSummary } from '../../../shared/documents';
import type { Reconciliation, ReconciledValue } from '../../../shared/reconciliation';
import { describePages } from '../documents/page-list';
import { FlowControl, worksheetDownstream } from './flow';
import type { ExportExtras } from './types';
import { fitCell, xmlSafe } from './values';

/**
 * The XLSX sheets a separated or reconciled batch adds (see xlsx.ts for the workbook): one row
 * per document, one row per value of the reconciliation, and their totals for the Summary.
 * Each writer answers the rows it wrote.
 */

const TEXT = '@';

export const DOCUMENT_SHEET_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: 'Document', key: 'n', width: 10 },
  { header: 'File name', key: 'fileName', width: 32 },
  { header: 'Key code', key: 'key', width: 28, style: { numFmt: TEXT } },
  { header: 'Pages', key: 'count', width: 8 },
  { header: 'Page list', key: 'pages', width: 48 },
  { header: 'Separator page', key: 'separator', width: 28 },
  { header: 'Codes', key: 'codes', width: 48, style: { numFmt: TEXT } },
  { header: 'Pending', key: 'pending', width: 9 },
  { header: 'Failed', key: 'failed', width: 8 },
];

export const RECONCILIATION_SHEET_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: 'Value', key: 'value', width: 32, style: { numFmt: TEXT } },
  { header: 'Status', key: 'status', width: 12 },
  { header: 'Duplicate', key: 'duplicate', width: 10 },
  { header: 'Pages', key: 'count', width: 8 },
  { header: 'Found on', key: 'where', width: 60 },
];

const cell = (s: string) => fitCell(xmlSafe(s));

export async function writeDocumentsSheet(sheet: ExcelJS.Worksheet, docs: DocumentSummary[]): Promise<number> {
  const flow = new FlowControl(() => worksheetDownstream(sheet));
  for (const d of docs) {
    sheet
      .addRow({
        n: d.n,
        fileName: cell(d.fileName),
        key: d.key === null ? null : cell(d.key),
        count: d.pages.length,
        pages: cell(describePages(d.pages)),
        separator: d.separator ? cell(describePages([d.separator])) : null,
        codes: cell(d.codes.join('\n')),
        pending: d.pending,
        failed: d.failed,
      })
      .commit();
    await flow.tick();
  }
  return docs.length;
}

export async function writeReconciliationSheet(sheet: ExcelJS.Worksheet, r: Reconciliation): Promise<number> {
  const flow = new FlowControl(() => worksheetDownstream(sheet));
  const duplicate = new Set(r.duplicates.map((d) => d.value));
  let rows = 0;
  const write = async (list: ReconciledValue[], status: string) => {
    for (const v of list) {
      sheet
        .addRow({
          value: cell(v.value),
          status,
          duplicate: duplicate.has(v.value) ? 'yes' : '',
          count: v.pages.length,
          where: cell(describePages(v.pages)),
        })
        .commit();
      rows++;
      await flow.tick();
    }
  };
  await write(r.found, 'found');
  await write(r.missing, 'missing');
  await write(r.unexpected, 'unexpected');
  return rows;
}

/** Summary lines: how many documents; the expected list and how the batch stands against it. */
export function extrasSummary(extras: ExportExtras | undefined): [string, string | number][] {
  const lines: [string, string | number][] = [];
  if (extras?.documents) lines.push(['Documents', extras.documents.list.length]);
  const recon = extras?.reconciliation;
  if (recon) {
    lines.push(
      ['Expected list', cell(`${recon.list.source} (${recon.list.column})`)],
      ['Expected values', recon.result.expected],
      ['Found', recon.result.found.length],
      ['Missing', recon.result.missing.length],
      ['Unexpected', recon.result.unexpected.length],
      ['Duplicates', recon.result.duplicates.length],
    );
  }
  return lines;
}
