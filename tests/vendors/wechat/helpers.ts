import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialProvider, VendorCredentials, VendorId } from '../../../electron/core/credentials/types';
import { SAMPLES } from '../../fixtures/samples';

export { SAMPLES };

export function sample(rel: string): { bytes: Buffer; path: string; expected: string } {
  const path = join(SAMPLES, rel);
  return { bytes: readFileSync(path), path, expected: readFileSync(path.replace(/\.\w+$/, '.txt'), 'utf8') };
}

/**
 * Credentials as the vendor clients read them (the CredentialProvider contract). The keychain
 * implementation is tested against a real Secret Service in tests/credentials; here the clients
 * only need something that answers `get(vendor)`.
 */
export function staticCredentials(creds: Partial<{ [V in VendorId]: VendorCredentials<V> }>): CredentialProvider & { reads: number } {
  const provider = {
    reads: 0,
    async get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null> {
      provider.reads++;
      return (creds[vendor] as VendorCredentials<V> | undefined) ?? null;
    },
  };
  return provider;
}

/** Every string a thrown error exposes (message, JSON, cause chain). */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, d = 0; e && d < 5; d++) {
    parts.push(String((e as Error).message ?? e), JSON.stringify(e));
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** True when `expected` appears in `actual` in order (other entries may sit in between). */
export function inOrder(actual: string[], expected: string[]): boolean {
  let i = 0;
  for (const a of actual) if (a === expected[i]) i++;
  return i === expected.length;
}
