import { useCallback, useRef, useState } from 'react';
import type { ScanDeskClient } from '../../../shared/contract';
import type { ReviewStatus, SYMBOLOGIES } from '../../../shared/detection';
import type { PageBox } from './manual-box';

export interface ReviewBefore {
  id: number;
  review: ReviewStatus;
  correctedText: string | null;
}

/**
 * One undoable piece of review work, with what undoes and redoes it: verdicts and edits (the
 * detections as they were, and as they became when known: without `after` a step cannot be
 * redone), a code drawn by hand (removed again, drawn again), a "checked, no code here" mark.
 */
export type UndoStep =
  | { kind: 'reviews'; before: ReviewBefore[]; after?: ReviewBefore[] }
  | { kind: 'manualAdded'; detectionId: number; itemId: number; code: { box: PageBox; symbology: (typeof SYMBOLOGIES)[number]; text: string } }
  | { kind: 'noCode'; itemId: number; before: boolean };

const DEPTH = 200;

/**
 * Undo (Ctrl+Z, Edit > Undo) and Redo (Ctrl+Shift+Z / Ctrl+Y, Edit > Redo) for review work:
 * every verdict, edit, bulk verdict, drawn code and "no code" mark is recorded per batch; undo
 * puts the last one back in one request and makes it redoable; new work clears what could be
 * redone. Kept for this window's session. `version` changes after each undo or redo so the
 * views showing the batch refetch. Each answers how many detections or pages it changed (0:
 * nothing to do).
 */
export function useUndo(client: ScanDeskClient, onError: (e: unknown) => void) {
  const undos = useRef(new Map<number, UndoStep[]>());
  const redos = useRef(new Map<number, UndoStep[]>());
  const [version, setVersion] = useState(0);

  const push = (stacks: Map<number, UndoStep[]>, batchId: number, step: UndoStep) => {
    const stack = stacks.get(batchId) ?? [];
    stack.push(step);
    if (stack.length > DEPTH) stack.shift();
    stacks.set(batchId, stack);
  };

  const recordStep = useCallback((batchId: number, step: UndoStep) => {
    if (step.kind === 'reviews' && step.before.length === 0) return;
    push(undos.current, batchId, step);
    redos.current.delete(batchId);
  }, []);

  const record = useCallback((batchId: number, before: ReviewBefore[], after?: ReviewBefore[]) => recordStep(batchId, { kind: 'reviews', before, ...(after ? { after } : {}) }), [recordStep]);

  const undo = useCallback(
    async (batchId: number): Promise<number> => {
      const last = undos.current.get(batchId)?.pop();
      if (!last) return 0;
      try {
        if (last.kind === 'reviews') await client.call('detections.restore', { detections: last.before });
        else if (last.kind === 'manualAdded') await client.call('detections.removeManual', { detectionId: last.detectionId });
        else await client.call('items.setNoCode', { itemId: last.itemId, checked: last.before });
        if (last.kind !== 'reviews' || last.after) push(redos.current, batchId, last);
        setVersion((v) => v + 1);
        return last.kind === 'reviews' ? last.before.length : 1;
      } catch (e) {
        onError(e);
        return 0;
      }
    },
    [client, onError],
  );

  const redo = useCallback(
    async (batchId: number): Promise<number> => {
      const next = redos.current.get(batchId)?.pop();
      if (!next) return 0;
      try {
        if (next.kind === 'reviews' && next.after) {
          await client.call('detections.restore', { detections: next.after });
          push(undos.current, batchId, next);
        } else if (next.kind === 'manualAdded') {
          const { detection } = await client.call('detections.addManual', { itemId: next.itemId, ...next.code });
          push(undos.current, batchId, { ...next, detectionId: detection.id });
        } else if (next.kind === 'noCode') {
          await client.call('items.setNoCode', { itemId: next.itemId, checked: !next.before });
          push(undos.current, batchId, next);
        }
        setVersion((v) => v + 1);
        return next.kind === 'reviews' ? next.before.length : 1;
      } catch (e) {
        onError(e);
        return 0;
      }
    },
    [client, onError],
  );

  return { record, recordStep, undo, redo, version };
}
