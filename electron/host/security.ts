import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The browser host's gatekeeping. A page on any web site can make the user's browser talk to
 * 127.0.0.1, so every request must prove it comes from the page we served:
 * - Host header must name this server (defeats DNS rebinding: evil.example resolving to 127.0.0.1);
 * - WebSocket Origin must be this server's origin (defeats cross-site WebSocket hijacking);
 * - a per-run random token, presented once in the URL and then kept in an HttpOnly,
 *   SameSite=Strict cookie (or sent as ?token= / Authorization: Bearer by non-browser clients).
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokensEqual(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The names this server answers to: the bound address and localhost, both with the port. */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (bindHost && bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]:${port}` : `${bindHost}:${port}`);
  return names;
}

export function hostAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** Browsers always send Origin on WebSocket handshakes; it must be one of our own. */
export function originAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  for (const h of hosts) if (origin.toLowerCase() === `http://${h}`) return true;
  return false;
}

/** Cookies are shared across ports of one host, so the name carries the port. */
export function cookieName(port: number): string {
  return `scandesk_${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The token a request presents, in order: cookie, Authorization: Bearer, ?token=. */
export function presentedTokens(req: IncomingMessage, url: URL, port: number): string[] {
  const out: string[] = [];
  const cookie = readCookie(req, cookieName(port));
  if (cookie) out.push(cookie);
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) out.push(auth.slice(7).trim());
  const q = url.searchParams.get('token');
  if (q) out.push(q);
  return out;
}

export function authenticated(req: IncomingMessage, url: URL, port: number, token: string): boolean {
  return presentedTokens(req, url, port).some((t) => tokensEqual(t, token));
}
