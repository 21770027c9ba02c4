import { ScanError } from '../errors';

/**
 * A shared queue's address as ScanDesk keeps it: the postgres:// URL WITHOUT its password (it
 * is shown in Settings and written to the profile's settings file), and the password apart
 * (the keychain only; sent to no one but the server it was saved for).
 */
export interface QueueAddress {
  /** postgres://user@host:port/database?params — never a password in it. */
  url: string;
  /** user@host:port/database: what the keychain binds the password to, and what notices show. */
  endpoint: string;
}

/** Splits a typed URL into its address and the password it contains (if any). */
export function parseQueueUrl(typed: string): { address: QueueAddress; password: string | null } {
  let u: URL;
  try {
    u = new URL(typed.trim());
  } catch {
    throw new ScanError('INVALID_INPUT', 'The shared queue’s address must be a URL like postgres://user@server/database.');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ScanError('INVALID_INPUT', 'The shared queue’s address must start with postgres:// (PostgreSQL 15 or newer).');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname && !u.searchParams.get('host')) throw new ScanError('INVALID_INPUT', 'The shared queue’s address names no server.');
  if (!database) throw new ScanError('INVALID_INPUT', 'The shared queue’s address names no database (postgres://user@server/database).');
  const password = u.password ? decodeURIComponent(u.password) : null;
  u.password = '';
  const user = decodeURIComponent(u.username);
  const host = u.hostname || u.searchParams.get('host') || 'localhost';
  return { address: { url: u.toString(), endpoint: `${user ? `${user}@` : ''}${host}:${u.port || 5432}/${database}` }, password };
}

/** The URL to connect with: the address plus the password from the keychain. Never shown or logged. */
export function connectUrl(address: QueueAddress, password: string | null): string {
  if (!password) return address.url;
  const u = new URL(address.url);
  u.password = encodeURIComponent(password);
  return u.toString();
}
