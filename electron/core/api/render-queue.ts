import { ScanError } from '../errors';

/**
 * Runs image renders a few at a time, in the order given, and drops a render whose asker has
 * gone before it started.
 *
 * Thumbnails go newest first: scrolling a grid of thousands of pages asks for a thumbnail per
 * page that passes by. The pages on screen now are the ones asked for last; served in arrival
 * order they would wait behind every page already scrolled past, and each of those renders
 * (sharp: up to ~150 ms for a large scan) would take a core from the window being scrolled.
 * Previews go oldest first: the page being opened is asked for before the next one is warmed.
 */
export class RenderQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly order: 'newest-first' | 'oldest-first' = 'newest-first',
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A render queue runs at least one render at a time, not ${limit}`);
  }

  /** Renders waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(render: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.turn(signal);
    try {
      return await render();
    } finally {
      this.running--;
      (this.order === 'newest-first' ? this.waiting.pop() : this.waiting.shift())?.();
    }
  }

  private turn(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(gone());
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(start);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(gone());
      };
      this.waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function gone(): ScanError {
  return new ScanError('CANCELLED', 'Nobody is waiting for this image any more.');
}
