import { useCallback } from 'react';
import type { CodeRow } from '../../../../shared/code-table';
import type { ScanDeskClient } from '../../../../shared/contract';
import { useBlocks } from '../../logic/use-blocks';
import type { CodeFilters } from '../../logic/code-filters';

/**
 * The rows of the results table for one batch and one set of filters, fetched a block at a
 * time as the table asks for ranges (logic/use-blocks.ts, as the grid's items), so a batch with
 * tens of thousands of codes holds only the blocks scrolled near. `refresh()` refetches the
 * blocks in view without clearing them (progress, verdicts, undo).
 */
export function useCodes(client: ScanDeskClient, batchId: number, filters: CodeFilters, onError: (e: unknown) => void) {
  const { symbology, engine, review, ruleBreaks } = filters;
  const fetchBlock = useCallback(
    (offset: number, limit: number): Promise<{ total: number; rows: CodeRow[] }> =>
      client.call('detections.list', {
        batchId,
        ...(symbology ? { symbology } : {}),
        ...(engine ? { engine } : {}),
        ...(review ? { review } : {}),
        ...(ruleBreaks ? { ruleBreaks } : {}),
        offset,
        limit,
      }),
    [client, batchId, symbology, engine, review, ruleBreaks],
  );
  return useBlocks(fetchBlock, onError);
}
