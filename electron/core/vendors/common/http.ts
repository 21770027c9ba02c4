import { ScanError } from '../../errors';
import { cancelled } from './sleep';

/**
 * An AbortSignal that fires on the caller's cancel or after `timeoutMs`, and a way to tell
 * which of the two happened (they map to different codes: CANCELLED is final, TIMEOUT retries).
 */
export interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  cancelledByCaller(): boolean;
  /** Frees the timer; call when the request settles. */
  dispose(): void;
}

export function deadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    cancelledByCaller: () => callerSignal?.aborted === true && !timedOut,
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Node's system error codes that mean "the network, not the vendor, failed". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // Our proxy agent's: the proxy refused the CONNECT (see ./proxy.ts).
  'EPROXYREFUSED',
]);

function systemCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errno = (e as { errno?: unknown }).errno;
    if (typeof errno === 'string' && NETWORK_CODES.has(errno)) return errno;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns a failure of the transport (not a vendor answer) into TIMEOUT, CANCELLED or NETWORK.
 * `vendor` names the service in the message; `detail` must already be free of secrets.
 */
export function transportError(vendor: string, err: unknown, dl?: Deadline): ScanError {
  if (dl?.cancelledByCaller()) return cancelled();
  if (dl?.timedOut() || /timeout|timed out/i.test(String((err as Error)?.message ?? ''))) {
    return new ScanError('TIMEOUT', `${vendor} did not answer in time.`, { cause: err });
  }
  const code = systemCode(err);
  if (code === 'EPROXYREFUSED') {
    const status = proxyStatus(err);
    return new ScanError(
      'NETWORK',
      `Could not reach ${vendor}: the proxy refused the connection${status ? ` (HTTP ${status}${status === 407 ? ', proxy authentication required' : ''})` : ''}. ` +
        'Check the proxy (Settings → Cloud vendors → Network, or HTTPS_PROXY).',
      { cause: err },
    );
  }
  const how = code ? ` (${code})` : '';
  return new ScanError('NETWORK', `Could not reach ${vendor}${how}. Check the network connection.`, { cause: err });
}

/** The status a proxy refused a CONNECT with, from the error chain (code or message). */
function proxyStatus(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const s = (e as { proxyStatus?: unknown }).proxyStatus;
    if (typeof s === 'number') return s;
    const m = /HTTP (\d{3}) to CONNECT/.exec(String((e as Error).message ?? ''));
    if (m) return Number(m[1]);
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** HTTP statuses a vendor uses for "try later". */
export function httpStatusError(vendor: string, status: number, retryAfterHeader?: string | null): ScanError {
  const retryAfterMs = parseRetryAfter(retryAfterHeader);
  if (status === 429) {
    return new ScanError('VENDOR_RATE_LIMIT', `${vendor} asked us to slow down (HTTP 429).`, { retryAfterMs });
  }
  if (status >= 500) {
    return new ScanError('VENDOR_SERVER', `${vendor} had a server error (HTTP ${status}).`, { retryAfterMs });
  }
  if (status === 401 || status === 403) {
    return new ScanError('VENDOR_AUTH', `${vendor} refused the credentials (HTTP ${status}).`);
  }
  return new ScanError('VENDOR_REJECTED', `${vendor} rejected the request (HTTP ${status}).`);
}

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
