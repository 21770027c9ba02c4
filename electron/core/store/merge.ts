import type { StoredDetection } from '../../../shared/detection';
import type { EngineId } from '../../../shared/engines';
import type { Geometry } from '../../../shared/geometry';
import { planMerge, type MergePlan } from '../../../shared/merge';
import type { Db } from './db';
import { judgeItem } from './rules';
import { stmt } from './statements';

/**
 * Identical detections from two engines (same value, same place: shared/merge.ts) are one code:
 * counted once in the page's and the batch's code counts, reviewed once (a verdict on the code
 * applies to each engine's copy, so every export row agrees), shown once with the engines that
 * found it. The rows stay as each engine stored them; the merge is worked out from them.
 */
export function itemMergePlan(db: Db, itemId: number): MergePlan {
  const rows = stmt(db, `SELECT id, engine, coalesce(corrected_text, text) AS text, geometry_json FROM detections WHERE item_id = ? ORDER BY id`).all(itemId) as Array<{
    id: number;
    engine: EngineId;
    text: string;
    geometry_json: string;
  }>;
  return planMerge(rows.map((r) => ({ id: r.id, engine: r.engine, text: r.text, geometry: JSON.parse(r.geometry_json) as Geometry })));
}

/**
 * The page's review facts after any change to its detections or their reviews: its batch's
 * review rules judged (store/rules.ts; `accept`: as a result lands, accept the codes that pass),
 * then its code count and open-review count, each merged code once, and which detections are
 * another engine's copy (detections.merged_into). Answers how many codes the rules accepted.
 */
export function recountItem(db: Db, itemId: number, options: { accept?: boolean } = {}): number {
  const plan = itemMergePlan(db, itemId);
  const accepted = judgeItem(db, itemId, plan, options.accept ?? false);
  const rows = stmt(db, `SELECT id, review FROM detections WHERE item_id = ?`).all(itemId) as Array<{ id: number; review: string }>;
  const c = mergedCounts(plan, rows);
  stmt(db, `UPDATE items SET detection_count = ?, review_pending = ? WHERE id = ?`).run(c.codes, c.pending, itemId);
  // Kept in a column for the results table's paged query (store/code-table.ts).
  stmt(db, `UPDATE detections SET merged_into = NULL WHERE item_id = ? AND merged_into IS NOT NULL`).run(itemId);
  for (const [id, into] of plan.mergedInto) stmt(db, `UPDATE detections SET merged_into = ? WHERE id = ?`).run(into, id);
  return accepted;
}

/** Codes and open reviews of a page's detections, each merged code once (pure: both stores use it). */
export function mergedCounts(plan: MergePlan, rows: ReadonlyArray<{ id: number; review: string }>): { codes: number; pending: number } {
  const codes = rows.filter((r) => !plan.mergedInto.has(r.id));
  return { codes: codes.length, pending: codes.filter((r) => r.review === 'pending').length };
}

/** The other engines' copies of a merged code (to take the code's verdict and correction). */
export function mergedCopies(db: Db, itemId: number, detectionId: number): number[] {
  const plan = itemMergePlan(db, itemId);
  return [...plan.mergedInto].filter(([, into]) => into === detectionId).map(([id]) => id);
}

/** A page's detections as a reviewer sees them: each merged code once, with who found it, disagreements marked. */
export function foldMerged(db: Db, itemId: number, detections: StoredDetection[]): StoredDetection[] {
  if (detections.length < 2) return detections;
  return foldWithPlan(itemMergePlan(db, itemId), detections);
}

/** foldMerged's pure part, given the page's merge plan. */
export function foldWithPlan(plan: MergePlan, detections: StoredDetection[]): StoredDetection[] {
  const foundBy = new Map<number, StoredDetection['engine'][]>();
  for (const d of detections) {
    const into = plan.mergedInto.get(d.id);
    if (into !== undefined) foundBy.set(into, [...(foundBy.get(into) ?? []), d.engine]);
  }
  return detections
    .filter((d) => !plan.mergedInto.has(d.id))
    .map((d) => {
      const others = foundBy.get(d.id);
      const out: StoredDetection = others ? { ...d, foundBy: [d.engine, ...others] } : d;
      return plan.disagreeing.has(d.id) ? { ...out, disagrees: true } : out;
    });
}
