import type { ItemStatus } from '../../../shared/batch';
import type { ImageFormat } from '../intake/types';
import type { Db } from './db';

/** A page with the code values that count for separation and reconciliation. */
export interface PageValues {
  itemId: number;
  path: string;
  page: number;
  status: ItemStatus;
  /** Codes a reviewer did not reject, the correction in place of the decoded value, in order. */
  values: string[];
}

/**
 * A batch's pages in intake order with their code values, streamed (one cursor, one page in
 * memory). Text lines and ID-card fields are not codes: they neither separate nor reconcile.
 * Run it on a read-only connection (openReadonly) when the caller awaits between pages.
 */
export function* pageValues(db: Db, batchId: number): Generator<PageValues> {
  const rows = db
    .prepare(
      `SELECT i.id AS item_id, i.path, i.page, i.status, coalesce(d.corrected_text, d.text) AS value
       FROM items i LEFT JOIN detections d ON d.item_id = i.id AND d.kind = 'code' AND d.review <> 'rejected'
       WHERE i.batch_id = ? ORDER BY i.id, d.id`,
    )
    .iterate(batchId) as IterableIterator<{ item_id: number; path: string; page: number; status: ItemStatus; value: string | null }>;
  let current: PageValues | undefined;
  for (const r of rows) {
    if (current === undefined || current.itemId !== r.item_id) {
      if (current !== undefined) yield current;
      current = { itemId: r.item_id, path: r.path, page: r.page, status: r.status, values: [] };
    }
    if (r.value !== null) current.values.push(r.value);
  }
  if (current !== undefined) yield current;
}

/** Where a page's pixels come from and the checksum intake recorded, for writing it elsewhere. */
export interface PageSourceRow {
  itemId: number;
  path: string;
  page: number;
  format: ImageFormat | null;
  sha256: string | null;
  status: ItemStatus;
}

export function pageSources(db: Db, batchId: number): Map<number, PageSourceRow> {
  const rows = db
    .prepare(`SELECT id AS itemId, path, page, format, sha256, status FROM items WHERE batch_id = ? AND status <> 'skipped' ORDER BY id`)
    .all(batchId) as PageSourceRow[];
  return new Map(rows.map((r) => [r.itemId, r]));
}
