import { describe, expect, it } from 'vitest';
import { boxFromDrag, visibleBox } from './manual-box';

const page = { width: 2000, height: 1000 };

describe('boxFromDrag', () => {
  it('maps a drag on screen to page pixels at the view, whichever way it was dragged', () => {
    const view = { zoom: 0.5, panX: 100, panY: 20 };
    const box = { left: 200, top: 60, width: 400, height: 200 };
    expect(boxFromDrag({ x: 200, y: 50 }, { x: 400, y: 150 }, view, page)).toEqual(box);
    expect(boxFromDrag({ x: 400, y: 150 }, { x: 200, y: 50 }, view, page)).toEqual(box);
  });

  it('cuts the box to the page and refuses a click or a box off the page', () => {
    const view = { zoom: 1, panX: 0, panY: 0 };
    expect(boxFromDrag({ x: -50, y: -50 }, { x: 100, y: 80 }, view, page)).toEqual({ left: 0, top: 0, width: 100, height: 80 });
    expect(boxFromDrag({ x: 1900, y: 900 }, { x: 2500, y: 1400 }, view, page)).toEqual({ left: 1900, top: 900, width: 100, height: 100 });
    expect(boxFromDrag({ x: 10, y: 10 }, { x: 12, y: 40 }, view, page)).toBeNull();
    expect(boxFromDrag({ x: 2100, y: 10 }, { x: 2300, y: 400 }, view, page)).toBeNull();
  });
});

describe('visibleBox', () => {
  it('is the part of the page in view, or the whole page', () => {
    expect(visibleBox({ zoom: 2, panX: -1000, panY: -500 }, { width: 800, height: 600 }, page)).toEqual({ left: 500, top: 250, width: 400, height: 300 });
    expect(visibleBox({ zoom: 0.25, panX: 50, panY: 50 }, { width: 800, height: 600 }, page)).toEqual({ left: 0, top: 0, width: 2000, height: 1000 });
    expect(visibleBox({ zoom: 1, panX: 5000, panY: 0 }, { width: 800, height: 600 }, page)).toEqual({ left: 0, top: 0, width: 2000, height: 1000 });
  });
});
