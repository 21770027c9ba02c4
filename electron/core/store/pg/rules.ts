import type { MergePlan } from '../../../../shared/merge';
import { evaluatePage } from '../../../../shared/rules/evaluate';
import { rulesActive, type BatchRules } from '../../../../shared/rules/types';
import type { ReviewStatus } from '../../../../shared/detection';
import { ScanError } from '../../errors';
import { parseRules, toInput } from '../rules';
import type { RulesChange } from '../rules-set';
import { changes, row, rows, type Queryable } from './db';

/** store/rules.ts and rules-set.ts for PostgreSQL: a batch's review rules and their stored verdicts. */

export async function getRules(db: Queryable, batchId: number): Promise<BatchRules | null> {
  const r = await row<{ rules_json: string }>(db, `SELECT rules_json FROM batch_rules WHERE batch_id = $1`, [batchId]);
  return r ? parseRules(r.rules_json) : null;
}

/** Stores the rules with a new batch (inside createBatch's transaction). */
export async function insertRules(db: Queryable, batchId: number, rules: BatchRules | null | undefined): Promise<void> {
  if (rules && rulesActive(rules)) await changes(db, `INSERT INTO batch_rules (batch_id, rules_json) VALUES ($1, $2)`, [batchId, JSON.stringify(rules)]);
}

/** Inside a transaction: sets (or removes) the rules and judges every read page again. */
export async function setRules(
  db: Queryable,
  batchId: number,
  rules: BatchRules | null,
  recount: (db: Queryable, itemId: number, options: { accept: boolean }) => Promise<number>,
): Promise<RulesChange> {
  if (!(await row(db, `SELECT 1 FROM batches WHERE id = $1 FOR UPDATE`, [batchId]))) throw new ScanError('NOT_FOUND', `Batch ${batchId} does not exist.`);
  if (rules && rulesActive(rules)) {
    await changes(
      db,
      `INSERT INTO batch_rules (batch_id, rules_json) VALUES ($1, $2)
       ON CONFLICT (batch_id) DO UPDATE SET rules_json = excluded.rules_json, updated_at = now()`,
      [batchId, JSON.stringify(rules)],
    );
  } else {
    await changes(db, `DELETE FROM batch_rules WHERE batch_id = $1`, [batchId]);
  }
  const ids = await rows<{ id: number }>(db, `SELECT DISTINCT r.item_id AS id FROM results r JOIN items i ON i.id = r.item_id WHERE i.batch_id = $1 ORDER BY 1`, [batchId]);
  let accepted = 0;
  for (const { id } of ids) accepted += await recount(db, id, { accept: true });
  await changes(
    db,
    `UPDATE items SET rule_json = NULL, rule_breaks = 0 WHERE batch_id = $1 AND rule_json IS NOT NULL AND NOT EXISTS (SELECT 1 FROM results r WHERE r.item_id = items.id)`,
    [batchId],
  );
  const flagged = (await row<{ n: number }>(db, `SELECT count(*) AS n FROM items WHERE batch_id = $1 AND rule_breaks > 0`, [batchId]))!.n;
  return { pages: ids.length, flagged, accepted };
}

/** store/rules.ts judgeItem: judges one page, stores the verdicts, accepts what passes if asked (answers how many). */
export async function judgeItem(db: Queryable, itemId: number, plan: MergePlan, accept: boolean): Promise<number> {
  const r = await row<{ rules_json: string }>(db, `SELECT r.rules_json FROM items i JOIN batch_rules r ON r.batch_id = i.batch_id WHERE i.id = $1`, [itemId]);
  if (!r) {
    await changes(db, `UPDATE items SET rule_json = NULL, rule_breaks = 0 WHERE id = $1 AND rule_json IS NOT NULL`, [itemId]);
    await changes(db, `UPDATE detections SET rule_json = NULL WHERE item_id = $1 AND rule_json IS NOT NULL`, [itemId]);
    return 0;
  }
  const list = await rows<{ id: number; kind: string; symbology: string; value: string; review: ReviewStatus; extra_json: string | null; rule_json: string | null }>(
    db,
    `SELECT id, kind, symbology, coalesce(corrected_text, text) AS value, review, extra_json, rule_json FROM detections WHERE item_id = $1 ORDER BY id`,
    [itemId],
  );
  const result = evaluatePage(parseRules(r.rules_json), list.map((d) => toInput(d, plan)));
  const ids: number[] = [];
  const verdicts: Array<string | null> = [];
  for (const d of list) {
    const v = result.codes.get(d.id);
    const json = v ? JSON.stringify(v.breaks) : null;
    if (json !== d.rule_json) {
      ids.push(d.id);
      verdicts.push(json);
    }
  }
  // One statement for the page's changed verdicts.
  if (ids.length > 0) {
    await changes(db, `UPDATE detections d SET rule_json = v.json FROM unnest($1::bigint[], $2::text[]) AS v(id, json) WHERE d.id = v.id`, [ids, verdicts]);
  }
  const toAccept = accept ? result.accept : [];
  if (toAccept.length > 0) await changes(db, `UPDATE detections SET review = 'accepted' WHERE id = ANY($1::bigint[]) AND review = 'pending'`, [toAccept]);
  await changes(db, `UPDATE items SET rule_json = $1, rule_breaks = $2 WHERE id = $3`, [JSON.stringify(result.page.page), result.page.breaks, itemId]);
  return toAccept.length;
}
