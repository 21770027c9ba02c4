import { ScanError } from '../errors';
import type { KeychainBackend } from './keychain';

/**
 * The sign-in of the organisation's proxy (user name + password), kept in the OS keychain
 * beside the vendor keys and, like them, bound to where it was saved for: the proxy's origin
 * (http://proxy.example.com:3128). It is given only to that proxy, only when the proxy asks for
 * it (a CONNECT answered 407), and never written to a settings file, the database or a log.
 * A proxy URL in HTTPS_PROXY may carry its own user and password instead (the environment is
 * the user's own, like vendor keys in environment variables).
 */
export interface ProxyAuth {
  username: string;
  password: string;
}

/** Where a client gets the sign-in for a proxy: null when none was saved for that proxy. */
export type ProxyAuthLookup = (proxyOrigin: string) => Promise<ProxyAuth | null>;

/** What the settings screen may know: saved or not, and for which proxy (no user name, no password). */
export interface ProxyAuthStatus {
  configured: boolean;
  proxy: string | null;
}

const ACCOUNT = { username: 'proxy.username', password: 'proxy.password', origin: 'proxy.origin' } as const;
const MAX_LENGTH = 512;

/** The origin a proxy sign-in is bound to: scheme, host and port (never a user or a path). */
export function proxyOrigin(proxy: string | URL): string {
  const u = new URL(String(proxy));
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ScanError('INVALID_INPUT', 'The proxy must be an http:// or https:// address.');
  return u.origin;
}

export class ProxyAuthStore {
  constructor(
    private readonly backend: KeychainBackend,
    private readonly service: string,
  ) {}

  /** Saves (replaces) the sign-in for the proxy at `proxy`. Messages name fields, never values. */
  async set(auth: { username: unknown; password: unknown }, proxy: string): Promise<ProxyAuthStatus> {
    const origin = proxyOrigin(proxy);
    const clean = { username: check('username', auth.username), password: check('password', auth.password) };
    // The binding goes first: a half-written entry is bound to nothing, so it is never sent.
    await this.backend.deletePassword(this.service, ACCOUNT.origin);
    await this.backend.setPassword(this.service, ACCOUNT.username, clean.username);
    await this.backend.setPassword(this.service, ACCOUNT.password, clean.password);
    await this.backend.setPassword(this.service, ACCOUNT.origin, origin);
    return { configured: true, proxy: origin };
  }

  /** The sign-in saved for this proxy; null when none is, or when it was saved for another proxy. */
  async get(proxy: string): Promise<ProxyAuth | null> {
    const origin = await this.backend.getPassword(this.service, ACCOUNT.origin);
    if (!origin || origin !== proxyOrigin(proxy)) return null;
    const username = await this.backend.getPassword(this.service, ACCOUNT.username);
    const password = await this.backend.getPassword(this.service, ACCOUNT.password);
    return username && password !== null ? { username, password } : null;
  }

  async delete(): Promise<boolean> {
    let removed = false;
    for (const account of [ACCOUNT.origin, ACCOUNT.username, ACCOUNT.password]) {
      if (await this.backend.deletePassword(this.service, account)) removed = true;
    }
    return removed;
  }

  /** From the keychain's entries (CredentialStore.status reads them all at once). */
  static statusOf(entries: ReadonlyMap<string, string>): ProxyAuthStatus {
    const origin = entries.get(ACCOUNT.origin);
    const configured = !!origin && !!entries.get(ACCOUNT.username) && entries.has(ACCOUNT.password);
    return { configured, proxy: configured ? origin! : null };
  }
}

function check(field: 'username' | 'password', value: unknown): string {
  const s = typeof value === 'string' ? (field === 'username' ? value.trim() : value) : '';
  if (s === '') throw new ScanError('INVALID_INPUT', `proxy.${field}: the proxy ${field === 'username' ? 'user name' : 'password'} is missing.`);
  // Basic authentication puts "user:password" in one header: a colon in the user name, or a line break anywhere, cannot be sent.
  if (s.length > MAX_LENGTH || /[\r\n\0]/.test(s) || (field === 'username' && s.includes(':'))) {
    throw new ScanError('INVALID_INPUT', `proxy.${field}: the proxy ${field === 'username' ? 'user name' : 'password'} cannot be sent to a proxy (too long, a line break${field === 'username' ? ' or a colon' : ''}).`);
  }
  return s;
}
