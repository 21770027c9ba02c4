import { useCallback, useEffect, useRef, useState } from 'react';
import type { CodeRow } from '../../../../shared/code-table';
import type { ScanDeskClient } from '../../../../shared/contract';
import { BlockFetcher } from '../../logic/block-fetcher';
import { BLOCK_SIZE, BlockCache, blocksForRange } from '../../logic/page-cache';
import type { CodeFilters } from '../../logic/code-filters';

type CodesPage = { total: number; rows: CodeRow[] };

/**
 * The rows of the results table for one batch and one set of filters, fetched a block at a
 * time as the table asks for ranges (the grid's block cache and fetcher, see use-items.ts), so
 * a batch with tens of thousands of codes holds only the blocks scrolled near. `refresh()`
 * refetches the blocks in view without clearing them (progress, verdicts, undo).
 */
export function useCodes(client: ScanDeskClient, batchId: number, filters: CodeFilters, onError: (e: unknown) => void) {
  const cache = useRef(new BlockCache<CodeRow>(BLOCK_SIZE));
  const fetcher = useRef<BlockFetcher<CodesPage> | null>(null);
  const visible = useRef<[number, number]>([0, 0]);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const { symbology, engine, review, ruleBreaks } = filters;

  useEffect(() => {
    const f = new BlockFetcher<CodesPage>(
      (block) =>
        client.call('detections.list', {
          batchId,
          ...(symbology ? { symbology } : {}),
          ...(engine ? { engine } : {}),
          ...(review ? { review } : {}),
          ...(ruleBreaks ? { ruleBreaks } : {}),
          offset: block * BLOCK_SIZE,
          limit: BLOCK_SIZE,
        }),
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
  }, [client, batchId, symbology, engine, review, ruleBreaks, onError]);

  const requestRange = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      if (total === null) return;
      for (const b of blocksForRange(first - BLOCK_SIZE / 2, last + BLOCK_SIZE / 2, total)) {
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
