import { useCallback } from 'react';
import type { ItemSummary } from '../../../shared/batch';
import type { ScanDeskClient } from '../../../shared/contract';
import type { ItemFilterName } from './items';
import { useBlocks } from './use-blocks';

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
  const { batchId, filter, search } = query;
  // A new batch, filter or search starts from nothing, with its own fetcher (useBlocks).
  const fetchBlock = useCallback(
    (offset: number, limit: number) =>
      client.call('items.list', { batchId, filter, ...(search ? { search } : {}), offset, limit }).then((r: ItemsPage) => ({ total: r.total, rows: r.items })),
    [client, batchId, filter, search],
  );
  const { rowAt, ...blocks } = useBlocks<ItemSummary>(fetchBlock, onError);
  return { ...blocks, itemAt: rowAt };
}
