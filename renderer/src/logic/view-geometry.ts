import type { Geometry, Point } from '../../../shared/geometry';

/**
 * How a page is shown in the review view: a page pixel p lands at `p * zoom + pan` in CSS
 * pixels of the viewport. Every conversion between page pixels (where detections are stored)
 * and screen pixels (where outlines are drawn) goes through this module, so the drawing code
 * holds no arithmetic and the e2e test can check the outcome against the real <img> box.
 */
export interface Size {
  width: number;
  height: number;
}

export interface View {
  zoom: number;
  panX: number;
  panY: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 16;
/** One +/- key press or wheel notch multiplies the zoom by this. */
export const ZOOM_STEP = 1.25;

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom) || zoom <= 0) return 1;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The whole page, centred, as large as fits inside the viewport less a margin. */
export function fitView(page: Size, viewport: Size, margin = 16): View {
  if (page.width <= 0 || page.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
    return { zoom: 1, panX: 0, panY: 0 };
  }
  const availW = Math.max(1, viewport.width - 2 * margin);
  const availH = Math.max(1, viewport.height - 2 * margin);
  const zoom = clampZoom(Math.min(availW / page.width, availH / page.height));
  return {
    zoom,
    panX: (viewport.width - page.width * zoom) / 2,
    panY: (viewport.height - page.height * zoom) / 2,
  };
}

export function toScreen(p: Point, v: View): Point {
  return { x: p.x * v.zoom + v.panX, y: p.y * v.zoom + v.panY };
}

export function toPage(p: Point, v: View): Point {
  return { x: (p.x - v.panX) / v.zoom, y: (p.y - v.panY) / v.zoom };
}

/** Zooms by `factor` keeping the page pixel under `anchor` (screen px) where it is. */
export function zoomAt(v: View, factor: number, anchor: Point): View {
  const zoom = clampZoom(v.zoom * factor);
  const under = toPage(anchor, v);
  return { zoom, panX: anchor.x - under.x * zoom, panY: anchor.y - under.y * zoom };
}

export function panBy(v: View, dx: number, dy: number): View {
  return { zoom: v.zoom, panX: v.panX + dx, panY: v.panY + dy };
}

/** Wheel deltas vary by device; one notch (~100 px) maps to one ZOOM_STEP. */
export function wheelZoomFactor(deltaY: number): number {
  const notches = Math.max(-5, Math.min(5, -deltaY / 100));
  return Math.pow(ZOOM_STEP, notches);
}

/**
 * The outline of a detection in screen pixels, or null when the engine gave no position.
 * A rect is stored as four corners already, so quads and rects draw the same way.
 */
export function outlineOnScreen(g: Geometry, v: View): Point[] | null {
  if (g.kind === 'none' || g.points.length < 2) return null;
  return g.points.map((p) => toScreen(p, v));
}

/** SVG `points` attribute text, rounded to 0.01 px (well under the 1 px the eye can see). */
export function svgPoints(points: readonly Point[]): string {
  return points.map((p) => `${round2(p.x)},${round2(p.y)}`).join(' ');
}

export function parseSvgPoints(text: string): Point[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const [x, y] = pair.split(',').map(Number);
      return { x: x ?? NaN, y: y ?? NaN };
    });
}

/**
 * Where to put a detection's label: above its top edge, at the left. Corners within a few
 * pixels of the top-most one count as "top" (a nearly level code tilts by a pixel or two), and
 * of those the left-most wins, so labels read from the code's top-left like the eye expects.
 */
export function labelAnchor(points: readonly Point[], slack = 8): Point | null {
  if (points.length === 0) return null;
  const top = Math.min(...points.map((p) => p.y));
  let best: Point | null = null;
  for (const p of points) {
    if (p.y <= top + slack && (!best || p.x < best.x)) best = p;
  }
  return best ? { x: best.x, y: top } : null;
}

/**
 * The pan that brings a detection's centre into view without changing the zoom, or the
 * same view when it is already comfortably visible (so Tab through codes does not jump).
 */
export function revealPoints(v: View, points: readonly Point[], viewport: Size, margin = 24): View {
  if (points.length === 0) return v;
  const screen = points.map((p) => toScreen(p, v));
  const xs = screen.map((p) => p.x);
  const ys = screen.map((p) => p.y);
  const inside =
    Math.min(...xs) >= margin &&
    Math.min(...ys) >= margin &&
    Math.max(...xs) <= viewport.width - margin &&
    Math.max(...ys) <= viewport.height - margin;
  if (inside) return v;
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  return panBy(v, viewport.width / 2 - cx, viewport.height / 2 - cy);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
