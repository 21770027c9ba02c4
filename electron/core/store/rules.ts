import type { MergePlan } from '../../../shared/merge';
import { evaluatePage, type RuleInput } from '../../../shared/rules/evaluate';
import { rulesActive, type BatchRules } from '../../../shared/rules/types';
import type { ReviewStatus } from '../../../shared/detection';
import type { Db } from './db';
import { stmt } from './statements';

/**
 * Per-batch review rules in SQLite: the rules (batch_rules) and their stored verdicts (columns
 * rule_json / rule_breaks, migration 009). A page is judged whenever its detections or their
 * reviews change (recountItem calls judgeItem) and when the rules change (setRules); codes that
 * pass are accepted only as results land and when the rules are set (`accept`), never behind a
 * reviewer's back after they changed a verdict. Setting the rules: store/rules-set.ts.
 */

export function parseRules(json: string): BatchRules {
  return JSON.parse(json) as BatchRules;
}

export function getRules(db: Db, batchId: number): BatchRules | null {
  const r = stmt(db, `SELECT rules_json FROM batch_rules WHERE batch_id = ?`).get(batchId) as { rules_json: string } | undefined;
  return r ? parseRules(r.rules_json) : null;
}

interface JudgedRow {
  id: number;
  kind: string;
  symbology: string;
  value: string;
  review: ReviewStatus;
  extra_json: string | null;
  rule_json: string | null;
}

/**
 * Judges one page by its batch's rules and stores the verdicts; with `accept`, accepts the
 * pending codes that pass on a page that passes (and answers how many). A batch without rules
 * clears whatever verdicts the page had.
 */
export function judgeItem(db: Db, itemId: number, plan: MergePlan, accept: boolean): number {
  const r = stmt(db, `SELECT r.rules_json FROM items i JOIN batch_rules r ON r.batch_id = i.batch_id WHERE i.id = ?`).get(itemId) as { rules_json: string } | undefined;
  if (!r) {
    stmt(db, `UPDATE items SET rule_json = NULL, rule_breaks = 0 WHERE id = ? AND rule_json IS NOT NULL`).run(itemId);
    stmt(db, `UPDATE detections SET rule_json = NULL WHERE item_id = ? AND rule_json IS NOT NULL`).run(itemId);
    return 0;
  }
  const rows = stmt(
    db,
    `SELECT id, kind, symbology, coalesce(corrected_text, text) AS value, review, extra_json, rule_json FROM detections WHERE item_id = ? ORDER BY id`,
  ).all(itemId) as JudgedRow[];
  const result = evaluatePage(parseRules(r.rules_json), rows.map((d) => toInput(d, plan)));
  for (const d of rows) {
    const v = result.codes.get(d.id);
    const json = v ? JSON.stringify(v.breaks) : null;
    if (json !== d.rule_json) stmt(db, `UPDATE detections SET rule_json = ? WHERE id = ?`).run(json, d.id);
  }
  const toAccept = accept ? result.accept : [];
  for (const id of toAccept) stmt(db, `UPDATE detections SET review = 'accepted' WHERE id = ? AND review = 'pending'`).run(id);
  stmt(db, `UPDATE items SET rule_json = ?, rule_breaks = ? WHERE id = ?`).run(JSON.stringify(result.page.page), result.page.breaks, itemId);
  return toAccept.length;
}

export function toInput(d: Omit<JudgedRow, 'rule_json'>, plan: MergePlan): RuleInput {
  const into = plan.mergedInto.get(d.id);
  return {
    id: d.id,
    kind: d.kind,
    symbology: d.symbology,
    value: d.value,
    review: d.review,
    extra: d.extra_json === null ? null : (JSON.parse(d.extra_json) as Record<string, unknown>),
    ...(into === undefined ? {} : { mergedInto: into }),
  };
}

/** Stores the rules with a new batch (inside createBatch's transaction). */
export function insertRules(db: Db, batchId: number, rules: BatchRules | null | undefined): void {
  if (rules && rulesActive(rules)) stmt(db, `INSERT INTO batch_rules (batch_id, rules_json, updated_at) VALUES (?, ?, ?)`).run(batchId, JSON.stringify(rules), Date.now());
}
