import { ScanError } from '../../errors';
import { sleep } from './sleep';

export interface RetryOptions {
  /** Total attempts including the first. Default 5. */
  maxAttempts?: number;
  /** Backoff cap for attempt n is min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** [0,1) source for the jitter; pass a seeded one in tests. */
  random?: () => number;
  signal?: AbortSignal;
  /** Told about each retry (for logs: the error message is already secret-free). */
  onRetry?: (info: { attempt: number; delayMs: number; error: ScanError }) => void;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): delay = random(0, min(cap, base * 2^attempt)), never earlier than the vendor's
 * Retry-After. Only ScanErrors of class `retry` are retried. When attempts run out the last
 * error is rethrown as `final` for this item, so the runner records it and moves on.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof ScanError) || err.errorClass !== 'retry') throw err;
      if (attempt >= maxAttempts) {
        throw new ScanError(err.code, `${err.message} (gave up after ${attempt} attempts)`, {
          cause: err,
          errorClass: 'final',
        });
      }
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      const delayMs = Math.max(err.retryAfterMs ?? 0, Math.floor(random() * ceiling));
      options.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Mulberry32: a tiny seeded PRNG, so jitter and injected faults are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
