import { useEffect, useRef, useState } from 'react';
import type { ItemDetail } from '../../../../shared/batch';
import type { ScanDeskClient } from '../../../../shared/contract';
import type { GridQuery } from '../BatchView';

export interface PageLoad {
  /** The filtered list's size now (it shrinks as an inbox empties). */
  total: number;
  detail: ItemDetail | null;
  /** The same page as before, reloaded (its detections changed): keep the cursor where it was. */
  samePage: boolean;
}

/**
 * The page at `index` of the filtered list the grid shows (its id through the same items.list
 * query, then its detail), and the next page's preview warmed so J shows it at once. `reload`
 * refetches the same index (the page left the list, so the index now holds the next one).
 * `onLoaded` is read at call time: a new function each render does not refetch.
 */
export function useReviewPage(
  client: ScanDeskClient,
  batchId: number,
  query: GridQuery,
  index: number,
  /** Any change refetches the page at `index` (a reviewed page left the list, an undo). */
  reload: string,
  onLoaded: (load: PageLoad) => void,
  onError: (e: unknown) => void,
) {
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const detailRef = useRef<ItemDetail | null>(null);
  const onLoadedRef = useRef(onLoaded);
  useEffect(() => {
    detailRef.current = detail;
    onLoadedRef.current = onLoaded;
  });
  const { filter, search } = query;

  useEffect(() => {
    let live = true;
    const list = (offset: number) =>
      client.call('items.list', { batchId, filter, ...(search ? { search } : {}), offset, limit: 1 });
    (async () => {
      const page = await list(index);
      if (!live) return;
      const item = page.items[0];
      if (!item) {
        setDetail(null);
        onLoadedRef.current({ total: page.total, detail: null, samePage: false });
        return;
      }
      const d = await client.call('items.get', { itemId: item.id });
      if (!live) return;
      const samePage = detailRef.current?.id === d.id;
      setDetail(d);
      onLoadedRef.current({ total: page.total, detail: d, samePage });
      if (index + 1 < page.total) {
        const n = (await list(index + 1)).items[0];
        if (live && n && n.status !== 'skipped') new Image().src = client.mediaUrl('preview', n.id);
      }
    })().catch((e: unknown) => live && onError(e));
    return () => {
      live = false;
    };
  }, [client, batchId, filter, search, index, reload, onError]);

  return { detail, setDetail, detailRef };
}
