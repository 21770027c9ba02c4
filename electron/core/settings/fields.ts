import { z } from 'zod';

/**
 * The building blocks of every vendor's settings schema (each vendor's folder composes its own
 * from these): rates, concurrency, timeouts and endpoint URLs, with the same bounds everywhere.
 */
export const rate = z.number().positive().max(1000);
export const concurrency = z.number().int().min(1).max(32);
export const timeoutMs = z.number().int().min(1000).max(600_000);

/**
 * A vendor endpoint: https, or plain http to this machine only (the local emulators, a
 * debugging proxy on loopback), with no user, password, query or fragment. Anything else
 * would let a changed setting send signed requests, page images or (WeChat) the AppSecret
 * itself over the network in clear text.
 */
export const baseUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      const scheme = u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
      return scheme && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'must be an https:// URL (http:// only for this machine: localhost, 127.0.0.1, [::1]) without user, password, query or fragment');

/** localhost, 127.0.0.0/8 or ::1, as URL.hostname spells them. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Requests per second for each named operation (each optional: the vendor's default otherwise). */
export function rateLimits<const K extends string>(operations: readonly K[]) {
  return z
    .object(Object.fromEntries(operations.map((op) => [op, rate.optional()])) as { [P in K]: z.ZodOptional<typeof rate> })
    .strict()
    .default({} as never);
}

/**
 * The proxy every vendor uses: 'system' (the process's HTTPS_PROXY / HTTP_PROXY / NO_PROXY,
 * which the desktop shell fills from the OS setting), 'none', or an http(s) proxy URL. A URL
 * here is saved to a file, so it may not hold a user or password: a proxy's sign-in goes to
 * the keychain (credentials/proxy-auth.ts), or comes with HTTPS_PROXY.
 */
export const proxySetting = z
  .string()
  .trim()
  .refine((s) => {
    if (s === 'system' || s === 'none') return true;
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, "must be \"system\", \"none\" or an http:// or https:// proxy address without user, password or path (a proxy's sign-in is saved in the keychain, never in a file)");
