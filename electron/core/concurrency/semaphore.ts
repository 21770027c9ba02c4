import { ScanError } from '../errors';

/**
 * Caps how many calls run at once; the rest wait, in arrival order by default. A call whose
 * signal aborts while it waits leaves the line with CANCELLED and never runs.
 *
 * `newest-first` serves the last arrival first: for work where only the latest asks still
 * matter, such as the thumbnails of a grid being scrolled (the pages on screen are the ones
 * asked for last; in arrival order they would wait behind every page scrolled past).
 */
export class Semaphore {
  readonly limit: number;
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    limit: number,
    readonly order: 'oldest-first' | 'newest-first' = 'oldest-first',
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Concurrency must be an integer >= 1, got ${limit}`);
    this.limit = limit;
  }

  get inFlight(): number {
    return this.active;
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(cancelled());
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.active--;
    const next = this.order === 'oldest-first' ? this.waiters.shift() : this.waiters.pop();
    if (next) next();
  }
}

function cancelled(): ScanError {
  return new ScanError('CANCELLED', 'Cancelled while waiting for its turn.');
}
