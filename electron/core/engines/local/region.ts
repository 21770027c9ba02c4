import type { Detection } from '../../../../shared/detection';
import { boundingBox } from '../../../../shared/geometry';
import { decodeGray } from './decode';
import { DEFAULT_PLAN } from './plan';
import type { Gray } from './zxing';

/** A box on the oriented page, in page pixels (a reviewer drew it where the page's decode missed a code). */
export interface RegionBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Reads the codes inside a box drawn on a page, at the page's full resolution: the box and a
 * margin around it (a box drawn tight on the bars cuts the quiet zone a reader needs) cut out of
 * the page, decoded with the photo plan (all retries: the region is small), positions mapped
 * back to the page. Codes whose centre is in the box come first; codes only in the margin are
 * answered too, after them, in case the box was drawn a little off.
 */
export async function decodeRegion(page: Gray, box: RegionBox): Promise<Detection[]> {
  const margin = Math.max(16, Math.round(0.15 * Math.max(box.width, box.height)));
  const left = clamp(Math.floor(box.left) - margin, 0, page.width - 1);
  const top = clamp(Math.floor(box.top) - margin, 0, page.height - 1);
  const right = clamp(Math.ceil(box.left + box.width) + margin, left + 1, page.width);
  const bottom = clamp(Math.ceil(box.top + box.height) + margin, top + 1, page.height);
  const width = right - left;
  const height = bottom - top;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.set(page.data.subarray((top + y) * page.width + left, (top + y) * page.width + right), y * width);
  const out = await decodeGray({ data, width, height }, DEFAULT_PLAN);
  const found = out.detections.map((d) => ({
    ...d,
    geometry: { ...d.geometry, points: d.geometry.points.map((p) => ({ x: p.x + left, y: p.y + top })) },
  }));
  const inside = (d: Detection) => {
    const b = boundingBox(d.geometry);
    if (!b) return false;
    const cx = b.left + b.width / 2;
    const cy = b.top + b.height / 2;
    return cx >= box.left && cx <= box.left + box.width && cy >= box.top && cy <= box.top + box.height;
  };
  return [...found.filter(inside), ...found.filter((d) => !inside(d))];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
