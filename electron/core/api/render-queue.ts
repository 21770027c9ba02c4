import { ScanError } from '../errors';

/**
 * Runs preview and thumbnail renders a few at a time, newest first, and drops a render whose
 * asker has gone before it started.
 *
 * Why not first come, first served: scrolling a grid of thousands of pages asks for a thumbnail
 * per page that passes by. The pages on screen now are the ones asked for last; served in
 * arrival order they would wait behind every page already scrolled past, and each of those
 * renders (sharp: up to ~150 ms for a large scan) would take a core from the window being
 * scrolled.
 */
export class RenderQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
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
      // Newest first: the last one asked for is what is on screen now.
      this.waiting.pop()?.();
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
