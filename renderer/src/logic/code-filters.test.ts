import { describe, expect, it } from 'vitest';
import { rowMove, shownValue, withFilter } from './code-filters';

describe('results table logic', () => {
  it('shows the corrected value when there is one, and masks an ID number', () => {
    expect(shownValue({ text: 'ABC-1', correctedText: null, personal: false })).toBe('ABC-1');
    expect(shownValue({ text: 'ABC-1', correctedText: 'ABC-7', personal: false })).toBe('ABC-7');
    expect(shownValue({ text: '440305199001021234', correctedText: null, personal: true })).toBe('440***********1234');
  });

  it('moves between rows with the arrow, page and Home/End keys, never past either end', () => {
    expect(rowMove('ArrowDown', 0, 10, 4)).toBe(1);
    expect(rowMove('ArrowDown', 9, 10, 4)).toBe(9);
    expect(rowMove('ArrowUp', 0, 10, 4)).toBe(0);
    expect(rowMove('PageDown', 8, 10, 4)).toBe(9);
    expect(rowMove('PageUp', 5, 10, 4)).toBe(1);
    expect(rowMove('End', 2, 10, 4)).toBe(9);
    expect(rowMove('Home', 7, 10, 4)).toBe(0);
    expect(rowMove('a', 3, 10, 4)).toBeNull();
    expect(rowMove('ArrowDown', 0, 0, 4)).toBeNull();
  });

  it('sets and clears one filter without touching the others', () => {
    const f = withFilter({ engine: 'local' }, 'symbology', 'EAN-13');
    expect(f).toEqual({ engine: 'local', symbology: 'EAN-13' });
    expect(withFilter(f, 'engine', '')).toEqual({ symbology: 'EAN-13' });
  });
});
