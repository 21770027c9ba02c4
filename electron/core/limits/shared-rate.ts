import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Rate limits and stops shared by every worker of a queue. A vendor account's limit (say 5
 * requests/s) holds for the account, not per process: with a shared limiter, each vendor call
 * first takes a slot from one bucket per vendor operation kept in the queue's database (store/pg/
 * rate-buckets.ts), so five workers together stay under it; a Retry-After seen by one holds them
 * all, including calls already waiting for a slot; and once one worker's auth or quota failure
 * has stopped the engine for a batch, no worker sends another call for that batch.
 *
 * The runner runs each job inside `withSharedLimits(limiter, ..., scope)` (as it meters usage),
 * and VendorCaller asks `sharedLimiter()`: vendor clients need no new parameter, and a desk on
 * its own SQLite file has none (its in-process buckets and latch are the only limit).
 */
export interface SharedRateLimiter {
  /**
   * Waits for the next slot of `key` at `ratePerSecond` across every process. With a scope,
   * rejects with the stop's own error (class stop-engine) when the engine is stopped for the
   * scope's batch, before or at the end of the wait: no call goes out after a stop.
   */
  take(key: string, ratePerSecond: number, signal?: AbortSignal, scope?: LimitScope): Promise<void>;
  /** No slot of `key` for anyone before `ms` from now (the vendor asked to wait). */
  holdFor(key: string, ms: number): Promise<void>;
}

/** The job a call is made for: its batch and engine (a stop holds per batch and engine). */
export interface LimitScope {
  batchId: number;
  engine: string;
}

const context = new AsyncLocalStorage<{ limiter: SharedRateLimiter; scope: LimitScope | undefined }>();

export function withSharedLimits<T>(limiter: SharedRateLimiter | undefined, fn: () => Promise<T>, scope?: LimitScope): Promise<T> {
  return limiter ? context.run({ limiter, scope }, fn) : fn();
}

/** The shared limiter of the job running here, bound to its scope (none outside a shared queue). */
export function sharedLimiter(): SharedRateLimiter | undefined {
  const c = context.getStore();
  if (!c) return undefined;
  return {
    take: (key, rate, signal) => c.limiter.take(key, rate, signal, c.scope),
    holdFor: (key, ms) => c.limiter.holdFor(key, ms),
  };
}
