import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';
import type { ExportDetection, ExportItem, ExportOptions, ExportSource } from './types';
import { describePlan } from './describe';
import { FlowControl, discardStream, endStream, openOutput, worksheetDownstream, writeWithBackpressure } from './flow';
import { codeRuleLabel, codeRuleReason, pageRuleLabel, pageRuleReason } from './rule-values';
import { NO_POSITION, cornerNumbers, effectiveText, exportedDetections, fitCell, httpUrl, idCardCropFiles, idCardWarningsLabel, productLabel, xmlSafe } from './values';
import { DOCUMENT_SHEET_COLUMNS, RECONCILIATION_SHEET_COLUMNS, extrasSummary, writeDocumentsSheet, writeReconciliationSheet } from './xlsx-extras';

/**
 * XLSX export with exceljs's streaming WorkbookWriter: memory stays flat whatever the batch
 * size. Three sheets: Detections (one row per code), Pages (one row per page), Summary; a batch
 * separated into documents adds a Document column and a Documents sheet, one with an expected
 * list a Reconciliation column and sheet (xlsx-extras.ts).
 *
 * The zip container holds one sheet after another, so two sheets cannot really be written
 * at the same time (the second would be buffered whole in memory). The single pass over
 * `source.items()` writes Detections directly and spools the small per-page records to a
 * temporary NDJSON file, which then becomes the Pages sheet; Summary comes last, with
 * the totals of what was written.
 */

/** Excel stops making links after this many per sheet; it also bounds exceljs's link list. */
const MAX_HYPERLINKS = 65_530;

const TEXT = '@';

const DETECTION_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: 'Batch', key: 'batch', width: 18 },
  { header: 'File', key: 'file', width: 48 },
  { header: 'Page', key: 'page', width: 6 },
  { header: 'Kind', key: 'kind', width: 7 },
  { header: 'Symbology', key: 'symbology', width: 13 },
  { header: 'Field', key: 'field', width: 10 },
  // Values are text, always: '007' must not become 7 when someone edits the cell.
  { header: 'Value', key: 'value', width: 40, style: { numFmt: TEXT } },
  { header: 'Decoded value', key: 'decoded', width: 40, style: { numFmt: TEXT } },
  { header: 'Corrected', key: 'corrected', width: 10 },
  { header: 'Position', key: 'position', width: 14 },
  ...['x1', 'y1', 'x2', 'y2', 'x3', 'y3', 'x4', 'y4'].map((k) => ({ header: k, key: k, width: 8 })),
  { header: 'Engine', key: 'engine', width: 10 },
  { header: 'Review', key: 'review', width: 10 },
  // Tencent QueryBarCode product data of an EAN/UPC code: "name (brand)".
  { header: 'Product', key: 'product', width: 36 },
  // ID cards: IDCardOCR's warnings on the card, and its crops' file names (scan --crops-out).
  { header: 'ID warnings', key: 'idWarnings', width: 36 },
  { header: 'ID crops', key: 'idCrops', width: 36 },
  // The batch's review rules: the code's verdict and why, and its page's (blank: no rules).
  { header: 'Rule', key: 'rule', width: 8 },
  { header: 'Rule reason', key: 'ruleReason', width: 40 },
  { header: 'Page rule', key: 'pageRule', width: 10 },
  { header: 'Page rule reason', key: 'pageRuleReason', width: 40 },
];

const PAGE_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: 'File', key: 'file', width: 48 },
  { header: 'Page', key: 'page', width: 6 },
  { header: 'Status', key: 'status', width: 10 },
  { header: 'Codes found', key: 'codes', width: 12 },
  { header: 'Exported', key: 'exported', width: 10 },
  { header: 'Error code', key: 'errorCode', width: 20 },
  { header: 'Error message', key: 'errorMessage', width: 60 },
  { header: 'Rule', key: 'rule', width: 8 },
  { header: 'Rule reason', key: 'ruleReason', width: 40 },
];

const DOCUMENT_COLUMN: Partial<ExcelJS.Column> = { header: 'Document', key: 'document', width: 10 };
const RECONCILIATION_COLUMN: Partial<ExcelJS.Column> = { header: 'Reconciliation', key: 'reconciliation', width: 22 };

interface PageRecord {
  file: string;
  page: number;
  status: string;
  codes: number;
  exported: number;
  errorCode: string | null;
  errorMessage: string | null;
  rule: string | null;
  ruleReason: string | null;
  document?: number | null;
}

export async function writeXlsx(
  path: string,
  source: ExportSource,
  options: ExportOptions | undefined,
): Promise<{ rows: number }> {
  const spoolPath = `${path}.pages.ndjson`;
  const out = createWriteStream(path);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'ScanDesk';
  workbook.created = new Date();
  const closed = new Promise<void>((resolve, reject) => {
    out.once('close', resolve);
    out.once('error', reject);
  });
  closed.catch(() => undefined); // awaited below; a failure before that is raised by the write that meets it
  let spool: WriteStream | undefined;
  try {
    const batchName = xmlSafe(source.batch.name);
    const docs = source.extras?.documents;
    const recon = source.extras?.reconciliation;
    const detectionColumns = [...DETECTION_COLUMNS, ...(docs ? [DOCUMENT_COLUMN] : []), ...(recon ? [RECONCILIATION_COLUMN] : [])];
    const pageColumns = [...PAGE_COLUMNS, ...(docs ? [DOCUMENT_COLUMN] : [])];
    const detections = addTableSheet(workbook, 'Detections', detectionColumns);
    spool = openOutput(spoolPath);
    const flow = new FlowControl(() => worksheetDownstream(detections));
    let rows = 0;
    let links = 0;
    let pages = 0;
    const errorCounts = new Map<string, number>();

    for await (const item of source.items()) {
      pages++;
      if (item.error) errorCounts.set(item.error.code, (errorCounts.get(item.error.code) ?? 0) + 1);
      const chosen = exportedDetections(item, options);
      const document = docs && item.itemId !== undefined ? (docs.placementOf(item.itemId)?.document ?? null) : undefined;
      for (const d of chosen) {
        const values = detectionRow(batchName, item, d);
        if (document !== undefined) values.document = document;
        if (recon && d.kind === 'code' && d.review !== 'rejected') values.reconciliation = recon.standingOf(effectiveText(d));
        const row = detections.addRow(values);
        const url = links < MAX_HYPERLINKS ? httpUrl(effectiveText(d)) : null;
        if (url) {
          const cell = row.getCell('value');
          cell.value = { text: values.value as string, hyperlink: url };
          cell.font = { color: { argb: 'FF0563C1' }, underline: true };
          links++;
        }
        row.commit();
        rows++;
        await flow.tick();
      }
      const record = pageRecord(item, chosen.length);
      if (document !== undefined) record.document = document;
      await writeWithBackpressure(spool, `${JSON.stringify(record)}\n`);
    }
    setFilterRange(detections, rows, detectionColumns.length);
    detections.commit();
    await endStream(spool);

    const pageSheet = addTableSheet(workbook, 'Pages', pageColumns);
    const pageFlow = new FlowControl(() => worksheetDownstream(pageSheet));
    const lines = createInterface({ input: createReadStream(spoolPath, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      pageSheet.addRow(JSON.parse(line) as PageRecord).commit();
      await pageFlow.tick();
    }
    setFilterRange(pageSheet, pages, pageColumns.length);
    pageSheet.commit();
    if (docs) {
      const sheet = addTableSheet(workbook, 'Documents', DOCUMENT_SHEET_COLUMNS);
      setFilterRange(sheet, await writeDocumentsSheet(sheet, docs.list), DOCUMENT_SHEET_COLUMNS.length);
      sheet.commit();
    }
    if (recon) {
      const sheet = addTableSheet(workbook, 'Reconciliation', RECONCILIATION_SHEET_COLUMNS);
      setFilterRange(sheet, await writeReconciliationSheet(sheet, recon.result), RECONCILIATION_SHEET_COLUMNS.length);
      sheet.commit();
    }

    writeSummary(workbook, source, options, rows, pages, errorCounts);
    await workbook.commit();
    await closed;
    return { rows };
  } catch (err) {
    await discardStream(out);
    throw err;
  } finally {
    if (spool) await discardStream(spool);
    await rm(spoolPath, { force: true });
  }
}

function addTableSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: Partial<ExcelJS.Column>[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = columns;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  return sheet;
}

/** The filter covers the rows written (the streaming writer emits it at commit). */
function setFilterRange(sheet: ExcelJS.Worksheet, dataRows: number, columns: number): void {
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: dataRows + 1, column: columns } };
}

function detectionRow(batch: string, item: ExportItem, d: ExportDetection): Record<string, unknown> {
  const corners = cornerNumbers(d.geometry);
  const row: Record<string, unknown> = {
    batch,
    file: xmlSafe(item.path),
    page: item.page,
    kind: d.kind,
    symbology: d.symbology,
    field: d.field ?? null,
    value: fitCell(xmlSafe(effectiveText(d))),
    decoded: fitCell(xmlSafe(d.text)),
    corrected: d.correctedText !== null ? 'yes' : '',
    position: corners ? d.geometry.kind : NO_POSITION,
    engine: d.engine,
    review: d.review,
    product: productLabel(d) ? fitCell(xmlSafe(productLabel(d))) : null,
    idWarnings: idCardWarningsLabel(d) || null,
    idCrops: fitCell(xmlSafe(idCardCropFiles(item, d).join('; '))) || null,
    rule: codeRuleLabel(d),
    ruleReason: fitCell(xmlSafe(codeRuleReason(d) ?? '')) || null,
    pageRule: pageRuleLabel(item),
    pageRuleReason: fitCell(xmlSafe(pageRuleReason(item) ?? '')) || null,
  };
  if (corners) ['x1', 'y1', 'x2', 'y2', 'x3', 'y3', 'x4', 'y4'].forEach((k, i) => (row[k] = corners[i]));
  return row;
}

function pageRecord(item: ExportItem, exported: number): PageRecord {
  return {
    file: xmlSafe(item.path),
    page: item.page,
    status: item.status,
    codes: item.detections.length,
    exported,
    errorCode: item.error?.code ?? null,
    errorMessage: item.error ? fitCell(xmlSafe(item.error.message)) : null,
    rule: pageRuleLabel(item),
    ruleReason: fitCell(xmlSafe(pageRuleReason(item) ?? '')) || null,
  };
}

function writeSummary(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  source: ExportSource,
  options: ExportOptions | undefined,
  rows: number,
  pagesListed: number,
  errorCounts: Map<string, number>,
): void {
  const { batch } = source;
  const sheet = workbook.addWorksheet('Summary');
  sheet.columns = [
    { header: 'Field', key: 'k', width: 24 },
    { header: 'Value', key: 'v', width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const lines: [string, string | number][] = [
    ['Batch', xmlSafe(batch.name)],
    ['Batch id', batch.id],
    ['Created', batch.createdAt],
    ['Status', batch.status],
    ['Engine / task', describePlan(batch.plan)],
    ['Pages', batch.counts.total],
    ['Done', batch.counts.done],
    ['Failed', batch.counts.failed],
    ['Skipped', batch.counts.skipped],
    ['Cancelled', batch.counts.cancelled],
    ['Pending', batch.counts.pending],
    ['Codes found', batch.counts.codes],
    ['Pages listed', pagesListed],
    ['Detection rows', rows],
    ['Accepted only', options?.acceptedOnly ? 'yes' : 'no'],
    ['ID numbers', options?.revealPersonalData ? 'shown in full' : 'masked'],
    ['Generated at', new Date().toISOString()],
  ];
  // Pages per error code, most frequent first: what to fix before a rerun.
  for (const [code, n] of [...errorCounts].sort((a, b) => b[1] - a[1])) lines.push([`Pages with ${code}`, n]);
  lines.push(...extrasSummary(source.extras));
  for (const [k, v] of lines) sheet.addRow({ k, v }).commit();
  sheet.commit();
}
