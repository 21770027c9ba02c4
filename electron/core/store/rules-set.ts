import { rulesActive, type BatchRules } from '../../../shared/rules/types';
import { ScanError } from '../errors';
import type { Db } from './db';
import { recountItem } from './merge';
import { stmt } from './statements';

/** Setting a batch's review rules (store/rules.ts judges pages): stored, then every read page judged again. */
export interface RulesChange {
  pages: number;
  flagged: number;
  accepted: number;
}

/** Rules that check nothing are stored as none. Judges every read page again. */
export function setRules(db: Db, batchId: number, rules: BatchRules | null): RulesChange {
  return db.transaction((): RulesChange => {
    if (!stmt(db, `SELECT 1 FROM batches WHERE id = ?`).get(batchId)) throw new ScanError('NOT_FOUND', `Batch ${batchId} does not exist.`);
    if (rules && rulesActive(rules)) {
      stmt(db, `INSERT INTO batch_rules (batch_id, rules_json, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (batch_id) DO UPDATE SET rules_json = excluded.rules_json, updated_at = excluded.updated_at`).run(batchId, JSON.stringify(rules), Date.now());
    } else {
      stmt(db, `DELETE FROM batch_rules WHERE batch_id = ?`).run(batchId);
    }
    return rejudgeBatch(db, batchId);
  })();
}

/** Inside setRules' transaction: every page with a result judged again (accepting what passes, if asked). */
function rejudgeBatch(db: Db, batchId: number): RulesChange {
  const ids = stmt(db, `SELECT DISTINCT item_id AS id FROM results WHERE item_id IN (SELECT id FROM items WHERE batch_id = ?)`).all(batchId) as Array<{ id: number }>;
  let accepted = 0;
  for (const { id } of ids) accepted += recountItem(db, id, { accept: true });
  // Pages judged before (rules removed, or the page lost its results) are cleared by judgeItem above or here.
  stmt(db, `UPDATE items SET rule_json = NULL, rule_breaks = 0 WHERE batch_id = ? AND rule_json IS NOT NULL AND id NOT IN (SELECT item_id FROM results)`).run(batchId);
  const flagged = (stmt(db, `SELECT count(*) AS n FROM items WHERE batch_id = ? AND rule_breaks > 0`).get(batchId) as { n: number }).n;
  return { pages: ids.length, flagged, accepted };
}

