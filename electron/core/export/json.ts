import { createWriteStream } from 'node:fs';
import type { ExportDetection, ExportItem, ExportOptions, ExportSource } from './types';
import { endStream, writeWithBackpressure } from './flow';
import { effectiveText, exportedDetections, masksValue } from './values';

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
 */
export async function writeJson(path: string, source: ExportSource, options: ExportOptions | undefined): Promise<{ rows: number }> {
  const out = createWriteStream(path, 'utf8');
  try {
    await writeWithBackpressure(out, '{"items":[');
    let rows = 0;
    for await (const item of source.items()) {
      await writeWithBackpressure(out, `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(itemJson(item, exportedDetections(item, options), options))}`);
      rows++;
    }
    await writeWithBackpressure(out, '\n]}\n');
    await endStream(out);
    return { rows };
  } catch (err) {
    out.destroy();
    throw err;
  }
}

function itemJson(item: ExportItem, detections: ExportDetection[], options: ExportOptions | undefined): Record<string, unknown> {
  return {
    path: item.path,
    page: item.page,
    status: item.status,
    error: item.error ? { code: item.error.code, message: item.error.message } : null,
    detections: detections.map((d) => detectionJson(d, options)),
  };
}

function detectionJson(d: ExportDetection, options: ExportOptions | undefined): Record<string, unknown> {
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
  if (d.field !== undefined) json.field = d.field;
  if (d.bytesBase64 !== undefined) json.bytesBase64 = d.bytesBase64;
  if (d.extra !== undefined) json.extra = d.extra;
  if (masksValue(d, options)) json.masked = true;
  return json;
}
