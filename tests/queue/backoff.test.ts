import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../electron/core/queue/backoff';
import { optionsKey } from '../../electron/core/queue/options-key';
import { mulberry32 } from './support/samples';

describe('backoff with jitter', () => {
  const opts = { baseMs: 1000, maxMs: 30_000 };
  it('doubles per attempt, half fixed and half random, capped, with Retry-After as a floor', () => {
    const random = mulberry32(42);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const exp = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      const seen = Array.from({ length: 200 }, () => backoffDelay(attempt, opts, random));
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(exp / 2);
      expect(Math.max(...seen)).toBeLessThanOrEqual(exp);
      // Spread out, not one value: retries of jobs that failed together do not arrive together.
      expect(new Set(seen).size).toBeGreaterThan(100);
    }
    expect(backoffDelay(1, opts, () => 0, 20_000)).toBe(20_000);
    expect(backoffDelay(1, opts, () => 1, 10)).toBe(1000);
  });

  it('options key ignores key order at every level', () => {
    expect(optionsKey({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(optionsKey({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(optionsKey(undefined)).toBe('{}');
    expect(optionsKey({ a: 1 })).not.toBe(optionsKey({ a: 2 }));
  });
});
