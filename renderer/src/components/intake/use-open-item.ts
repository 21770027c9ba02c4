import { useCallback } from 'react';
import type { ScanDeskClient } from '../../../../shared/contract';
import type { GridQuery } from '../BatchView';

/**
 * Opens one page (by item id) in the review view: the grid goes back to every page, and the
 * review opens at the page's place in it (found by reading the batch in pages of 1,000).
 */
export function useOpenItem(
  client: ScanDeskClient,
  batchId: number,
  onQuery: (q: GridQuery) => void,
  onOpen: (index: number, total: number) => void,
  reportError: (e: unknown) => void,
): (itemId: number) => void {
  return useCallback(
    (itemId: number) => {
      void (async () => {
        for (let offset = 0; ; offset += 1000) {
          const page = await client.call('items.list', { batchId, offset, limit: 1000 });
          const i = page.items.findIndex((it) => it.id === itemId);
          if (i >= 0) {
            onQuery({ filter: 'all', search: '' });
            onOpen(offset + i, page.total);
            return;
          }
          if (page.items.length < 1000) return;
        }
      })().catch(reportError);
    },
    [client, batchId, onQuery, onOpen, reportError],
  );
}
