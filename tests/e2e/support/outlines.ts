import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ItemDetail } from '../../../shared/batch';

/** What the review view drew: the page image's box and every outline, in overlay pixels. */
export interface DrawnOutlines {
  img: { left: number; top: number; width: number; height: number };
  polygons: { id: number; engine: string | null; points: { x: number; y: number }[] }[];
}

/** Waits for the review view to show `itemId`, then reads the image box and the SVG outlines. */
export async function readOutlines(page: Page, itemId: number): Promise<DrawnOutlines> {
  await page.waitForSelector(`[data-testid=review][data-item-id="${itemId}"][data-ready=true]`);
  // Runs in the page (a string: tests are type-checked without DOM types).
  return (await page.evaluate(`(() => {
    const img = document.querySelector('[data-testid=page-image]');
    const svg = document.querySelector('[data-testid=overlay]');
    const ir = img.getBoundingClientRect();
    const sr = svg.getBoundingClientRect();
    return {
      img: { left: ir.left - sr.left, top: ir.top - sr.top, width: ir.width, height: ir.height },
      polygons: Array.from(document.querySelectorAll('[data-testid=outline]')).map((p) => ({
        id: Number(p.getAttribute('data-detection-id')),
        engine: p.getAttribute('data-engine'),
        points: Array.from(p.points).map((pt) => ({ x: pt.x, y: pt.y })),
      })),
    };
  })()`)) as DrawnOutlines;
}

/**
 * Exactly the `expected` detections are outlined, each by its own engine, every corner within
 * 1 px of its stored page point scaled to the displayed image. Returns how many were checked.
 */
export function expectOutlinesAtStoredPoints(drawn: DrawnOutlines, item: ItemDetail, expected: ItemDetail['detections']): number {
  expect(item.width).toBeGreaterThan(0);
  const sx = drawn.img.width / (item.width as number);
  const sy = drawn.img.height / (item.height as number);
  expect(drawn.polygons.map((p) => p.id).sort()).toEqual(expected.map((d) => d.id).sort());
  for (const d of expected) {
    const poly = drawn.polygons.find((p) => p.id === d.id);
    expect(poly?.engine).toBe(d.engine);
    expect(poly?.points.length).toBe(d.geometry.points.length);
    d.geometry.points.forEach((pt, i) => {
      const got = poly?.points[i] ?? { x: NaN, y: NaN };
      expect(Math.abs(got.x - (drawn.img.left + pt.x * sx)), `detection ${d.id} corner ${i} x`).toBeLessThanOrEqual(1);
      expect(Math.abs(got.y - (drawn.img.top + pt.y * sy)), `detection ${d.id} corner ${i} y`).toBeLessThanOrEqual(1);
    });
  }
  return expected.length;
}
