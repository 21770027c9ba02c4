import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The browser host's gatekeeping. A page on any web site can make the user's browser talk to
 * 127.0.0.1, so every request must prove it comes from the page we served:
 * - Host header must name this server (defeats DNS rebinding: evil.example resolving to 127.0.0.1);
 * - WebSocket Origin must be this server's origin (defeats cross-site WebSocket hijacking);
 * - a random one-time token in the printed address, exchanged on first use for a separate
 *   random session id in an HttpOnly, SameSite=Strict cookie. Cookies do not isolate ports:
 *   every server on localhost the user visits receives it. So the cookie never carries the
 *   address token, and the address, once used, opens nothing (a copy left in shell history,
 *   a screenshot or another browser's history is worthless).
 */
function randomId(): string {
  return randomBytes(32).toString('base64url');
}

/** Kept as hashes: a lookup by the hash of what was presented leaks nothing about live values through timing. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export class HostSessions {
  private readonly tokens = new Set<string>();
  private readonly sessions = new Set<string>();

  /** `name`: the session cookie's name (it carries the port: two hosts on one machine keep theirs apart). */
  constructor(readonly cookieName: string) {}

  /** A new one-time address token. */
  issueToken(): string {
    const token = randomId();
    this.tokens.add(digest(token));
    return token;
  }

  /** Spends a one-time token and opens a session for it; null when the token is not live (unknown or used). */
  redeem(token: string | null | undefined): string | null {
    if (typeof token !== 'string' || !this.tokens.delete(digest(token))) return null;
    const session = randomId();
    this.sessions.add(digest(session));
    return session;
  }

  /** True when the request carries the cookie of a live session. */
  admits(req: IncomingMessage): boolean {
    const value = readCookie(req, this.cookieName);
    return value !== null && this.sessions.has(digest(value));
  }

  setCookie(session: string): string {
    return `${this.cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }
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

/**
 * Where to send the browser after taking the token out of its address: a path on this server,
 * never `//other.host` (which a browser reads as another site: `/.//evil.com?token=…` parses to
 * the path `//evil.com`). Leading slashes and backslashes collapse to one.
 */
export function localRedirect(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}
