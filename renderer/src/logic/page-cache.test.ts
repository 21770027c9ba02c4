import { describe, expect, it } from 'vitest';
import { BlockCache, blocksForRange, columnsFor } from './page-cache';

describe('blocksForRange', () => {
  it('lists every block touching the visible range', () => {
    expect(blocksForRange(0, 10, 10_000, 200)).toEqual([0]);
    expect(blocksForRange(190, 410, 10_000, 200)).toEqual([0, 1, 2]);
  });
  it('stays inside the list', () => {
    expect(blocksForRange(9_950, 10_100, 10_000, 200)).toEqual([49]);
    expect(blocksForRange(-5, 3, 10, 200)).toEqual([0]);
    expect(blocksForRange(0, 10, 0, 200)).toEqual([]);
  });
});

describe('BlockCache', () => {
  it('returns items by absolute index', () => {
    const c = new BlockCache<number>(3);
    c.put(1, [30, 40, 50]);
    expect(c.get(4)).toBe(40);
    expect(c.get(0)).toBeUndefined();
    expect(c.has(1)).toBe(true);
  });
  it('drops the oldest blocks beyond its limit', () => {
    const c = new BlockCache<number>(2, 2);
    c.put(0, [1, 2]);
    c.put(1, [3, 4]);
    c.put(2, [5, 6]);
    expect(c.has(0)).toBe(false);
    expect(c.get(5)).toBe(6);
  });
  it('updates one entry in place', () => {
    const c = new BlockCache<{ id: number; n: number }>(2);
    c.put(0, [{ id: 1, n: 0 }, { id: 2, n: 0 }]);
    c.update((x) => x.id === 2, (x) => ({ ...x, n: 5 }));
    expect(c.get(1)).toEqual({ id: 2, n: 5 });
  });
});

describe('columnsFor', () => {
  it('fits as many cards as the width allows, at least one', () => {
    expect(columnsFor(1000, 180, 12)).toBe(5);
    expect(columnsFor(100, 180, 12)).toBe(1);
    expect(columnsFor(0, 180, 12)).toBe(1);
  });
});
