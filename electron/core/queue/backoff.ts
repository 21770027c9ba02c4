/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of
 * many jobs that failed together (a vendor outage) spread out instead of arriving in waves.
 * A server's Retry-After is a floor.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

export function backoffDelay(
  attempt: number, // 1 for the first retry
  opts: BackoffOptions,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const delay = exp / 2 + (random() * exp) / 2;
  return Math.max(Math.round(delay), retryAfterMs ?? 0);
}
