import { describe, expect, it } from 'vitest';
import { rectGeometry, NO_GEOMETRY } from '../../../shared/geometry';
import {
  MAX_ZOOM,
  MIN_ZOOM,
  clampZoom,
  fitView,
  labelAnchor,
  outlineOnScreen,
  panBy,
  parseSvgPoints,
  revealPoints,
  svgPoints,
  toPage,
  toScreen,
  wheelZoomFactor,
  zoomAt,
} from './view-geometry';

describe('fitView', () => {
  it('fits a landscape page by width and centres it vertically', () => {
    const v = fitView({ width: 2000, height: 1000 }, { width: 1032, height: 800 }, 16);
    expect(v.zoom).toBeCloseTo(0.5);
    expect(v.panX).toBeCloseTo(16);
    expect(v.panY).toBeCloseTo((800 - 500) / 2);
  });

  it('fits a portrait page by height and centres it horizontally', () => {
    const v = fitView({ width: 600, height: 1200 }, { width: 1000, height: 632 }, 16);
    expect(v.zoom).toBeCloseTo(0.5);
    expect(v.panY).toBeCloseTo(16);
    expect(v.panX).toBeCloseTo((1000 - 300) / 2);
  });

  it('enlarges a small page to fill the viewport', () => {
    const v = fitView({ width: 100, height: 100 }, { width: 432, height: 432 }, 16);
    expect(v.zoom).toBeCloseTo(4);
  });

  it('returns the identity view for empty sizes instead of NaN', () => {
    expect(fitView({ width: 0, height: 10 }, { width: 100, height: 100 })).toEqual({ zoom: 1, panX: 0, panY: 0 });
    expect(fitView({ width: 10, height: 10 }, { width: 0, height: 0 })).toEqual({ zoom: 1, panX: 0, panY: 0 });
  });
});

describe('screen/page conversion', () => {
  const v = { zoom: 2.5, panX: 30, panY: -12 };

  it('maps page pixels to screen pixels and back', () => {
    const s = toScreen({ x: 100, y: 40 }, v);
    expect(s).toEqual({ x: 280, y: 88 });
    const p = toPage(s, v);
    expect(p.x).toBeCloseTo(100);
    expect(p.y).toBeCloseTo(40);
  });

  it('keeps the page pixel under the cursor fixed while zooming', () => {
    const anchor = { x: 300, y: 200 };
    const before = toPage(anchor, v);
    const z = zoomAt(v, 1.25, anchor);
    expect(z.zoom).toBeCloseTo(3.125);
    const after = toPage(anchor, z);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('clamps the zoom to its limits', () => {
    expect(zoomAt(v, 1000, { x: 0, y: 0 }).zoom).toBe(MAX_ZOOM);
    expect(zoomAt(v, 0.00001, { x: 0, y: 0 }).zoom).toBe(MIN_ZOOM);
    expect(clampZoom(Number.NaN)).toBe(1);
  });

  it('pans by screen pixels', () => {
    expect(panBy(v, 5, -5)).toEqual({ zoom: 2.5, panX: 35, panY: -17 });
  });

  it('turns wheel deltas into zoom factors: up zooms in, down zooms out, bounded', () => {
    expect(wheelZoomFactor(-100)).toBeCloseTo(1.25);
    expect(wheelZoomFactor(100)).toBeCloseTo(0.8);
    expect(wheelZoomFactor(-100000)).toBeCloseTo(Math.pow(1.25, 5));
  });
});

describe('outlines', () => {
  const v = { zoom: 0.5, panX: 10, panY: 20 };

  it('scales quad corners in their order', () => {
    const quad = { kind: 'quad' as const, points: [{ x: 10, y: 0 }, { x: 110, y: 10 }, { x: 100, y: 110 }, { x: 0, y: 100 }] };
    expect(outlineOnScreen(quad, v)).toEqual([
      { x: 15, y: 20 },
      { x: 65, y: 25 },
      { x: 60, y: 75 },
      { x: 10, y: 70 },
    ]);
  });

  it('draws a rect as its four corners', () => {
    expect(outlineOnScreen(rectGeometry(100, 200, 40, 20), v)).toEqual([
      { x: 60, y: 120 },
      { x: 80, y: 120 },
      { x: 80, y: 130 },
      { x: 60, y: 130 },
    ]);
  });

  it('gives nothing to draw when the engine gave no position', () => {
    expect(outlineOnScreen(NO_GEOMETRY, v)).toBeNull();
  });

  it('writes and reads SVG points text', () => {
    const text = svgPoints([{ x: 1.234, y: 5 }, { x: 10, y: 20.005 }]);
    expect(text).toBe('1.23,5 10,20.01');
    expect(parseSvgPoints(text)).toEqual([{ x: 1.23, y: 5 }, { x: 10, y: 20.01 }]);
  });

  it('anchors a label at the top-left of the outline', () => {
    expect(labelAnchor([{ x: 5, y: 9 }, { x: 3, y: 2 }, { x: 1, y: 2 }])).toEqual({ x: 1, y: 2 });
    // A slightly tilted code: the top-right corner is 2 px higher, the label still goes left.
    expect(labelAnchor([{ x: 10, y: 12 }, { x: 200, y: 10 }, { x: 202, y: 200 }, { x: 12, y: 202 }])).toEqual({ x: 10, y: 10 });
    // A code turned 45 degrees: its top corner is the only top.
    expect(labelAnchor([{ x: 100, y: 0 }, { x: 200, y: 100 }, { x: 100, y: 200 }, { x: 0, y: 100 }])).toEqual({ x: 100, y: 0 });
    expect(labelAnchor([])).toBeNull();
  });

  it('pans to reveal an off-screen detection and leaves a visible one alone', () => {
    const view = { zoom: 1, panX: 0, panY: 0 };
    const vp = { width: 400, height: 300 };
    const visible = [{ x: 100, y: 100 }, { x: 150, y: 150 }];
    expect(revealPoints(view, visible, vp)).toBe(view);
    const off = [{ x: 900, y: 100 }, { x: 1000, y: 200 }];
    const moved = revealPoints(view, off, vp);
    const centre = toScreen({ x: 950, y: 150 }, moved);
    expect(centre.x).toBeCloseTo(200);
    expect(centre.y).toBeCloseTo(150);
  });
});
