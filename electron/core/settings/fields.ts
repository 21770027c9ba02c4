import { z } from 'zod';

/**
 * The building blocks of every vendor's settings schema (each vendor's folder composes its own
 * from these): rates, concurrency, timeouts and endpoint URLs, with the same bounds everywhere.
 */
export const rate = z.number().positive().max(1000);
export const concurrency = z.number().int().min(1).max(32);
export const timeoutMs = z.number().int().min(1000).max(600_000);

/** An http(s) base URL without credentials, query or fragment. */
export const baseUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without user, password, query or fragment');

/** Requests per second for each named operation (each optional: the vendor's default otherwise). */
export function rateLimits<const K extends string>(operations: readonly K[]) {
  return z
    .object(Object.fromEntries(operations.map((op) => [op, rate.optional()])) as { [P in K]: z.ZodOptional<typeof rate> })
    .strict()
    .default({} as never);
}
