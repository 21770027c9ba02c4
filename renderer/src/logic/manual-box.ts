import type { Point } from '../../../shared/geometry';
import { toPage, type Size, type View } from './view-geometry';

/** A box on the page, in page pixels (where detections are stored). */
export interface PageBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Smallest box side worth storing (page pixels): a click without a drag is not a box. */
export const MIN_BOX = 4;

/**
 * The page box a drag from `a` to `b` (screen pixels of the stage) covers, at the current view,
 * cut to the page and rounded to whole pixels; null when it is smaller than MIN_BOX either way
 * (or off the page).
 */
export function boxFromDrag(a: Point, b: Point, view: View, page: Size): PageBox | null {
  const p = toPage(a, view);
  const q = toPage(b, view);
  const left = Math.round(Math.max(0, Math.min(p.x, q.x)));
  const top = Math.round(Math.max(0, Math.min(p.y, q.y)));
  const right = Math.round(Math.min(page.width, Math.max(p.x, q.x)));
  const bottom = Math.round(Math.min(page.height, Math.max(p.y, q.y)));
  if (right - left < MIN_BOX || bottom - top < MIN_BOX) return null;
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * The part of the page in view: where a box starts when it is drawn from the keyboard (the
 * reviewer zooms and pans onto the code, presses B and types the value). The whole page when
 * nothing is in view.
 */
export function visibleBox(view: View, viewport: Size, page: Size): PageBox {
  const whole = { left: 0, top: 0, width: page.width, height: page.height };
  return boxFromDrag({ x: 0, y: 0 }, { x: viewport.width, y: viewport.height }, view, page) ?? whole;
}
