import type { Db } from './db';
import { stmt } from './statements';

/**
 * An item's status follows from its jobs, here and nowhere else (the queue's transitions change
 * jobs, then call this):
 * - a job running: the item is running;
 * - otherwise a job waiting (pending, or blocked behind a stopped engine): pending;
 * - otherwise the job that settled last decides: done, failed (with that job's error) or
 *   cancelled.
 * Items without jobs keep what intake gave them (a file that could not be read: failed with its
 * reason; an ignored file: skipped). Written so SQLite and PostgreSQL run the same statement.
 */
const DERIVE = `UPDATE items SET (status, error_code, error_message) = (
    SELECT CASE j.status WHEN 'blocked' THEN 'pending' ELSE j.status END,
           CASE j.status WHEN 'failed' THEN j.error_code END,
           CASE j.status WHEN 'failed' THEN j.error_message END
    FROM jobs j WHERE j.item_id = items.id
    ORDER BY CASE j.status WHEN 'running' THEN 0 WHEN 'pending' THEN 1 WHEN 'blocked' THEN 1 ELSE 2 END,
             coalesce(j.finished_at, 0) DESC, j.id DESC
    LIMIT 1)
  WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id)`;

export const DERIVE_ITEM_STATUS = `${DERIVE} AND items.id = ?`;
export const DERIVE_BATCH_ITEM_STATUS = `${DERIVE} AND items.batch_id = ?`;

/** Brings one item's status in line with its jobs. */
export function deriveItemStatus(db: Db, itemId: number): void {
  stmt(db, DERIVE_ITEM_STATUS).run(itemId);
}

/** Brings every item of a batch in line with its jobs (after a change to many of its jobs at once). */
export function deriveBatchItemStatus(db: Db, batchId: number): void {
  stmt(db, DERIVE_BATCH_ITEM_STATUS).run(batchId);
}
