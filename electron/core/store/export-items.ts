import type { ItemStatus } from '../../../shared/batch';
import type { ExportDetection, ExportItem } from '../export/types';
import type { Db } from './db';
import { pageRule, toDetection, toError, type DetectionRow } from './rows';

interface JoinedRow {
  i_id: number;
  i_path: string;
  i_page: number;
  i_status: ItemStatus;
  i_error_code: string | null;
  i_error_message: string | null;
  i_rule_json: string | null;
  i_rule_breaks: number;
  id: number | null; // detection columns (null when the page has none)
}

/**
 * Streams a batch's pages with their detections in intake order, one SQL cursor (stmt.iterate)
 * and one page in memory at a time, so an export of any size runs in constant memory.
 * Run it on its own read-only connection (see openReadonly): the cursor stays open across the
 * writer's awaits.
 */
export function* exportItems(db: Db, batchId: number): Generator<ExportItem> {
  const rows = db
    .prepare(
      `SELECT i.id AS i_id, i.path AS i_path, i.page AS i_page, i.status AS i_status,
              i.error_code AS i_error_code, i.error_message AS i_error_message,
              i.rule_json AS i_rule_json, i.rule_breaks AS i_rule_breaks, d.*
       FROM items i LEFT JOIN detections d ON d.item_id = i.id
       WHERE i.batch_id = ? ORDER BY i.id, d.id`,
    )
    .iterate(batchId) as IterableIterator<JoinedRow & DetectionRow>;
  let current: ExportItem | null = null;
  let currentId = -1;
  for (const r of rows) {
    if (r.i_id !== currentId) {
      if (current) yield current;
      currentId = r.i_id;
      current = {
        itemId: r.i_id,
        path: r.i_path,
        page: r.i_page,
        status: r.i_status,
        error: toError(r.i_error_code, r.i_error_message),
        detections: [],
        ...pageRule(r.i_rule_json, r.i_rule_breaks),
      };
    }
    if (r.id !== null) {
      const { id: _id, itemId: _itemId, ...d } = toDetection({ ...r, item_id: r.i_id });
      current!.detections.push(d as ExportDetection);
    }
  }
  if (current) yield current;
}
