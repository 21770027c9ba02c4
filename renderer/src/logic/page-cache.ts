/**
 * The batch grid shows up to tens of thousands of pages but holds only the blocks the user
 * has scrolled near: items are fetched from the service by offset/limit in fixed blocks.
 * This module is the bookkeeping (which blocks a visible range needs, what is cached); the
 * fetching lives in the hook that uses it.
 */
export const BLOCK_SIZE = 200;

export function blocksForRange(first: number, last: number, total: number, blockSize = BLOCK_SIZE): number[] {
  if (total <= 0 || last < first) return [];
  const lo = Math.max(0, Math.floor(Math.max(0, first) / blockSize));
  const hi = Math.floor(Math.min(total - 1, Math.max(0, last)) / blockSize);
  const out: number[] = [];
  for (let b = lo; b <= hi; b++) out.push(b);
  return out;
}

export class BlockCache<T> {
  private readonly blocks = new Map<number, T[]>();
  private readonly order: number[] = [];

  constructor(
    readonly blockSize = BLOCK_SIZE,
    /** Enough blocks for several screens in both directions; older ones are dropped. */
    readonly maxBlocks = 40,
  ) {}

  has(block: number): boolean {
    return this.blocks.has(block);
  }

  put(block: number, items: T[]): void {
    if (!this.blocks.has(block)) this.order.push(block);
    this.blocks.set(block, items);
    while (this.order.length > this.maxBlocks) {
      const old = this.order.shift();
      if (old !== undefined) this.blocks.delete(old);
    }
  }

  get(index: number): T | undefined {
    const block = this.blocks.get(Math.floor(index / this.blockSize));
    return block?.[index % this.blockSize];
  }

  /** Replaces one cached entry (after a review changes a page) without refetching. */
  update(match: (t: T) => boolean, change: (t: T) => T): void {
    for (const [b, items] of this.blocks) {
      const i = items.findIndex(match);
      if (i >= 0) {
        const copy = items.slice();
        copy[i] = change(items[i] as T);
        this.blocks.set(b, copy);
      }
    }
  }

  clear(): void {
    this.blocks.clear();
    this.order.length = 0;
  }
}

/** Columns of a grid of fixed-width cards filling `width`. Never fewer than one. */
export function columnsFor(width: number, cardWidth: number, gap: number): number {
  if (width <= 0) return 1;
  return Math.max(1, Math.floor((width + gap) / (cardWidth + gap)));
}
