import { useCallback, useRef, useState } from 'react';
import type { ScanDeskClient } from '../../../shared/contract';
import type { ReviewStatus } from '../../../shared/detection';

export interface ReviewBefore {
  id: number;
  review: ReviewStatus;
  correctedText: string | null;
}

const DEPTH = 200;

/**
 * Undo (Ctrl+Z) for review work: every verdict, edit and bulk verdict is recorded per batch as
 * the detections were before it; undo puts the last one back in one request
 * (detections.restore). Kept for this window's session. `version` changes after each undo so
 * the views showing the batch refetch.
 */
export function useUndo(client: ScanDeskClient, onError: (e: unknown) => void) {
  const stacks = useRef(new Map<number, ReviewBefore[][]>());
  const [version, setVersion] = useState(0);

  const record = useCallback((batchId: number, before: ReviewBefore[]) => {
    if (before.length === 0) return;
    const stack = stacks.current.get(batchId) ?? [];
    stack.push(before);
    if (stack.length > DEPTH) stack.shift();
    stacks.current.set(batchId, stack);
  }, []);

  /** Puts back the batch's last change; answers how many detections it restored (0: nothing to undo). */
  const undo = useCallback(
    async (batchId: number): Promise<number> => {
      const last = stacks.current.get(batchId)?.pop();
      if (!last) return 0;
      try {
        await client.call('detections.restore', { detections: last });
        setVersion((v) => v + 1);
        return last.length;
      } catch (e) {
        onError(e);
        return 0;
      }
    },
    [client, onError],
  );

  return { record, undo, version };
}
