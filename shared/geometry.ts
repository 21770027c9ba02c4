/**
 * Where a detection sits on its page, in pixels of the page as a person sees it
 * (after EXIF orientation, before any resizing an engine needed).
 *
 * Engines answer in four shapes; all of them normalize to this one:
 * - `quad`: four corners, clockwise from the code's own top-left (TL, TR, BR, BL);
 * - `rect`: an axis-aligned box, stored as its four corners in the same order;
 * - `none`: the engine found the code but gave no position (`points` is empty).
 */
export interface Point {
  x: number;
  y: number;
}

export type GeometryKind = 'quad' | 'rect' | 'none';

export interface Geometry {
  kind: GeometryKind;
  points: Point[];
}

export const NO_GEOMETRY: Geometry = Object.freeze({ kind: 'none', points: [] }) as Geometry;

export function rectGeometry(left: number, top: number, width: number, height: number): Geometry {
  return {
    kind: 'rect',
    points: [
      { x: left, y: top },
      { x: left + width, y: top },
      { x: left + width, y: top + height },
      { x: left, y: top + height },
    ],
  };
}

/** Scales every point; used to map positions from a resized copy back to the page. */
export function scaleGeometry(g: Geometry, factor: number): Geometry {
  if (g.kind === 'none' || factor === 1) return g;
  return { kind: g.kind, points: g.points.map((p) => ({ x: p.x * factor, y: p.y * factor })) };
}

/** The smallest axis-aligned box around a geometry, or null when it has no position. */
export function boundingBox(g: Geometry): { left: number; top: number; width: number; height: number } | null {
  if (g.kind === 'none' || g.points.length === 0) return null;
  const xs = g.points.map((p) => p.x);
  const ys = g.points.map((p) => p.y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top };
}
