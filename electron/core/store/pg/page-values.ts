import type { ItemStatus } from '../../../../shared/batch';
import type { PageSourceRow, PageValues } from '../page-values';
import { rows, type Queryable } from './db';

/** Pages read per round trip while streaming a batch's page values. */
const PAGE_CHUNK = 500;

/**
 * PostgreSQL side of store/page-values.ts: a batch's pages in intake order with the values of
 * their codes (rejected ones left out, corrections in place of the decoded value), read in
 * chunks of pages by id (keyset), so a batch of any size streams in bounded memory.
 */
export async function* pageValues(db: Queryable, batchId: number): AsyncGenerator<PageValues> {
  let after = 0;
  for (;;) {
    const pages = await rows<{ id: number; path: string; page: number; status: ItemStatus }>(
      db,
      `SELECT id, path, page, status FROM items WHERE batch_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [batchId, after, PAGE_CHUNK],
    );
    if (pages.length === 0) return;
    after = pages[pages.length - 1]!.id;
    const values = await rows<{ item_id: number; value: string }>(
      db,
      `SELECT d.item_id, coalesce(d.corrected_text, d.text) AS value FROM detections d
       WHERE d.item_id = ANY($1::bigint[]) AND d.kind = 'code' AND d.review <> 'rejected'
       ORDER BY d.item_id, d.id`,
      [pages.map((p) => p.id)],
    );
    const byItem = new Map<number, string[]>();
    for (const v of values) {
      const list = byItem.get(v.item_id);
      if (list) list.push(v.value);
      else byItem.set(v.item_id, [v.value]);
    }
    for (const p of pages) yield { itemId: p.id, path: p.path, page: Number(p.page), status: p.status, values: byItem.get(p.id) ?? [] };
    if (pages.length < PAGE_CHUNK) return;
  }
}

export async function pageSources(db: Queryable, batchId: number): Promise<Map<number, PageSourceRow>> {
  const list = await rows<PageSourceRow>(
    db,
    `SELECT id AS "itemId", path, page, format, sha256, status FROM items WHERE batch_id = $1 AND status <> 'skipped' ORDER BY id`,
    [batchId],
  );
  return new Map(list.map((r) => [r.itemId, { ...r, page: Number(r.page) }]));
}
