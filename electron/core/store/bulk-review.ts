import type { ReviewStatus } from '../../../shared/detection';
import type { ItemFilter } from '../service-types';
import type { Db } from './db';
import { itemsWhere } from './items';
import { stmt } from './statements';
import { recountItem } from './merge';

/** Which open detections a bulk verdict applies to: one page, the grid's current list, or one symbology. */
export type BulkScope = { itemId: number } | { filter: ItemFilter; search?: string } | { symbology: string };

/** A detection's review before a change: what Undo puts back. */
export interface ReviewBefore {
  id: number;
  review: ReviewStatus;
  correctedText: string | null;
}

/**
 * Gives every detection still open (pending) in the scope the same verdict, in one transaction,
 * keeping each page's open-review counter exact. Answers the detections it changed as they were
 * before (for Undo). Decided ones are left as the reviewer left them.
 */
export function bulkReview(db: Db, batchId: number, scope: BulkScope, review: ReviewStatus): ReviewBefore[] {
  let items: string;
  let params: Record<string, unknown> = { batchId };
  if ('itemId' in scope) {
    items = `SELECT id FROM items WHERE batch_id = @batchId AND id = @itemId`;
    params.itemId = scope.itemId;
  } else if ('symbology' in scope) {
    items = `SELECT id FROM items WHERE batch_id = @batchId`;
  } else {
    const w = itemsWhere(batchId, scope);
    items = `SELECT id ${w.sql}`;
    params = { ...params, ...w.params };
  }
  const symbology = 'symbology' in scope ? ` AND d.symbology = @symbology` : '';
  if ('symbology' in scope) params.symbology = scope.symbology;
  return db.transaction(() => {
    const before = stmt(
      db,
      `SELECT d.id, d.review, d.corrected_text AS correctedText, d.item_id AS itemId FROM detections d
        WHERE d.review = 'pending' AND d.item_id IN (${items})${symbology} ORDER BY d.id`,
    ).all(params) as Array<ReviewBefore & { itemId: number }>;
    const set = stmt(db, `UPDATE detections SET review = ? WHERE id = ?`);
    for (const d of before) set.run(review, d.id);
    for (const itemId of new Set(before.map((d) => d.itemId))) recountItem(db, itemId);
    return before.map(({ id, review: r, correctedText }) => ({ id, review: r, correctedText }));
  })();
}

/** The symbologies found in a batch, with how many of each are still open: for "accept every EAN-13". */
export function batchSymbologies(db: Db, batchId: number): Array<{ symbology: string; total: number; pending: number }> {
  return stmt(
    db,
    `SELECT d.symbology, count(*) AS total, sum(d.review = 'pending') AS pending
       FROM detections d JOIN items i ON i.id = d.item_id WHERE i.batch_id = ? GROUP BY d.symbology ORDER BY total DESC, d.symbology`,
  ).all(batchId) as Array<{ symbology: string; total: number; pending: number }>;
}

/** Puts detections back as they were (Undo of a verdict, an edit or a bulk verdict), in one transaction. */
export function restoreReviews(db: Db, list: ReviewBefore[]): number {
  return db.transaction(() => {
    const set = stmt(db, `UPDATE detections SET review = ?, corrected_text = ? WHERE id = ? RETURNING item_id`);
    const touched = new Set<number>();
    for (const d of list) {
      const row = set.get(d.review, d.correctedText, d.id) as { item_id: number } | undefined;
      if (row) touched.add(row.item_id);
    }
    for (const itemId of touched) recountItem(db, itemId);
    return touched.size;
  })();
}
