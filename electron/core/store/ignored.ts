import type { Db } from './db';
import { stmt } from './statements';

/**
 * Files intake listed for a batch but did not take as pages (not images, duplicates, links
 * that lead nowhere...). They are kept as items of status 'skipped' so the export's Pages sheet
 * lists them, but the grid and the page count leave them out: this is where they are read.
 */
export function listIgnored(db: Db, batchId: number, offset = 0, limit = 200): { total: number; files: Array<{ path: string; reason: string }> } {
  const total = (stmt(db, `SELECT count(*) AS n FROM items WHERE batch_id = ? AND status = 'skipped'`).get(batchId) as { n: number }).n;
  const files = stmt(
    db,
    `SELECT path, coalesce(error_message, '') AS reason FROM items WHERE batch_id = ? AND status = 'skipped' ORDER BY id LIMIT ? OFFSET ?`,
  ).all(batchId, limit, offset) as Array<{ path: string; reason: string }>;
  return { total, files };
}
