import type { ExpectedListInfo } from '../../../../shared/reconciliation';
import type { ExpectedListInput } from '../expected';
import { row, rows, type Queryable } from './db';

/** PostgreSQL side of store/expected.ts (batch_expected_lists, batch_expected; PG migration 011). */
export async function getExpectedInfo(db: Queryable, batchId: number): Promise<ExpectedListInfo | null> {
  const r = await row<{ source: string; column_name: string; imported_at: string; count: number }>(
    db,
    `SELECT source, column_name, imported_at, count FROM batch_expected_lists WHERE batch_id = $1`,
    [batchId],
  );
  return r ? { source: r.source, column: r.column_name, count: Number(r.count), importedAt: r.imported_at } : null;
}

export async function getExpectedValues(db: Queryable, batchId: number): Promise<string[]> {
  return (await rows<{ value: string }>(db, `SELECT value FROM batch_expected WHERE batch_id = $1 ORDER BY ord`, [batchId])).map((r) => r.value);
}

/** Replaces the list; run it in a transaction. The values go in one statement (a manifest of 100,000 values is one round trip). */
export async function setExpected(db: Queryable, batchId: number, list: ExpectedListInput | null): Promise<void> {
  await db.query(`DELETE FROM batch_expected_lists WHERE batch_id = $1`, [batchId]);
  if (list === null) return;
  await db.query(`INSERT INTO batch_expected_lists (batch_id, source, column_name, imported_at, count) VALUES ($1, $2, $3, $4, $5)`, [
    batchId,
    list.info.source,
    list.info.column,
    list.info.importedAt,
    list.values.length,
  ]);
  await db.query(
    `INSERT INTO batch_expected (batch_id, ord, value) SELECT $1, t.ord - 1, t.value FROM unnest($2::text[]) WITH ORDINALITY AS t(value, ord)`,
    [batchId, list.values],
  );
}
