import type { SeparationRule } from '../../../../shared/documents';
import { row, type Queryable } from './db';

/** PostgreSQL side of store/separation.ts (batch_separation, PG migration 011): a batch's rule as checked JSON. */
export async function getSeparation(db: Queryable, batchId: number): Promise<SeparationRule | null> {
  const r = await row<{ rule_json: string }>(db, `SELECT rule_json FROM batch_separation WHERE batch_id = $1`, [batchId]);
  return r ? (JSON.parse(r.rule_json) as SeparationRule) : null;
}

export async function setSeparation(db: Queryable, batchId: number, rule: SeparationRule | null): Promise<void> {
  if (rule === null) {
    await db.query(`DELETE FROM batch_separation WHERE batch_id = $1`, [batchId]);
    return;
  }
  await db.query(
    `INSERT INTO batch_separation (batch_id, rule_json) VALUES ($1, $2) ON CONFLICT (batch_id) DO UPDATE SET rule_json = excluded.rule_json`,
    [batchId, JSON.stringify(rule)],
  );
}
