import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * Counting vendor calls without threading a counter through every engine: whoever starts work
 * that may call a vendor (the runner for a batch's page, a connection test) runs it inside
 * `meterUsage(sink, batchId, fn)`; every call a vendor client makes inside it (VendorCaller
 * reports each HTTP attempt) reaches that sink with the batch it was made for. Node's
 * AsyncLocalStorage carries the context across awaits, so concurrent pages of different
 * batches never mix. Outside any context (unit tests of a client) calls are simply not counted.
 */
export interface VendorCall {
  vendor: string;
  /** One-way fingerprint of the account's identifier ('' when none was configured). */
  account: string;
  /** The identifier masked for display ("AKID…3f9a"); never the identifier itself. */
  accountLabel: string;
  /** The vendor's operation name: QrcodeOCR, printedTextOCR, PutObject, ... */
  operation: string;
  ok: boolean;
  /** The ScanError code of a failed call. */
  errorCode?: string;
  bytesSent: number;
  /**
   * What the vendor bills for this call: usually [operation] on success, [] for free calls and
   * errors; OSS image/codes is billed by OSS and by IMM, so both appear.
   */
  billedAs: readonly string[];
  /** When it was made (ms since the epoch). */
  at: number;
}

export type UsageSink = (call: VendorCall, batchId: number | null) => void;

interface Context {
  sink: UsageSink;
  batchId: number | null;
}

const context = new AsyncLocalStorage<Context>();

/** Runs `fn` so that every vendor call made inside it is counted by `sink` (for `batchId`). */
export function meterUsage<T>(sink: UsageSink | undefined, batchId: number | null, fn: () => T): T {
  if (!sink) return fn();
  return context.run({ sink, batchId }, fn);
}

/** Called by the vendor clients (VendorCaller) once per HTTP attempt. Never throws. */
export function reportVendorCall(call: VendorCall): void {
  const c = context.getStore();
  if (!c) return;
  try {
    c.sink(call, c.batchId);
  } catch (err) {
    // Counting must never fail a page; the store's message holds no secret.
    console.error(`scandesk usage: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * How an account appears in the usage store: a fingerprint that tells accounts apart (salted,
 * so it cannot be matched against a list of known ids) and a masked label. The identifier
 * itself (SecretId, AppID, AccessKey ID) never leaves the vendor client.
 */
export function accountOf(vendor: string, id: string | null | undefined): { account: string; accountLabel: string } {
  const s = (id ?? '').trim();
  if (!s) return { account: '', accountLabel: '' };
  const account = createHash('sha256').update(`scandesk-usage\0${vendor}\0${s}`).digest('hex').slice(0, 16);
  return { account, accountLabel: maskAccount(s) };
}

/** Enough to recognise an account, never enough to use it; short ids are masked completely. */
function maskAccount(id: string): string {
  if (id.length < 12) return `…${id.length > 6 ? id.slice(-2) : ''}`;
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** The vendors' calendar: China Standard Time (UTC+8, no daylight saving). */
const CST_OFFSET_MS = 8 * 3600_000;

/** "2026-12-06": the vendors' day of `ms`. */
export function vendorDay(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2026-12": the vendors' month of `ms`. */
export function vendorMonth(ms: number): string {
  return vendorDay(ms).slice(0, 7);
}

/** When the vendors' next day starts (ms since the epoch): daily quotas reset then. */
export function nextVendorDay(ms: number): number {
  const dayStart = Math.floor((ms + CST_OFFSET_MS) / 86_400_000) * 86_400_000 - CST_OFFSET_MS;
  return dayStart + 86_400_000;
}
