import { useCallback, useEffect, useRef, useState } from 'react';
import { BlockFetcher } from './block-fetcher';
import { BLOCK_SIZE, BlockCache, blocksForRange } from './page-cache';

/**
 * Rows fetched beyond the visible range, both ways: half a block is about half a second of a
 * fling, so the next block is usually there before its rows are. Rows that mount as grey
 * placeholders and then render again cost two renders, and a read-out of blank rows.
 */
const PREFETCH = BLOCK_SIZE / 2;

export type FetchBlock<T> = (offset: number, limit: number) => Promise<{ total: number; rows: T[] }>;

/**
 * A long list fetched block by block as a virtualised view asks for ranges (the grid's items,
 * the results table's codes). A new `fetchBlock` (another batch, filter or search: memoise it on
 * those) starts from nothing with its own fetcher, so an old query's late answer never lands.
 * `refresh()` refetches the blocks in view without clearing what is shown (progress events,
 * verdicts, undo), so rows do not flicker while a batch runs.
 */
export function useBlocks<T>(fetchBlock: FetchBlock<T>, onError: (e: unknown) => void) {
  const cache = useRef(new BlockCache<T>(BLOCK_SIZE));
  const fetcher = useRef<BlockFetcher<{ total: number; rows: T[] }> | null>(null);
  const visible = useRef<[number, number]>([0, 0]);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const f = new BlockFetcher<{ total: number; rows: T[] }>(
      (block) => fetchBlock(block * BLOCK_SIZE, BLOCK_SIZE),
      (block, r) => {
        cache.current.put(block, r.rows);
        setTotal(r.total);
        setVersion((v) => v + 1);
      },
      onError,
    );
    fetcher.current = f;
    cache.current.clear();
    setTotal(null);
    setVersion((v) => v + 1);
    void f.fetch(0);
    return () => f.close();
  }, [fetchBlock, onError]);

  const requestRange = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      if (total === null) return;
      for (const b of blocksForRange(first - PREFETCH, last + PREFETCH, total)) {
        if (!cache.current.has(b)) void fetcher.current?.fetch(b);
      }
    },
    [total],
  );

  const refresh = useCallback(() => {
    const [first, last] = visible.current;
    const blocks = blocksForRange(first, last, Math.max(total ?? 0, last + 1));
    for (const b of blocks.length > 0 ? blocks : [0]) void fetcher.current?.fetch(b, true);
  }, [total]);

  const rowAt = useCallback((index: number) => cache.current.get(index), []);

  return { total, version, rowAt, requestRange, refresh };
}
