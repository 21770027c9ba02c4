import type { Detection } from '../../../../shared/detection';
import { boundingBox } from '../../../../shared/geometry';

/**
 * One code, one detection: passes and decoders often find the same code twice (ZXing reports
 * an EAN both with and without its add-on, a retry finds what the fast pass found, ZBar agrees
 * with ZXing). Two detections are one code when their payloads agree (equal, or one is the
 * other plus an add-on) and their boxes overlap or touch. ZXing's detections are considered
 * first (its quads are exact; ZBar's are scan-line boxes), then the richer one (longer text:
 * with add-on) is kept.
 *
 * When ZBar reads a different retail code where ZXing read one, both stay, each marked with
 * `extra.disagreesWith`: two checksummed readings of one spot disagree and a person should look.
 */
export function mergeDetections(list: Detection[]): Detection[] {
  const ordered = [...list.filter((d) => d.extra?.decoder !== 'zbar'), ...list.filter((d) => d.extra?.decoder === 'zbar')];
  const kept: Detection[] = [];
  for (const d of ordered) {
    const i = kept.findIndex((k) => sameCode(k, d));
    if (i < 0) {
      if (d.extra?.decoder === 'zbar') {
        for (const k of kept) {
          if (k.extra?.decoder === 'zxing' && family(k) === 'ean' && family(d) === 'ean' && boxesTouch(k, d)) {
            k.extra = { ...k.extra, disagreesWith: d.text };
            d.extra = { ...d.extra, disagreesWith: k.text };
          }
        }
      }
      kept.push(d);
    } else if (d.text.length > kept[i]!.text.length) kept[i] = d;
  }
  return kept;
}

function sameCode(a: Detection, b: Detection): boolean {
  const x = gtin(a);
  const y = gtin(b);
  const samePayload =
    a.text === b.text || (family(a) === 'ean' && family(b) === 'ean' && (x.startsWith(y) || y.startsWith(x)));
  if (!samePayload || (a.bytesBase64 ?? '') !== (b.bytesBase64 ?? '')) return false;
  return boxesTouch(a, b);
}

/** A UPC-A's 12 digits are the GTIN-13 with a leading 0 (ZXing sometimes calls it an EAN-13). */
function gtin(d: Detection): string {
  return d.symbology === 'UPC-A' && /^\d{12}/.test(d.text) ? `0${d.text}` : d.text;
}

function family(d: Detection): string {
  return /^(EAN|UPC)-/.test(d.symbology) ? 'ean' : d.symbology;
}

function boxesTouch(a: Detection, b: Detection): boolean {
  const p = boundingBox(a.geometry);
  const q = boundingBox(b.geometry);
  if (!p || !q) return true; // no position to tell them apart: same payload is the same code
  // Touching counts: an EAN's digits-only rows and its add-on rows are adjacent boxes.
  const slack = Math.max(4, 0.1 * Math.min(Math.max(p.width, p.height), Math.max(q.width, q.height)));
  return (
    p.left - slack <= q.left + q.width &&
    q.left - slack <= p.left + p.width &&
    p.top - slack <= q.top + q.height &&
    q.top - slack <= p.top + p.height
  );
}
