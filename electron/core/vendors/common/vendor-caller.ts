import { ScanError } from '../../errors';
import { redact } from './redact';
import { withRetry, type RetryOptions } from './retry';
import { Semaphore } from '../../concurrency/semaphore';
import { TokenBucket } from './token-bucket';
import { accountOf, reportVendorCall } from '../../usage/meter';
import { sharedLimiter } from '../../limits/shared-rate';

/**
 * How a client's calls are counted (electron/core/usage): which vendor and account, and per
 * operation the name shown in usage and what a successful call of it is billed as (an
 * operation that is absent, or has no `billedAs`, is free: token fetches, deletes).
 */
export interface Metering {
  vendor: string;
  /** The identifier of the account the last call was signed with (SecretId, AppID...); masked and hashed before it is stored. */
  account: () => string | null | undefined;
  /** The operations this caller counts; others are not (a client that makes a call outside `call()` reports it with `meterCall`). */
  operations: Record<string, { name?: string; billedAs?: readonly string[] }>;
}

export interface VendorCallerOptions {
  /** Shown in messages: "Tencent Cloud OCR", "WeChat", ... */
  vendor: string;
  /** Requests per second per operation (the vendor's documented default or the account's own). */
  rateLimits: Record<string, number>;
  /** For operations missing from `rateLimits`. */
  defaultRatePerSecond: number;
  /** Requests in flight at once, across operations. */
  concurrency: number;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Secret values to scrub from every message that leaves this caller (read lazily). */
  secrets?: () => Iterable<string | null | undefined>;
  /** Hears about retries and stops; messages are already redacted. */
  onEvent?: (event: VendorEvent) => void;
  now?: () => number;
  /**
   * How long an auth/quota stop keeps answering without calling the vendor (default 30 s, or
   * until the error's retryAfterMs when it says: a daily quota's reset). Engines live longer
   * than a batch: after this, or `resetStop()`, the vendor is tried again.
   */
  stopLatchMs?: number;
  /** Counts every attempt in the usage store (when the caller runs inside meterUsage). */
  metering?: Metering;
}

export type VendorEvent =
  | { type: 'retry'; operation: string; attempt: number; delayMs: number; code: string; message: string }
  | { type: 'stopped'; operation: string; code: string; message: string };

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Whether a `stop-engine` error from this call stops every later call (default true).
   * Optional steps (e.g. product-data enrichment) pass false and handle the error themselves.
   */
  stopsEngine?: boolean;
  /** Image bytes this call sends (for usage). */
  bytesSent?: number;
  /** Whether a successful answer is billed (default true); e.g. Tencent's "nothing found" is not. */
  billed?: (result: never) => boolean;
}

/**
 * Everything a cloud vendor client needs around one HTTP call, in one place: a token bucket per
 * operation, a cap on requests in flight, retries with backoff and full jitter for `retry`
 * errors, a latch that turns the first auth/quota failure into the same clear error for every
 * later item (without calling the vendor again), and secret-free messages.
 */
export class VendorCaller {
  readonly vendor: string;
  private readonly options: VendorCallerOptions;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly semaphore: Semaphore;
  private stopError: ScanError | null = null;
  private stoppedAt = 0;
  private stopLasts = 0;

  constructor(options: VendorCallerOptions) {
    this.options = options;
    this.vendor = options.vendor;
    this.semaphore = new Semaphore(options.concurrency);
    for (const [op, rate] of Object.entries(options.rateLimits)) this.bucket(op, rate);
  }

  /** The error that stopped this vendor, while the stop lasts. */
  get stopped(): ScanError | null {
    if (this.stopError && this.clock() - this.stoppedAt > this.stopLasts) this.stopError = null;
    return this.stopError;
  }

  /** Forget a stop (e.g. the user saved new credentials). */
  resetStop(): void {
    this.stopError = null;
  }

  /** Changes an operation's rate (per-batch options may carry the account's own limits). */
  setRate(operation: string, ratePerSecond: number): void {
    const b = this.buckets.get(operation);
    if (b && b.ratePerSecond === ratePerSecond) return;
    this.buckets.delete(operation);
    this.bucket(operation, ratePerSecond);
  }

  private clock(): number {
    return (this.options.now ?? (() => performance.now()))();
  }

  get inFlight(): number {
    return this.semaphore.inFlight;
  }

  async call<T>(operation: string, fn: (attempt: number) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const stopsEngine = opts.stopsEngine ?? true;
    if (stopsEngine && this.stopped) throw this.stopError;
    const bucket = this.bucket(operation);
    // On a shared queue, every worker's calls of this operation also share one bucket (limits/shared-rate.ts).
    const shared = sharedLimiter();
    const sharedKey = `${this.vendor}:${operation}`;
    try {
      return await withRetry(
        (attempt) =>
          this.semaphore.run(async () => {
            if (stopsEngine && this.stopped) throw this.stopError;
            await bucket.take(opts.signal);
            await shared?.take(sharedKey, bucket.ratePerSecond, opts.signal);
            try {
              const result = await fn(attempt);
              this.meter(operation, opts, { ok: true, billed: opts.billed ? opts.billed(result as never) : true });
              return result;
            } catch (err) {
              // Latch before the slot is released, so no queued call slips through after a stop.
              const clean = this.clean(err);
              this.meter(operation, opts, { ok: false, code: clean.code });
              if (stopsEngine) this.latch(operation, clean);
              // The vendor said when to come back (e.g. WeChat 45011: the next minute): every
              // call of this operation waits until then, not only this one's retry.
              if (clean.code === 'VENDOR_RATE_LIMIT' && clean.retryAfterMs) {
                bucket.holdUntil(this.clock() + clean.retryAfterMs);
                await shared?.holdFor(sharedKey, clean.retryAfterMs).catch(() => undefined);
              }
              throw clean;
            }
          }, opts.signal),
        {
          ...this.options.retry,
          signal: opts.signal,
          onRetry: ({ attempt, delayMs, error }) =>
            this.options.onEvent?.({
              type: 'retry',
              operation,
              attempt,
              delayMs,
              code: error.code,
              message: this.clean(error).message,
            }),
        },
      );
    } catch (err) {
      const clean = this.clean(err);
      if (stopsEngine && clean.errorClass === 'stop-engine' && clean.code !== 'CANCELLED' && this.stopped) throw this.stopError;
      throw clean;
    }
  }

  /** One attempt, for the usage store (one cancelled on the way counts as an error: it may have arrived). */
  private meter(operation: string, opts: CallOptions, outcome: { ok: true; billed: boolean } | { ok: false; code: string }): void {
    this.meterCall(operation, outcome, opts.bytesSent);
  }

  /** Counts one HTTP exchange of `operation` (when it is one the metering lists). */
  meterCall(operation: string, outcome: { ok: true; billed?: boolean } | { ok: false; code: string }, bytesSent = 0): void {
    const m = this.options.metering;
    const op = m?.operations[operation];
    if (!m || !op) return;
    let id: string | null | undefined;
    try {
      id = m.account();
    } catch {
      id = null;
    }
    reportVendorCall({
      vendor: m.vendor,
      ...accountOf(m.vendor, id),
      operation: op.name ?? operation,
      ok: outcome.ok,
      ...(outcome.ok ? {} : { errorCode: outcome.code }),
      bytesSent,
      billedAs: outcome.ok && outcome.billed !== false ? (op.billedAs ?? []) : [],
      at: Date.now(),
    });
  }

  /**
   * Keeps the first stop-engine error: later concurrent failures say the same thing. A stop
   * that knows when it ends (a daily quota: its reset) lasts until then, so nothing calls the
   * vendor again before it could succeed.
   */
  private latch(operation: string, err: ScanError): void {
    if (err.errorClass !== 'stop-engine' || err.code === 'CANCELLED' || this.stopped) return;
    this.stopError = err;
    this.stoppedAt = this.clock();
    this.stopLasts = Math.max(this.options.stopLatchMs ?? 30_000, err.retryAfterMs ?? 0);
    this.options.onEvent?.({ type: 'stopped', operation, code: err.code, message: err.message });
  }

  /** A ScanError whose message holds no secret; anything else becomes INTERNAL. */
  clean(err: unknown): ScanError {
    const secrets = this.options.secrets?.() ?? [];
    if (err instanceof ScanError) {
      const message = redact(err.message, secrets);
      if (message === err.message) return err;
      return new ScanError(err.code, message, { errorClass: err.errorClass, retryAfterMs: err.retryAfterMs });
    }
    const raw = err instanceof Error ? err.message : String(err);
    return new ScanError('INTERNAL', `Unexpected error talking to ${this.vendor}: ${redact(raw, secrets)}`);
  }

  private bucket(operation: string, rate?: number): TokenBucket {
    let b = this.buckets.get(operation);
    if (!b) {
      b = new TokenBucket({
        ratePerSecond: rate ?? this.options.rateLimits[operation] ?? this.options.defaultRatePerSecond,
        now: this.options.now,
      });
      this.buckets.set(operation, b);
    }
    return b;
  }
}
