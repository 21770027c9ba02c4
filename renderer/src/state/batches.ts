import { settledPages, type BatchProgress, type BatchSummary } from '../../../shared/batch';

/** The sidebar's state: every batch, newest first, kept current by progress events. */
export interface BatchesState {
  batches: BatchSummary[];
  selectedId: number | null;
  loaded: boolean;
}

export type BatchesAction =
  | { type: 'loaded'; batches: BatchSummary[] }
  | { type: 'upsert'; batch: BatchSummary }
  | { type: 'progress'; progress: BatchProgress }
  | { type: 'removed'; batchId: number }
  | { type: 'select'; batchId: number | null }
  /** Another source's batches are shown now (a shared queue): nothing known so far applies. */
  | { type: 'reset' };

export const initialBatches: BatchesState = { batches: [], selectedId: null, loaded: false };

function newestFirst(a: BatchSummary, b: BatchSummary): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
}

export function batchesReducer(state: BatchesState, action: BatchesAction): BatchesState {
  switch (action.type) {
    case 'loaded': {
      const batches = action.batches.slice().sort(newestFirst);
      // A list reload must not lose the counts a faster progress event already brought.
      const byId = new Map(state.batches.map((b) => [b.id, b]));
      const merged = batches.map((b) => {
        const known = byId.get(b.id);
        return known && settledOf(known) > settledOf(b) && b.status === known.status ? { ...b, counts: known.counts } : b;
      });
      const selectedId = state.selectedId !== null && merged.some((b) => b.id === state.selectedId) ? state.selectedId : null;
      return { batches: merged, selectedId, loaded: true };
    }
    case 'upsert': {
      const rest = state.batches.filter((b) => b.id !== action.batch.id);
      return { ...state, batches: [...rest, action.batch].sort(newestFirst) };
    }
    case 'progress': {
      const { batchId, status, counts } = action.progress;
      let changed = false;
      const batches = state.batches.map((b) => {
        if (b.id !== batchId) return b;
        changed = true;
        return { ...b, status, counts };
      });
      return changed ? { ...state, batches } : state;
    }
    case 'removed':
      return {
        ...state,
        batches: state.batches.filter((b) => b.id !== action.batchId),
        selectedId: state.selectedId === action.batchId ? null : state.selectedId,
      };
    case 'select':
      return { ...state, selectedId: action.batchId };
    case 'reset':
      return { batches: [], selectedId: null, loaded: false };
  }
}

function settledOf(b: BatchSummary): number {
  return settledPages(b.counts);
}

/** Which actions make sense for a batch in its current state. */
export function batchActions(b: BatchSummary): { pause: boolean; resume: boolean; cancel: boolean; retry: boolean } {
  const active = b.status === 'running' || b.status === 'queued';
  return {
    pause: active,
    resume: b.status === 'paused',
    cancel: active || b.status === 'paused',
    retry: b.counts.failed > 0 && !active,
  };
}
