import { sleep } from './sleep';

export interface TokenBucketOptions {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /**
   * Tokens that may accumulate while idle. Default 1: requests leave evenly spaced, which never
   * trips a vendor whose own window is stricter than a second (bursts buy nothing here: the
   * vendor's limit is on the sustained rate).
   */
  burst?: number;
  /** Clock in ms (tests and benches may pass their own monotonic clock). */
  now?: () => number;
}

/**
 * A token bucket: `take()` resolves when the caller may send one request. Waiters are served
 * in arrival order, each reserving its slot up front, so concurrent callers never race.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly intervalMs: number;
  /** The moment the next token becomes available (may lie in the past when idle). */
  private nextFreeAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RangeError(`Rate limit must be a positive number of requests per second, got ${options.ratePerSecond}`);
    }
    this.ratePerSecond = options.ratePerSecond;
    this.burst = Math.max(1, Math.floor(options.burst ?? 1));
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = 1000 / options.ratePerSecond;
    this.nextFreeAt = this.now() - this.burst * this.intervalMs;
  }

  /** No slot before `at` (the vendor asked us to wait until then). */
  holdUntil(at: number): void {
    this.nextFreeAt = Math.max(this.nextFreeAt, at);
  }

  /** Reserves the next slot and waits for it. Rejects with CANCELLED if `signal` aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    // Idle time refills at most `burst` tokens.
    const earliest = now - (this.burst - 1) * this.intervalMs;
    const slot = Math.max(this.nextFreeAt, earliest);
    this.nextFreeAt = slot + this.intervalMs;
    let wait = slot - now;
    // Timers run on libuv's millisecond loop clock and may fire up to a millisecond before the
    // moment asked for on this (sub-millisecond) clock: wait out any remainder, so a request
    // never leaves before its slot. Bounded, in case a caller's clock stands still.
    for (let tries = 0; wait > 0 && tries < 4; tries++) {
      try {
        await sleep(Math.ceil(wait), signal);
      } catch (err) {
        // Give the slot back only if nobody reserved after us; otherwise leave the gap.
        if (this.nextFreeAt === slot + this.intervalMs) this.nextFreeAt = slot;
        throw err;
      }
      wait = slot - this.now();
    }
  }
}
