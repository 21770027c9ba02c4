import { ScanError } from '../../errors';

/** Waits `ms`, or rejects with CANCELLED as soon as `signal` aborts (no timer left behind). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): ScanError {
  return new ScanError('CANCELLED', 'Cancelled before the vendor answered.');
}
