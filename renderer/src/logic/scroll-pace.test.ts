import { describe, expect, it } from 'vitest';
import { ScrollPace } from './scroll-pace';

/** Positions every `frameMs` at `pxPerSecond`, from `t0`. */
function scroll(p: ScrollPace, t0: number, ms: number, pxPerSecond: number, frameMs = 16): number {
  let t = t0;
  for (; t <= t0 + ms; t += frameMs) p.note((t * pxPerSecond) / 1000, t);
  return t - frameMs;
}

describe('ScrollPace', () => {
  it('calls a fling a fling and a reading pace reading', () => {
    const fling = new ScrollPace(3000);
    const t = scroll(fling, 1000, 500, 7200);
    expect(fling.speed(t)).toBeGreaterThan(6000);
    expect(fling.flinging(t)).toBe(true);

    const reading = new ScrollPace(3000);
    const u = scroll(reading, 1000, 500, 1200);
    expect(reading.speed(u)).toBeGreaterThan(1000);
    expect(reading.speed(u)).toBeLessThan(1500);
    expect(reading.flinging(u)).toBe(false);
  });

  it('is still once nothing moved for its window', () => {
    const p = new ScrollPace(3000, 150);
    const t = scroll(p, 0, 400, 9000);
    expect(p.flinging(t)).toBe(true);
    expect(p.flinging(t + 200)).toBe(false);
    expect(p.speed(t + 200)).toBe(0);
  });

  it('sees a fling slow down', () => {
    const p = new ScrollPace(3000, 150);
    const t = scroll(p, 0, 400, 9000);
    // Then 300 ms at 500 px/s from where the fling stopped.
    let at = t;
    const base = (t * 9000) / 1000;
    for (let i = 1; i <= 18; i++) p.note(base + (i * 16 * 500) / 1000, (at += 16));
    expect(p.flinging(at)).toBe(false);
  });

  it('has no speed before any scroll', () => {
    expect(new ScrollPace().speed(100)).toBe(0);
  });

  it('holds deferred work during a fling and runs it once the fling is over', () => {
    const p = new ScrollPace(3000, 150);
    const t = scroll(p, 0, 400, 9000);
    const ran: string[] = [];
    p.defer(() => ran.push('a'));
    const cancel = p.defer(() => ran.push('b'));
    cancel();
    expect(p.release(t)).toBe(false);
    expect(ran).toEqual([]);
    expect(p.waitingCount).toBe(1);
    expect(p.release(t + 200)).toBe(true);
    expect(ran).toEqual(['a']);
    expect(p.waitingCount).toBe(0);
  });
});
