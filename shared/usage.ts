/**
 * What the vendors were asked, counted per account, operation and day (the store keeps it; no
 * secret is part of it: an account is a masked id and a one-way fingerprint).
 */
export interface UsageCounts {
  /** Requests sent (every attempt, retries included). */
  calls: number;
  /** Calls the vendor bills: successful answers of a billed operation. */
  billable: number;
  /** Calls answered with an error (or not answered). */
  errors: number;
  /** Image bytes sent (as the vendor counts them: base64 text for Tencent, file bytes otherwise). */
  bytesSent: number;
}

/** One operation's counts, e.g. Tencent QrcodeOCR, OSS ProcessImage, IMM DetectImageCodes. */
export interface OperationUsage extends UsageCounts {
  operation: string;
}

export interface AccountUsage {
  /** The account's identifier, masked ("AKID…3f9a"). */
  label: string;
  today: OperationUsage[];
  month: OperationUsage[];
}

export interface VendorUsage {
  vendor: string;
  accounts: AccountUsage[];
}

/**
 * Settings → Usage. Days and months are the vendors' own: China Standard Time (UTC+8), when
 * their daily quotas reset and their bills are cut.
 */
export interface UsageSummary {
  day: string;
  month: string;
  vendors: VendorUsage[];
}

/** What one batch spent, per vendor and operation (all accounts together). */
export interface BatchUsage {
  batchId: number;
  operations: Array<OperationUsage & { vendor: string }>;
}

/** Sums counts (e.g. one vendor's operations). */
export function addCounts(a: UsageCounts, b: UsageCounts): UsageCounts {
  return { calls: a.calls + b.calls, billable: a.billable + b.billable, errors: a.errors + b.errors, bytesSent: a.bytesSent + b.bytesSent };
}

export const NO_USAGE: UsageCounts = { calls: 0, billable: 0, errors: 0, bytesSent: 0 };

/** Pages a batch would send to one vendor. */
export interface VendorPages {
  vendor: string;
  /** Pages that would be sent (pages with a stored result are reused, not sent). */
  pages: number;
  /** Pages whose result is already stored for this engine, task and options. */
  stored: number;
  /** A fallback vendor gets only the pages the first engine finds nothing on: `pages` is at most. */
  upTo: boolean;
}

/** A daily quota the batch would exceed (printedTextOCR: 100 calls a day on a basic account). */
export interface QuotaWarning {
  vendor: string;
  operation: string;
  /** Calls the batch needs. */
  needed: number;
  /** Calls left today on the account in use. */
  left: number;
  perDay: number;
  /** When the vendor's day ends (ISO 8601). */
  resetsAt: string;
}

/** What a batch would do, before it starts. */
export interface BatchEstimate {
  /** Pages that can be decoded. */
  pages: number;
  /** Pages intake cannot read (they fail with their reason, nothing is sent). */
  unreadable: number;
  /** Files that are not images. */
  skipped: number;
  vendors: VendorPages[];
  warnings: QuotaWarning[];
}
