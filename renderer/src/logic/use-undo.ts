import { useCallback, useRef, useState } from 'react';
import type { ScanDeskClient } from '../../../shared/contract';
import type { ReviewStatus } from '../../../shared/detection';

export interface ReviewBefore {
  id: number;
  review: ReviewStatus;
  correctedText: string | null;
}

/**
 * One undoable piece of review work, as what puts it back: verdicts and edits (the detections
 * as they were), a code drawn by hand (removed again), a "checked, no code here" (the mark as
 * it was).
 */
export type UndoStep =
  | { kind: 'reviews'; before: ReviewBefore[] }
  | { kind: 'manualAdded'; detectionId: number }
  | { kind: 'noCode'; itemId: number; before: boolean };

const DEPTH = 200;

/**
 * Undo (Ctrl+Z) for review work: every verdict, edit, bulk verdict, drawn code and "no code"
 * mark is recorded per batch; undo puts the last one back in one request. Kept for this
 * window's session. `version` changes after each undo so the views showing the batch refetch.
 */
export function useUndo(client: ScanDeskClient, onError: (e: unknown) => void) {
  const stacks = useRef(new Map<number, UndoStep[]>());
  const [version, setVersion] = useState(0);

  const recordStep = useCallback((batchId: number, step: UndoStep) => {
    if (step.kind === 'reviews' && step.before.length === 0) return;
    const stack = stacks.current.get(batchId) ?? [];
    stack.push(step);
    if (stack.length > DEPTH) stack.shift();
    stacks.current.set(batchId, stack);
  }, []);

  const record = useCallback((batchId: number, before: ReviewBefore[]) => recordStep(batchId, { kind: 'reviews', before }), [recordStep]);

  /** Puts back the batch's last change; answers how many detections or pages it restored (0: nothing to undo). */
  const undo = useCallback(
    async (batchId: number): Promise<number> => {
      const last = stacks.current.get(batchId)?.pop();
      if (!last) return 0;
      try {
        if (last.kind === 'reviews') await client.call('detections.restore', { detections: last.before });
        else if (last.kind === 'manualAdded') await client.call('detections.removeManual', { detectionId: last.detectionId });
        else await client.call('items.setNoCode', { itemId: last.itemId, checked: last.before });
        setVersion((v) => v + 1);
        return last.kind === 'reviews' ? last.before.length : 1;
      } catch (e) {
        onError(e);
        return 0;
      }
    },
    [client, onError],
  );

  return { record, recordStep, undo, version };
}
