import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Rate limits shared by every worker of a queue. A vendor account's limit (say 5 requests/s)
 * holds for the account, not per process: with a shared limiter, each vendor call first takes
 * a slot from one bucket per vendor operation kept in the queue's database (store/pg/
 * rate-buckets.ts), so five workers together stay under it, and a Retry-After seen by one
 * holds them all.
 *
 * The runner runs each job inside `withSharedLimits(limiter, ...)` (as it meters usage), and
 * VendorCaller asks `sharedLimiter()`: vendor clients need no new parameter, and a desk on its
 * own SQLite file has none (its in-process buckets are the only limit).
 */
export interface SharedRateLimiter {
  /** Waits for the next slot of `key` at `ratePerSecond` across every process. */
  take(key: string, ratePerSecond: number, signal?: AbortSignal): Promise<void>;
  /** No slot of `key` for anyone before `ms` from now (the vendor asked to wait). */
  holdFor(key: string, ms: number): Promise<void>;
}

const context = new AsyncLocalStorage<SharedRateLimiter>();

export function withSharedLimits<T>(limiter: SharedRateLimiter | undefined, fn: () => Promise<T>): Promise<T> {
  return limiter ? context.run(limiter, fn) : fn();
}

export function sharedLimiter(): SharedRateLimiter | undefined {
  return context.getStore();
}
