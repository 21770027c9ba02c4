import type { ItemDetail, ItemStatus, ItemSummary } from '../../../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../../../shared/detection';
import { ScanError } from '../../errors';
import type { ExportDetection, ExportItem } from '../../export/types';
import type { ItemQuery } from '../../service-types';
import type { BulkScope, ReviewBefore } from '../bulk-review';
import { ITEM_COLUMNS, ITEM_FILTERS, likePattern, MAX_PAGE, REVIEWS, whole, type ItemFile } from '../items';
import { pageRule, toDetection, toError, toItem, type DetectionRow, type ItemRow } from '../rows';
import { changes, row, rows, type Queryable } from './db';
import { foldMerged, mergedCopies, recountItem } from './merge';

/** store/items.ts, bulk-review.ts, ignored.ts and export-items.ts for PostgreSQL: what desks read and review. */

/** `FROM items WHERE ...` for a batch under a filter and search, with its parameters from `$first` on. */
export function itemsWhere(batchId: number, q: Pick<ItemQuery, 'filter' | 'search'>, first = 1): { sql: string; params: unknown[] } {
  const filter = q.filter ?? 'all';
  const where = ITEM_FILTERS[filter];
  if (where === undefined) throw new ScanError('INVALID_INPUT', `Unknown item filter "${String(filter)}".`);
  const search = typeof q.search === 'string' ? q.search.trim() : '';
  let sql = `FROM items WHERE batch_id = $${first} AND ${where}`;
  const params: unknown[] = [batchId];
  if (search !== '') {
    // Case-insensitive substring of the name or any decoded or corrected value (trigram indexes).
    const p = `$${first + 1}`;
    sql += ` AND (name ILIKE ${p} OR EXISTS (SELECT 1 FROM detections d WHERE d.item_id = items.id AND (d.text ILIKE ${p} OR d.corrected_text ILIKE ${p})))`;
    params.push(likePattern(search));
  }
  return { sql, params };
}

export async function listItems(db: Queryable, batchId: number, q: ItemQuery = {}): Promise<{ total: number; items: ItemSummary[] }> {
  const offset = Math.max(0, whole(q.offset, 0));
  const limit = Math.min(MAX_PAGE, Math.max(0, whole(q.limit, 100)));
  const w = itemsWhere(batchId, q);
  const total = (await row<{ n: number }>(db, `SELECT count(*) AS n ${w.sql}`, w.params))!.n;
  const n = w.params.length;
  const list = await rows<ItemRow>(db, `SELECT ${ITEM_COLUMNS} ${w.sql} ORDER BY id LIMIT $${n + 1} OFFSET $${n + 2}`, [...w.params, limit, offset]);
  return { total, items: list.map(toItem) };
}

export async function getItem(db: Queryable, itemId: number): Promise<ItemDetail> {
  const r = await row<ItemRow>(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1`, [itemId]);
  if (!r) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  const detections = (await rows<DetectionRow>(db, `SELECT * FROM detections WHERE item_id = $1 ORDER BY id`, [itemId])).map(toDetection);
  return { ...toItem(r), detections: await foldMerged(db, itemId, detections) };
}

/** store/items.ts itemFile, on PostgreSQL. */
export async function itemFile(db: Queryable, itemId: number): Promise<ItemFile> {
  const r = await row<ItemFile>(db, `SELECT path, page, sha256 FROM items WHERE id = $1`, [itemId]);
  if (!r) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  return { path: r.path, page: r.page, sha256: r.sha256 || null };
}

export function checkReviewChange(change: { review?: ReviewStatus; correctedText?: string | null }): void {
  if (change.review !== undefined && !REVIEWS.includes(change.review)) throw new ScanError('INVALID_INPUT', `Unknown review status "${String(change.review)}".`);
  if (change.correctedText !== undefined && change.correctedText !== null && typeof change.correctedText !== 'string') {
    throw new ScanError('INVALID_INPUT', 'A corrected value must be text or null.');
  }
}

/** Inside a transaction: the verdict for the detection and every engine's copy of the same code. */
export async function reviewDetection(
  db: Queryable,
  detectionId: number,
  change: { review?: ReviewStatus; correctedText?: string | null },
): Promise<StoredDetection> {
  checkReviewChange(change);
  const before = await row<DetectionRow>(db, `SELECT * FROM detections WHERE id = $1 FOR UPDATE`, [detectionId]);
  if (!before) throw new ScanError('NOT_FOUND', `Detection ${detectionId} does not exist.`);
  const ids = [detectionId, ...(await mergedCopies(db, before.item_id, detectionId))];
  await changes(db, `UPDATE detections SET review = $1, corrected_text = $2 WHERE id = ANY($3::bigint[])`, [
    change.review ?? before.review,
    change.correctedText === undefined ? before.corrected_text : change.correctedText,
    ids,
  ]);
  await recountItem(db, before.item_id);
  return toDetection((await row<DetectionRow>(db, `SELECT * FROM detections WHERE id = $1`, [detectionId]))!);
}

export async function bulkReview(db: Queryable, batchId: number, scope: BulkScope, review: ReviewStatus): Promise<ReviewBefore[]> {
  let items: string;
  let params: unknown[];
  let symbology = '';
  if ('itemId' in scope) {
    items = `SELECT id FROM items WHERE batch_id = $1 AND id = $2`;
    params = [batchId, scope.itemId];
  } else if ('symbology' in scope) {
    items = `SELECT id FROM items WHERE batch_id = $1`;
    params = [batchId, scope.symbology];
    symbology = ` AND d.symbology = $2`;
  } else {
    const w = itemsWhere(batchId, scope);
    items = `SELECT id ${w.sql}`;
    params = w.params;
  }
  const before = await rows<ReviewBefore & { itemId: number }>(
    db,
    `SELECT d.id, d.review, d.corrected_text AS "correctedText", d.item_id AS "itemId" FROM detections d
      WHERE d.review = 'pending' AND d.item_id IN (${items})${symbology} ORDER BY d.id FOR UPDATE OF d`,
    params,
  );
  await changes(db, `UPDATE detections SET review = $1 WHERE id = ANY($2::bigint[])`, [review, before.map((d) => d.id)]);
  for (const itemId of new Set(before.map((d) => d.itemId))) await recountItem(db, itemId);
  return before.map(({ id, review: r, correctedText }) => ({ id, review: r, correctedText }));
}

export async function batchSymbologies(db: Queryable, batchId: number): Promise<Array<{ symbology: string; total: number; pending: number }>> {
  return rows(
    db,
    `SELECT d.symbology, count(*) AS total, count(*) FILTER (WHERE d.review = 'pending') AS pending
       FROM detections d JOIN items i ON i.id = d.item_id WHERE i.batch_id = $1 GROUP BY d.symbology ORDER BY total DESC, d.symbology`,
    [batchId],
  );
}

export async function restoreReviews(db: Queryable, list: ReviewBefore[]): Promise<number> {
  const touched = new Set<number>();
  for (const d of list) {
    const r = await row<{ item_id: number }>(db, `UPDATE detections SET review = $1, corrected_text = $2 WHERE id = $3 RETURNING item_id`, [
      d.review,
      d.correctedText,
      d.id,
    ]);
    if (r) touched.add(r.item_id);
  }
  for (const itemId of touched) await recountItem(db, itemId);
  return touched.size;
}

export async function listIgnored(db: Queryable, batchId: number, offset: number, limit: number): Promise<{ total: number; files: Array<{ path: string; reason: string }> }> {
  const total = (await row<{ n: number }>(db, `SELECT count(*) AS n FROM items WHERE batch_id = $1 AND status = 'skipped'`, [batchId]))!.n;
  const files = await rows<{ path: string; reason: string }>(
    db,
    `SELECT path, coalesce(error_message, '') AS reason FROM items WHERE batch_id = $1 AND status = 'skipped' ORDER BY id LIMIT $2 OFFSET $3`,
    [batchId, limit, offset],
  );
  return { total, files };
}

/** Pages per round trip while exporting: memory stays bounded whatever the batch's size. */
const EXPORT_PAGE = 500;

/** A batch's pages with their detections in intake order, read page by page (keyset on id). */
export async function* exportItems(db: Queryable, batchId: number): AsyncGenerator<ExportItem> {
  let after = 0;
  for (;;) {
    const items = await rows<{
      id: number;
      path: string;
      page: number;
      status: ItemStatus;
      error_code: string | null;
      error_message: string | null;
      rule_json: string | null;
      rule_breaks: number;
    }>(
      db,
      `SELECT id, path, page, status, error_code, error_message, rule_json, rule_breaks FROM items WHERE batch_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [batchId, after, EXPORT_PAGE],
    );
    if (items.length === 0) return;
    const last = items[items.length - 1]!.id;
    const dets = await rows<DetectionRow>(db, `SELECT * FROM detections WHERE item_id = ANY($1::bigint[]) ORDER BY item_id, id`, [items.map((i) => i.id)]);
    const byItem = new Map<number, ExportDetection[]>();
    for (const r of dets) {
      const { id: _id, itemId: _itemId, ...d } = toDetection(r);
      byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), d as ExportDetection]);
    }
    for (const i of items) {
      yield {
        itemId: i.id,
        path: i.path,
        page: i.page,
        status: i.status,
        error: toError(i.error_code, i.error_message),
        detections: byItem.get(i.id) ?? [],
        ...pageRule(i.rule_json, i.rule_breaks),
      };
    }
    after = last;
  }
}
