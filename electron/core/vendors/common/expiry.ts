import { ScanError } from '../../errors';

/**
 * Temporary credentials (Tencent STS `Token`, OSS `stsToken`) end at a known time. A client
 * checks before each request, so the batch stops with a message that says so (instead of a
 * vendor error that only says "token refused"), and asks for new keys.
 */
export function assertNotExpired(vendor: { id: string; name: string }, expiresAt: string | undefined, now = Date.now()): void {
  if (!expiresAt) return;
  const at = Date.parse(expiresAt);
  if (!Number.isFinite(at) || now < at) return;
  throw new ScanError(
    'VENDOR_AUTH',
    `The temporary ${vendor.name} keys expired at ${formatUtc(at)}: get new temporary keys (STS) and enter them in ` +
      `Settings → Cloud vendors (command line: scandesk credentials set ${vendor.id}).`,
  );
}

/** "2026-12-06 18:00 UTC". */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
