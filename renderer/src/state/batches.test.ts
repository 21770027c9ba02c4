import { describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../../shared/batch';
import { batchActions, batchesReducer, initialBatches } from './batches';

function batch(id: number, createdAt: string, patch: Partial<BatchSummary> = {}): BatchSummary {
  return {
    id,
    name: `b${id}`,
    createdAt,
    status: 'running',
    plan: { engine: 'local', task: 'codes' },
    counts: { total: 10, pending: 10, done: 0, failed: 0, cancelled: 0, skipped: 0, codes: 0 },
    stopped: [],
    engines: ['local'],
    ...patch,
  };
}

describe('batchesReducer', () => {
  it('sorts loaded batches newest first', () => {
    const s = batchesReducer(initialBatches, { type: 'loaded', batches: [batch(1, '2026-01-01'), batch(2, '2026-02-01')] });
    expect(s.batches.map((b) => b.id)).toEqual([2, 1]);
    expect(s.loaded).toBe(true);
  });

  it('applies progress events to the right batch only', () => {
    let s = batchesReducer(initialBatches, { type: 'loaded', batches: [batch(1, 'a'), batch(2, 'b')] });
    const counts = { total: 10, pending: 4, done: 5, failed: 1, cancelled: 0, skipped: 0, codes: 9 };
    s = batchesReducer(s, { type: 'progress', progress: { batchId: 1, status: 'running', counts } });
    expect(s.batches.find((b) => b.id === 1)?.counts).toEqual(counts);
    expect(s.batches.find((b) => b.id === 2)?.counts.done).toBe(0);
  });

  it('ignores progress for a batch it does not know (same state object)', () => {
    const s = batchesReducer(initialBatches, { type: 'loaded', batches: [batch(1, 'a')] });
    const next = batchesReducer(s, { type: 'progress', progress: { batchId: 9, status: 'done', counts: batch(9, 'x').counts } });
    expect(next).toBe(s);
  });

  it('keeps fresher progress counts when a stale list arrives', () => {
    let s = batchesReducer(initialBatches, { type: 'loaded', batches: [batch(1, 'a')] });
    const counts = { total: 10, pending: 2, done: 8, failed: 0, cancelled: 0, skipped: 0, codes: 8 };
    s = batchesReducer(s, { type: 'progress', progress: { batchId: 1, status: 'running', counts } });
    s = batchesReducer(s, { type: 'loaded', batches: [batch(1, 'a')] });
    expect(s.batches[0]?.counts.done).toBe(8);
  });

  it('clears the selection when the selected batch is removed', () => {
    let s = batchesReducer(initialBatches, { type: 'loaded', batches: [batch(1, 'a'), batch(2, 'b')] });
    s = batchesReducer(s, { type: 'select', batchId: 1 });
    s = batchesReducer(s, { type: 'removed', batchId: 1 });
    expect(s.selectedId).toBeNull();
    expect(s.batches.map((b) => b.id)).toEqual([2]);
  });

  it('adds a newly created batch on top', () => {
    let s = batchesReducer(initialBatches, { type: 'loaded', batches: [batch(1, '2026-01-01')] });
    s = batchesReducer(s, { type: 'upsert', batch: batch(2, '2026-03-01') });
    expect(s.batches.map((b) => b.id)).toEqual([2, 1]);
  });
});

describe('batchActions', () => {
  it('offers pause and cancel while running, resume when paused, retry when settled with failures', () => {
    expect(batchActions(batch(1, 'a'))).toEqual({ pause: true, resume: false, cancel: true, retry: false });
    expect(batchActions(batch(1, 'a', { status: 'paused' }))).toEqual({ pause: false, resume: true, cancel: true, retry: false });
    const failed = batch(1, 'a', { status: 'done', counts: { total: 2, pending: 0, done: 1, failed: 1, cancelled: 0, skipped: 0, codes: 1 } });
    expect(batchActions(failed)).toEqual({ pause: false, resume: false, cancel: false, retry: true });
  });
});
