import type { ExpectedListInfo } from '../../../shared/reconciliation';
import type { Db } from './db';
import { stmt } from './statements';

/** A batch's expected list (migration 004): what it came from, and its values in order. */
export function getExpectedInfo(db: Db, batchId: number): ExpectedListInfo | null {
  const row = stmt(db, `SELECT source, column_name, imported_at, count FROM batch_expected_lists WHERE batch_id = ?`).get(batchId) as
    | { source: string; column_name: string; imported_at: string; count: number }
    | undefined;
  return row ? { source: row.source, column: row.column_name, count: row.count, importedAt: row.imported_at } : null;
}

export function getExpectedValues(db: Db, batchId: number): string[] {
  return (stmt(db, `SELECT value FROM batch_expected WHERE batch_id = ? ORDER BY ord`).all(batchId) as Array<{ value: string }>).map((r) => r.value);
}

/** An expected list as it is stored: where it came from, and its distinct values in order. */
export interface ExpectedListInput {
  info: Omit<ExpectedListInfo, 'count'>;
  values: string[];
}

/** Replaces the batch's list in one transaction (values already distinct); null removes it. */
export function setExpected(db: Db, batchId: number, list: ExpectedListInput | null): void {
  db.transaction(() => {
    stmt(db, `DELETE FROM batch_expected_lists WHERE batch_id = ?`).run(batchId);
    if (list === null) return;
    stmt(db, `INSERT INTO batch_expected_lists (batch_id, source, column_name, imported_at, count) VALUES (?, ?, ?, ?, ?)`).run(
      batchId,
      list.info.source,
      list.info.column,
      list.info.importedAt,
      list.values.length,
    );
    const insert = stmt(db, `INSERT INTO batch_expected (batch_id, ord, value) VALUES (?, ?, ?)`);
    list.values.forEach((v, i) => insert.run(batchId, i, v));
  }).immediate();
}
