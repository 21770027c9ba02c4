import type { ItemDetail, ItemSummary } from '../../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../../shared/detection';
import { ScanError } from '../errors';
import type { ItemFilter, ItemQuery } from '../service-types';
import type { Db } from './db';
import { toDetection, toItem, type DetectionRow, type ItemRow } from './rows';
import { stmt } from './statements';
import { foldMerged, mergedCopies, recountItem } from './merge';

export const ITEM_FILTERS: Record<ItemFilter, string> = {
  // Ignored files (not images) are listed apart (listIgnored), never as pages.
  all: `status <> 'skipped'`,
  'with-codes': 'detection_count > 0',
  // "Nothing found" only means something once the page was decoded.
  'without-codes': `status = 'done' AND detection_count = 0`,
  errors: `status = 'failed'`,
  'needs-review': 'review_pending > 0',
  'rule-breaks': 'rule_breaks > 0',
};

export const ITEM_COLUMNS = 'id, batch_id, path, page, page_count, status, error_code, error_message, width, height, detection_count, review_pending, checked_no_code, rule_json, rule_breaks';

export const MAX_PAGE = 1000;

export function whole(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : fallback;
}

/** LIKE pattern for a literal substring (\, % and _ escaped). */
export function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a batch's items, in intake order. The filters read columns of `items` kept up to
 * date as results land (detection_count, review_pending), so they cost one indexed range scan;
 * search adds a substring match (case-insensitive) on the file name or any detection's decoded
 * or corrected value, answered by the trigram index item_search.
 */
export function listItems(db: Db, batchId: number, q: ItemQuery = {}): { total: number; items: ItemSummary[] } {
  const offset = Math.max(0, whole(q.offset, 0));
  const limit = Math.min(MAX_PAGE, Math.max(0, whole(q.limit, 100)));
  const { sql, params } = itemsWhere(batchId, q);
  const total = (stmt(db, `SELECT count(*) AS n ${sql}`).get(params) as { n: number }).n;
  const rows = stmt(db, `SELECT ${ITEM_COLUMNS} ${sql} ORDER BY id LIMIT @limit OFFSET @offset`).all({
    ...params,
    limit,
    offset,
  }) as ItemRow[];
  return { total, items: rows.map(toItem) };
}

/** `FROM items WHERE ...` for a batch under a filter and search (the grid's list), with its parameters. */
export function itemsWhere(batchId: number, q: Pick<ItemQuery, 'filter' | 'search'>): { sql: string; params: Record<string, unknown> } {
  const filter = q.filter ?? 'all';
  const where = ITEM_FILTERS[filter];
  if (where === undefined) throw new ScanError('INVALID_INPUT', `Unknown item filter "${String(filter)}".`);
  const search = typeof q.search === 'string' ? q.search.trim() : '';
  let sql = `FROM items WHERE batch_id = @batchId AND ${where}`;
  const params: Record<string, unknown> = { batchId };
  if (search !== '') {
    // Through the trigram index (migration 002). Without ESCAPE the index serves the LIKE;
    // a search for a literal %, _ or \ needs ESCAPE and scans the index's text instead.
    const special = /[\\%_]/.test(search);
    sql += ` AND id IN (SELECT rowid FROM item_search WHERE value LIKE @pattern${special ? ` ESCAPE '\\'` : ''})`;
    params.pattern = special ? likePattern(search) : `%${search}%`;
  }
  return { sql, params };
}

export function itemDetections(db: Db, itemId: number): StoredDetection[] {
  const rows = stmt(db, `SELECT * FROM detections WHERE item_id = ? ORDER BY id`).all(itemId) as DetectionRow[];
  return rows.map(toDetection);
}

export function getItem(db: Db, itemId: number): ItemDetail {
  const row = stmt(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`).get(itemId) as ItemRow | undefined;
  if (!row) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  return { ...toItem(row), detections: foldMerged(db, itemId, itemDetections(db, itemId)) };
}

/** The file a page was read from and its bytes' hash (null for a file intake could not read). NOT_FOUND for no item. */
export function itemFile(db: Db, itemId: number): ItemFile {
  const row = stmt(db, `SELECT path, page, sha256 FROM items WHERE id = ?`).get(itemId) as ItemFile | undefined;
  if (!row) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  return { path: row.path, page: row.page, sha256: row.sha256 || null };
}

export interface ItemFile {
  path: string;
  page: number;
  sha256: string | null;
}

export const REVIEWS: readonly ReviewStatus[] = ['pending', 'accepted', 'rejected'];

/** Records a reviewer's verdict and/or corrected value; keeps the item's review counter exact. */
export function reviewDetection(
  db: Db,
  detectionId: number,
  change: { review?: ReviewStatus; correctedText?: string | null },
): StoredDetection {
  if (change.review !== undefined && !REVIEWS.includes(change.review)) {
    throw new ScanError('INVALID_INPUT', `Unknown review status "${String(change.review)}".`);
  }
  if (change.correctedText !== undefined && change.correctedText !== null && typeof change.correctedText !== 'string') {
    throw new ScanError('INVALID_INPUT', 'A corrected value must be text or null.');
  }
  return db.transaction(() => {
    const before = stmt(db, `SELECT * FROM detections WHERE id = ?`).get(detectionId) as DetectionRow | undefined;
    if (!before) throw new ScanError('NOT_FOUND', `Detection ${detectionId} does not exist.`);
    // A merged code's verdict and correction go to every engine's copy of it.
    const copies = mergedCopies(db, before.item_id, detectionId);
    for (const id of [detectionId, ...copies]) {
      stmt(db, `UPDATE detections SET review = ?, corrected_text = ? WHERE id = ?`).run(
        change.review ?? before.review,
        change.correctedText === undefined ? before.corrected_text : change.correctedText,
        id,
      );
    }
    recountItem(db, before.item_id);
    return toDetection(stmt(db, `SELECT * FROM detections WHERE id = ?`).get(detectionId) as DetectionRow);
  })();
}
