/** When two engines' detections are one code, and when they disagree (shared/merge.ts). */
import { describe, expect, it } from 'vitest';
import { rectGeometry, NO_GEOMETRY } from '../../shared/geometry';
import { planMerge, samePlace } from '../../shared/merge';

const at = (x: number, y: number) => rectGeometry(x, y, 100, 100);

describe('planMerge', () => {
  it('merges the same value at the same place from another engine, once per engine', () => {
    const plan = planMerge([
      { id: 1, engine: 'local', text: 'A', geometry: at(0, 0) },
      { id: 2, engine: 'local', text: 'A', geometry: at(500, 0) }, // the same value twice on the page
      { id: 3, engine: 'wechat', text: 'A', geometry: at(10, 5) },
      { id: 4, engine: 'wechat', text: 'A', geometry: at(505, 0) },
      { id: 5, engine: 'tencent', text: 'A', geometry: NO_GEOMETRY }, // no position: the value decides
    ]);
    expect([...plan.mergedInto]).toEqual([
      [3, 1],
      [4, 2],
      [5, 1],
    ]);
    expect(plan.disagreeing.size).toBe(0);
  });

  it('keeps another value at the same place apart and marks both; another place is another code', () => {
    const plan = planMerge([
      { id: 1, engine: 'local', text: '4006381333931', geometry: at(0, 0) },
      { id: 2, engine: 'tencent', text: '4006381333932', geometry: at(8, 8) },
      { id: 3, engine: 'tencent', text: 'B', geometry: at(400, 400) },
      { id: 4, engine: 'tencent', text: 'C', geometry: at(405, 405) }, // one engine's two codes overlap: not a disagreement
    ]);
    expect(plan.mergedInto.size).toBe(0);
    expect([...plan.disagreeing].sort()).toEqual([1, 2]);
  });

  it('calls boxes the same place when they overlap by half of the smaller one', () => {
    expect(samePlace(at(0, 0), at(40, 0))).toBe(true);
    expect(samePlace(at(0, 0), at(60, 0))).toBe(false);
    expect(samePlace(at(0, 0), rectGeometry(10, 10, 20, 20))).toBe(true);
  });
});
