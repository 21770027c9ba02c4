import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../shared/detection';
import { rectGeometry } from '../../shared/geometry';
import type { ItemFilter } from '../../electron/core/service-types';
import { claim, enqueue, failFinal, finish } from '../../electron/core/queue/jobs';
import { getBatch, insertBatchRow, insertItem } from '../../electron/core/store/batches';
import { openDatabase, openReadonly, type Db } from '../../electron/core/store/db';
import { exportItems } from '../../electron/core/store/export-items';
import { getItem, listItems, reviewDetection } from '../../electron/core/store/items';
import { tempDir } from '../queue/support/tmp';

/**
 * 10,000 pages in a real SQLite file, written through the real queue transitions, then every
 * filter and search checked against a model computed independently in JS.
 */
const N = 10_000;
const tmp = tempDir('items');
let db: Db;
let batchId: number;
let other: number;

interface Model {
  id: number;
  name: string;
  status: 'done' | 'failed';
  texts: string[];
  corrected: Map<number, string>; // detection id -> corrected value
  pendingReview: number;
}
const model: Model[] = [];

const codesFor = (i: number): Detection[] =>
  Array.from({ length: i % 3 }, (_, k) => ({
    kind: 'code' as const,
    symbology: k === 0 ? 'QRCode' : 'Code128',
    text: `INV-${i}-${k}`,
    geometry: rectGeometry(10 * k, 20, 100, 100),
    engine: 'local' as const,
  }));

beforeAll(() => {
  db = openDatabase(join(tmp.dir, 'big.sqlite'));
  const make = (name: string, n: number) =>
    db.transaction(() => {
      const id = insertBatchRow(db, name, { engine: 'local', task: 'codes' }, new Date().toISOString());
      for (let i = 0; i < n; i++) {
        const { id: itemId } = insertItem(db, id, {
          path: `/scans/box-${Math.floor(i / 100)}/page_${i}.png`,
          page: 1,
          pageCount: 1,
          format: 'png',
          size: 1000 + i,
          sha256: `sha-${name}-${i}`,
          error: null,
        });
        enqueue(db, { batchId: id, itemId, engine: 'local', task: 'codes', role: 'primary' });
      }
      return id;
    })();
  batchId = make('big', N);
  other = make('other', 50); // must never leak into the big batch's lists
  for (let i = 0; i < N; i++) {
    const job = claim(db, 'local', { now: Date.now(), leaseMs: 60_000, owner: 't:1' })!;
    if (i % 7 === 3) {
      failFinal(db, job, { code: 'IMAGE_DECODE', message: `page_${i}.png is truncated` }, Date.now());
      model.push({ id: job.itemId, name: `page_${i}.png`, status: 'failed', texts: [], corrected: new Map(), pendingReview: 0 });
      continue;
    }
    const detections = codesFor(i);
    const key = { sha256: job.sha256, page: 1, engine: job.engine, task: job.task, optionsKey: '{}' };
    finish(db, job, { fresh: { detections, pageWidth: 1000, pageHeight: 800, decodedSha256: job.sha256, engineVersion: 'test' } }, key, Date.now());
    model.push({ id: job.itemId, name: `page_${i}.png`, status: 'done', texts: detections.map((d) => d.text), corrected: new Map(), pendingReview: detections.length });
  }
}, 120_000);
afterAll(() => {
  db.close();
  tmp.cleanup();
});

function expected(filter: ItemFilter, search = ''): number[] {
  const s = search.toLowerCase();
  return model
    .filter((m) => {
      const n = m.texts.length;
      const ok =
        filter === 'all' ||
        (filter === 'with-codes' && n > 0) ||
        (filter === 'without-codes' && m.status === 'done' && n === 0) ||
        (filter === 'errors' && m.status === 'failed') ||
        (filter === 'needs-review' && m.pendingReview > 0);
      if (!ok) return false;
      if (!s) return true;
      return m.name.toLowerCase().includes(s) || m.texts.some((t) => t.toLowerCase().includes(s)) || [...m.corrected.values()].some((t) => t.toLowerCase().includes(s));
    })
    .map((m) => m.id);
}

function all(filter: ItemFilter, search?: string): { total: number; ids: number[] } {
  const ids: number[] = [];
  let total: number;
  for (let offset = 0; ; offset += 1000) {
    const page = listItems(db, batchId, { filter, ...(search ? { search } : {}), offset, limit: 1000 });
    total = page.total;
    ids.push(...page.items.map((i) => i.id));
    if (page.items.length < 1000) break;
  }
  return { total, ids };
}

describe('item queries over 10,000 pages', () => {
  it('counts the batch', () => {
    const b = getBatch(db, batchId);
    expect(b.counts.total).toBe(N);
    expect(b.counts.failed).toBe(model.filter((m) => m.status === 'failed').length);
    expect(b.counts.codes).toBe(model.reduce((n, m) => n + m.texts.length, 0));
  });

  it.each(['all', 'with-codes', 'without-codes', 'errors', 'needs-review'] as ItemFilter[])('filter %s', (filter) => {
    const want = expected(filter);
    expect(want.length).toBeGreaterThan(0);
    expect(all(filter)).toEqual({ total: want.length, ids: want });
  });

  it('searches decoded values, file names, and literal % and _', () => {
    for (const q of ['INV-42-', 'inv-9999', 'page_123', 'box-7/', '_1', '%', 'nothing-matches']) {
      const want = expected('all', q);
      expect(all('all', q), q).toEqual({ total: want.length, ids: want });
    }
    expect(all('with-codes', 'INV-500').ids).toEqual(expected('with-codes', 'INV-500'));
  });

  it('pages with offset and limit in intake order', () => {
    const want = expected('with-codes');
    const page = listItems(db, batchId, { filter: 'with-codes', offset: 250, limit: 50 });
    expect(page.total).toBe(want.length);
    expect(page.items.map((i) => i.id)).toEqual(want.slice(250, 300));
    expect(page.items[0]).toMatchObject({ batchId, page: 1, pageCount: 1, status: 'done', width: 1000, height: 800 });
    // Nonsense paging falls back to the defaults instead of reaching SQL.
    const odd = listItems(db, batchId, { offset: Number.NaN, limit: Infinity });
    expect(odd.items.map((i) => i.id)).toEqual(expected('all').slice(0, 100));
    expect(listItems(db, batchId, { limit: 5000 }).items).toHaveLength(1000);
    expect(() => listItems(db, batchId, { filter: 'everything' as never })).toThrow(/Unknown item filter/);
  });

  it('review and correction: needs-review and search follow', () => {
    const target = model.find((m) => m.texts.length === 2)!;
    const detail = getItem(db, target.id);
    expect(detail.detections).toHaveLength(2);
    expect(detail.detections[0]!.geometry).toEqual(rectGeometry(0, 20, 100, 100));
    const d0 = reviewDetection(db, detail.detections[0]!.id, { review: 'accepted' });
    expect(d0.review).toBe('accepted');
    const d1 = reviewDetection(db, detail.detections[1]!.id, { review: 'accepted', correctedText: 'Fixed-ZQ-77' });
    expect(d1).toMatchObject({ review: 'accepted', correctedText: 'Fixed-ZQ-77', text: target.texts[1] });
    target.pendingReview = 0;
    target.corrected.set(d1.id, 'Fixed-ZQ-77');
    expect(all('needs-review').ids).toEqual(expected('needs-review'));
    expect(all('all', 'fixed-zq').ids).toEqual([target.id]);
    // Back to pending and clearing the correction.
    reviewDetection(db, d1.id, { review: 'pending', correctedText: null });
    target.pendingReview = 1;
    target.corrected.clear();
    expect(all('needs-review').ids).toEqual(expected('needs-review'));
    expect(all('all', 'fixed-zq').ids).toEqual([]);
    expect(() => reviewDetection(db, 99_999_999, { review: 'accepted' })).toThrow(/does not exist/);
    expect(() => reviewDetection(db, d1.id, { review: 'maybe' as never })).toThrow(/Unknown review status/);
  });

  it('streams the export from its own connection while the writer goes on', () => {
    const ro = openReadonly(join(tmp.dir, 'big.sqlite'));
    let pages = 0;
    let detections = 0;
    let wrote = false;
    for (const it of exportItems(ro, batchId)) {
      if (!wrote) {
        // The cursor is open: the main connection can still write.
        reviewDetection(db, getItem(db, model.find((m) => m.texts.length > 0)!.id).detections[0]!.id, { review: 'rejected' });
        wrote = true;
      }
      pages++;
      detections += it.detections.length;
      if (it.status === 'failed') expect(it.error?.code).toBe('IMAGE_DECODE');
      for (const d of it.detections) expect(d).not.toHaveProperty('id');
    }
    ro.close();
    expect(pages).toBe(N);
    expect(detections).toBe(model.reduce((n, m) => n + m.texts.length, 0));
    expect(listItems(db, other).total).toBe(50);
  });
});
