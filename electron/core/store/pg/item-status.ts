import { changes, type Queryable } from './db';

/**
 * store/item-status.ts for PostgreSQL: an item's status follows from its jobs (a job running:
 * running; else one waiting or blocked: pending; else the job that settled last decides), for
 * the items whose jobs a transition just changed.
 */
/** The status, error code and message an item gets from its jobs (correlated on items.id). */
export const STATUS_FROM_JOBS = `SELECT CASE j.status WHEN 'blocked' THEN 'pending' ELSE j.status END,
           CASE j.status WHEN 'failed' THEN j.error_code END,
           CASE j.status WHEN 'failed' THEN j.error_message END
    FROM jobs j WHERE j.item_id = items.id
    ORDER BY CASE j.status WHEN 'running' THEN 0 WHEN 'pending' THEN 1 WHEN 'blocked' THEN 1 ELSE 2 END,
             j.finished_at DESC NULLS LAST, j.id DESC
    LIMIT 1`;

const DERIVE = `UPDATE items SET (status, error_code, error_message) = (${STATUS_FROM_JOBS})
  WHERE items.id = ANY($1::bigint[]) AND EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id)`;

export async function deriveItems(db: Queryable, itemIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(itemIds)].sort((a, b) => a - b); // one lock order for every writer
  if (ids.length > 0) await changes(db, DERIVE, [ids]);
}
