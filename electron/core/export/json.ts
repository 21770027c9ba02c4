import { idCardFieldLabel } from '../../../shared/idcard';
import type { ExportDetection, ExportItem, ExportOptions, ExportSource } from './types';
import { discardStream, endStream, openOutput, writeWithBackpressure } from './flow';
import { codeRuleJson, pageRuleJson } from './rule-values';
import { effectiveText, exportedDetections, idCardCropFiles, masksValue } from './values';

/**
 * JSON export, written one item at a time (never one JSON.stringify of the whole batch):
 *
 *   {"items":[{"path","page","status","error":{"code","message"}|null,
 *              "detections":[{"symbology","text","geometry":{"kind","points":[{"x","y"}]}, ...}]}]}
 *
 * `text` is what the engine decoded (as in Detection), `correctedText` what a reviewer typed
 * (or null), and `value` the one to use (the correction when there is one). Positions are
 * exact (not rounded). `extra` is what the engine kept beside the value (Tencent product data
 * under `extra.product`, ID-card warnings, ...). ID-card numbers are masked unless the caller
 * asked to reveal them; a masked detection says `"masked": true`.
 *
 * A batch separated into documents adds `"document": n` to each page and, after the items,
 * `"documents":[{"document","fileName","key","pages":[{"path","page"}],"separator","codes"}]`.
 * A batch with an expected list adds `"reconciliation":{"list","found","missing","unexpected",
 * "duplicates"}`, each a list of `{"value","pages":[{"path","page"}]}` (missing: no pages).
 */
export async function writeJson(path: string, source: ExportSource, options: ExportOptions | undefined): Promise<{ rows: number }> {
  const out = openOutput(path, 'utf8');
  try {
    await writeWithBackpressure(out, '{"items":[');
    let rows = 0;
    for await (const item of source.items()) {
      const json = itemJson(item, exportedDetections(item, options), options);
      const at = item.itemId === undefined ? null : source.extras?.documents?.placementOf(item.itemId);
      if (at) json.document = at.document;
      await writeWithBackpressure(out, `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(json)}`);
      rows++;
    }
    await writeWithBackpressure(out, '\n]');
    for (const [key, value] of extrasJson(source)) await writeWithBackpressure(out, `,\n${JSON.stringify(key)}:${JSON.stringify(value)}`);
    await writeWithBackpressure(out, '}\n');
    await endStream(out);
    return { rows };
  } catch (err) {
    await discardStream(out);
    throw err;
  }
}

function extrasJson(source: ExportSource): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const where = (p: { path: string; page: number }) => ({ path: p.path, page: p.page });
  const docs = source.extras?.documents;
  if (docs) {
    out.push([
      'documents',
      docs.list.map((d) => ({
        document: d.n,
        fileName: d.fileName,
        key: d.key,
        pages: d.pages.map(where),
        separator: d.separator ? where(d.separator) : null,
        codes: d.codes,
      })),
    ]);
  }
  const recon = source.extras?.reconciliation;
  if (recon) {
    const values = (list: { value: string; pages: { path: string; page: number }[] }[]) => list.map((v) => ({ value: v.value, pages: v.pages.map(where) }));
    const { result, list } = recon;
    out.push([
      'reconciliation',
      {
        list: { source: list.source, column: list.column, count: list.count },
        found: values(result.found),
        missing: values(result.missing),
        unexpected: values(result.unexpected),
        duplicates: values(result.duplicates),
      },
    ]);
  }
  return out;
}

function itemJson(item: ExportItem, detections: ExportDetection[], options: ExportOptions | undefined): Record<string, unknown> {
  return {
    path: item.path,
    page: item.page,
    status: item.status,
    error: item.error ? { code: item.error.code, message: item.error.message } : null,
    ...(item.rule ? { rule: pageRuleJson(item) } : {}),
    detections: detections.map((d) => detectionJson(item, d, options)),
  };
}

function detectionJson(item: ExportItem, d: ExportDetection, options: ExportOptions | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = {
    symbology: d.symbology,
    text: d.text,
    geometry: { kind: d.geometry.kind, points: d.geometry.points.map((p) => ({ x: p.x, y: p.y })) },
    kind: d.kind,
    value: effectiveText(d),
    correctedText: d.correctedText,
    review: d.review,
    engine: d.engine,
  };
  if (d.field !== undefined) {
    json.field = d.field;
    // An ID card's field as a person reads it, in both languages (the key stays for machines).
    if (d.symbology === 'IDCard') json.fieldLabel = { en: idCardFieldLabel(d.field, 'en'), zh: idCardFieldLabel(d.field, 'zh') };
  }
  if (d.bytesBase64 !== undefined) json.bytesBase64 = d.bytesBase64;
  if (d.extra !== undefined) json.extra = d.extra;
  // The card's crops by the file names `scandesk scan --crops-out` writes (warnings: extra.card).
  const crops = idCardCropFiles(item, d);
  if (crops.length > 0) json.cropFiles = crops;
  if (masksValue(d, options)) json.masked = true;
  if (d.rule) json.rule = codeRuleJson(d);
  return json;
}
