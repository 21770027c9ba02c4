import { describe, expect, it } from 'vitest';
import { gridMove } from './grid-keys';

describe('gridMove', () => {
  it('moves by one card sideways and by a row up and down', () => {
    expect(gridMove('ArrowRight', 6, 100, 5, 20)).toBe(7);
    expect(gridMove('ArrowLeft', 6, 100, 5, 20)).toBe(5);
    expect(gridMove('ArrowDown', 6, 100, 5, 20)).toBe(11);
    expect(gridMove('ArrowUp', 6, 100, 5, 20)).toBe(1);
  });
  it('jumps by a screen and to the ends', () => {
    expect(gridMove('PageDown', 6, 100, 5, 20)).toBe(26);
    expect(gridMove('Home', 6, 100, 5, 20)).toBe(0);
    expect(gridMove('End', 6, 100, 5, 20)).toBe(99);
  });
  it('stays inside the list', () => {
    expect(gridMove('ArrowUp', 2, 100, 5, 20)).toBe(0);
    expect(gridMove('ArrowDown', 98, 100, 5, 20)).toBe(99);
    expect(gridMove('PageUp', 3, 100, 5, 20)).toBe(0);
  });
  it('ignores other keys and empty grids', () => {
    expect(gridMove('a', 0, 100, 5, 20)).toBeNull();
    expect(gridMove('ArrowDown', 0, 0, 5, 20)).toBeNull();
  });
});
