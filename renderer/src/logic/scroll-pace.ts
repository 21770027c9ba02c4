/**
 * How fast a list is scrolling, from the scroll positions it reported. The grid asks for a
 * page's thumbnail only once the scroll has slowed to a reading pace: during a fling every card
 * flown past would otherwise cost a thumbnail render in the host (sharp), a resource request,
 * an image decode and a repaint, all for a card on screen for a few frames. That work, not
 * anything in the grid itself, is what made a fling through a large, not yet seen batch cost
 * more per frame than one through a small batch whose thumbnails were all in memory
 * (bench/ui.ts; issue 9).
 */
export class ScrollPace {
  private samples: Array<{ at: number; offset: number }> = [];
  /** Work held back until the fling is over (see defer/release). */
  private readonly waiting = new Set<() => void>();

  constructor(
    /** Faster than this (px/s) is a fling, not reading. */
    readonly flingPxPerSecond = 3000,
    /** Speed is measured over this many milliseconds of recent positions. */
    readonly windowMs = 150,
  ) {}

  /** Records the scroll position at `at` (ms, performance.now()). */
  note(offset: number, at: number): void {
    this.samples.push({ at, offset });
    // Keep the window and the one position before it (the start of the first move in it).
    while (this.samples.length > 2 && (this.samples[1] as { at: number }).at < at - this.windowMs) this.samples.shift();
  }

  /** Pixels per second over the recent window (0 once the scroll has been still for that long). */
  speed(now: number): number {
    const i = this.samples.findIndex((s) => s.at >= now - this.windowMs);
    if (i < 0) return 0;
    const from = this.samples[Math.max(0, i - 1)] as { at: number; offset: number };
    const last = this.samples[this.samples.length - 1] as { at: number; offset: number };
    if (last.at <= from.at) return 0;
    return (Math.abs(last.offset - from.offset) * 1000) / (last.at - from.at);
  }

  /** Whether the list is being flung (too fast to read): thumbnails wait. */
  flinging(now: number): boolean {
    return this.speed(now) > this.flingPxPerSecond;
  }

  /**
   * Holds `run` until release() finds the list no longer flung; returns a cancel (for a card
   * that unmounts first). One check for every waiting card, not a timer per card.
   */
  defer(run: () => void): () => void {
    this.waiting.add(run);
    return () => this.waiting.delete(run);
  }

  /** How many deferred runs wait. */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Runs (and forgets) every deferred run if the list is not flung at `now`; answers whether it did. */
  release(now: number): boolean {
    if (this.flinging(now)) return false;
    const runs = [...this.waiting];
    this.waiting.clear();
    for (const run of runs) run();
    return true;
  }
}
