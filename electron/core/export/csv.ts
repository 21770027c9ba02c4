import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { ExportDetection, ExportItem, ExportOptions, ExportSource } from './types';
import { endStream, writeWithBackpressure } from './flow';
import { NO_POSITION, cornerNumbers, effectiveText, exportedDetections, productLabel } from './values';

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
] as const;

const BOM = '\uFEFF';

function line(fields: (string | number | null)[]): string {
  return stringify([fields], { escape_formulas: true, record_delimiter: 'windows' });
}

export async function writeCsv(path: string, source: ExportSource, options: ExportOptions | undefined): Promise<{ rows: number }> {
  const out = createWriteStream(path, 'utf8');
  try {
    await writeWithBackpressure(out, BOM + line([...CSV_COLUMNS]));
    let rows = 0;
    for await (const item of source.items()) {
      const chosen = exportedDetections(item, options);
      if (chosen.length === 0) {
        // Same width as a detection row: empty detection fields, not missing ones.
        const fields = pageFields(source, item);
        await writeWithBackpressure(out, line([...fields, ...Array<null>(CSV_COLUMNS.length - fields.length).fill(null)]));
        rows++;
      }
      for (const d of chosen) {
        await writeWithBackpressure(out, line([...pageFields(source, item), ...detectionFields(d)]));
        rows++;
      }
    }
    await endStream(out);
    return { rows };
  } catch (err) {
    out.destroy();
    throw err;
  }
}

function pageFields(source: ExportSource, item: ExportItem): (string | number | null)[] {
  return [source.batch.name, item.path, item.page, item.status, item.error?.code ?? null, item.error?.message ?? null];
}

function detectionFields(d: ExportDetection): (string | number | null)[] {
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
  ];
}
