import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemSummary } from '../../../shared/batch';
import type { ScanDeskClient } from '../../../shared/contract';
import type { ItemFilterName } from './items';
import { BlockFetcher } from './block-fetcher';
import { BLOCK_SIZE, BlockCache, blocksForRange } from './page-cache';

/**
 * Items fetched beyond the visible range, both ways: half a block is about half a second of a
 * fling, so the next block is usually there before its rows are. Rows that mount as grey
 * placeholders and then render again as cards cost two renders, and a read-out of blank cards.
 */
const PREFETCH = BLOCK_SIZE / 2;

type ItemsPage = { total: number; items: ItemSummary[] };

export interface ItemsQuery {
  batchId: number;
  filter: ItemFilterName;
  search: string;
}

/**
 * The items of one batch under one filter, fetched block by block as the grid asks for
 * ranges. `refresh()` refetches the blocks in view (progress events call it) without clearing
 * what is shown, so thumbnails do not flicker while a batch runs.
 */
export function useItems(client: ScanDeskClient, query: ItemsQuery, onError: (e: unknown) => void) {
  const cache = useRef(new BlockCache<ItemSummary>(BLOCK_SIZE));
  const fetcher = useRef<BlockFetcher<ItemsPage> | null>(null);
  const visible = useRef<[number, number]>([0, 0]);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const { batchId, filter, search } = query;

  // A new batch, filter or search starts from nothing, with its own fetcher.
  useEffect(() => {
    const f = new BlockFetcher<ItemsPage>(
      (block) => client.call('items.list', { batchId, filter, ...(search ? { search } : {}), offset: block * BLOCK_SIZE, limit: BLOCK_SIZE }),
      (block, r) => {
        cache.current.put(block, r.items);
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
  }, [client, batchId, filter, search, onError]);

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

  const itemAt = useCallback((index: number) => cache.current.get(index), []);

  return { total, version, itemAt, requestRange, refresh };
}
