import { stringify } from 'csv-stringify/sync';
import type { ExportDetection, ExportItem, ExportOptions, ExportSource } from './types';
import { discardStream, endStream, openOutput, writeWithBackpressure } from './flow';
import { codeRuleLabel, codeRuleReason, pageRuleLabel, pageRuleReason } from './rule-values';
import { NO_POSITION, cornerNumbers, effectiveText, exportedDetections, idCardCropFiles, idCardWarningsLabel, productLabel } from './values';

/**
 * CSV export: UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake), one
 * row per detection, plus one row for every page that has none to show (no code found, an
 * error, or nothing accepted), so no page is invisible. Every row carries its page's status
 * and error. Fields that a spreadsheet would run as a formula (= + - @ tab CR first) are
 * prefixed with ' (OWASP CSV injection guidance; csv-stringify's escape_formulas).
 * `product` is the Tencent product lookup of an EAN/UPC ("name (brand)"); ID-card numbers are
 * masked unless the caller asked to reveal them (exportedDetections).
 */

export const CSV_COLUMNS = [
  'batch',
  'file',
  'page',
  'page_status',
  'error_code',
  'error_message',
  'kind',
  'symbology',
  'field',
  'value',
  'decoded_value',
  'corrected',
  'position',
  'x1',
  'y1',
  'x2',
  'y2',
  'x3',
  'y3',
  'x4',
  'y4',
  'engine',
  'review',
  'product',
  // ID cards: IDCardOCR's warnings on the card ("Photocopy ... [-9102]; ..."), and the file names
  // of its crops as `scandesk scan --crops-out` writes them.
  'id_warnings',
  'id_crops',
  // The document the page belongs to (a batch separated into documents), and how a code's
  // value stands against the batch's expected list: found, unexpected, "(duplicate)" when it
  // is on more than one page. Expected values found nowhere come last, one row each, "missing".
  'document',
  'reconciliation',
  // The batch's review rules (shared/rules): the code's verdict ('pass' / 'break') and why, and
  // the page's (its code count, and how many of its codes break a rule). Blank: no rules.
  'rule',
  'rule_reason',
  'page_rule',
  'page_rule_reason',
] as const;

const BOM = '\uFEFF';

function line(fields: (string | number | null)[]): string {
  return stringify([fields], { escape_formulas: true, record_delimiter: 'windows' });
}

export async function writeCsv(path: string, source: ExportSource, options: ExportOptions | undefined): Promise<{ rows: number }> {
  const out = openOutput(path, 'utf8');
  try {
    await writeWithBackpressure(out, BOM + line([...CSV_COLUMNS]));
    let rows = 0;
    for await (const item of source.items()) {
      const chosen = exportedDetections(item, options);
      if (chosen.length === 0) {
        // Same width as a detection row: empty detection fields, not missing ones.
        const fields = pageFields(source, item);
        const blank = Array<null>(CSV_COLUMNS.length - fields.length - 6).fill(null);
        await writeWithBackpressure(out, line([...fields, ...blank, documentOf(source, item), null, null, null, pageRuleLabel(item), pageRuleReason(item)]));
        rows++;
      }
      for (const d of chosen) {
        const rules = [codeRuleLabel(d), codeRuleReason(d), pageRuleLabel(item), pageRuleReason(item)];
        await writeWithBackpressure(out, line([...pageFields(source, item), ...detectionFields(item, d), documentOf(source, item), standingOf(source, d), ...rules]));
        rows++;
      }
    }
    for (const m of source.extras?.reconciliation?.result.missing ?? []) {
      const row: (string | number | null)[] = Array<null>(CSV_COLUMNS.length).fill(null);
      row[CSV_COLUMNS.indexOf('batch')] = source.batch.name;
      row[CSV_COLUMNS.indexOf('value')] = m.value;
      row[CSV_COLUMNS.indexOf('reconciliation')] = 'missing';
      await writeWithBackpressure(out, line(row));
      rows++;
    }
    await endStream(out);
    return { rows };
  } catch (err) {
    await discardStream(out);
    throw err;
  }
}

function documentOf(source: ExportSource, item: ExportItem): number | null {
  return item.itemId === undefined ? null : (source.extras?.documents?.placementOf(item.itemId)?.document ?? null);
}

/** Codes only, and not one a reviewer rejected: those are the values reconciliation counts. */
function standingOf(source: ExportSource, d: ExportDetection): string | null {
  const r = source.extras?.reconciliation;
  if (!r || d.kind !== 'code' || d.review === 'rejected') return null;
  return r.standingOf(effectiveText(d));
}

function pageFields(source: ExportSource, item: ExportItem): (string | number | null)[] {
  return [source.batch.name, item.path, item.page, item.status, item.error?.code ?? null, item.error?.message ?? null];
}

function detectionFields(item: ExportItem, d: ExportDetection): (string | number | null)[] {
  const corners = cornerNumbers(d.geometry);
  return [
    d.kind,
    d.symbology,
    d.field ?? null,
    effectiveText(d),
    d.text,
    d.correctedText !== null ? 'yes' : null,
    corners ? d.geometry.kind : NO_POSITION,
    ...(corners ?? Array<null>(8).fill(null)),
    d.engine,
    d.review,
    productLabel(d) || null,
    idCardWarningsLabel(d) || null,
    idCardCropFiles(item, d).join('; ') || null,
  ];
}
