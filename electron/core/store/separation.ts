import type { SeparationRule } from '../../../shared/documents';
import type { Db } from './db';
import { stmt } from './statements';

/** A batch's document separation rule (migration 004), stored as checked JSON. */
export function getSeparation(db: Db, batchId: number): SeparationRule | null {
  const row = stmt(db, `SELECT rule_json FROM batch_separation WHERE batch_id = ?`).get(batchId) as { rule_json: string } | undefined;
  return row ? (JSON.parse(row.rule_json) as SeparationRule) : null;
}

/** Sets (or, with null, removes) the rule. The batch must exist (foreign key). */
export function setSeparation(db: Db, batchId: number, rule: SeparationRule | null): void {
  if (rule === null) {
    stmt(db, `DELETE FROM batch_separation WHERE batch_id = ?`).run(batchId);
    return;
  }
  stmt(db, `INSERT INTO batch_separation (batch_id, rule_json) VALUES (?, ?) ON CONFLICT (batch_id) DO UPDATE SET rule_json = excluded.rule_json`).run(
    batchId,
    JSON.stringify(rule),
  );
}
