import type { StoredDetection } from '../../../../shared/detection';
import type { EngineId } from '../../../../shared/engines';
import type { Geometry } from '../../../../shared/geometry';
import { planMerge, type MergePlan } from '../../../../shared/merge';
import { foldWithPlan, mergedCounts } from '../merge';
import { changes, rows, type Queryable } from './db';
import { judgeItem } from './rules';

/** store/merge.ts for PostgreSQL: identical codes of two engines are one code (shared/merge.ts). */
export async function itemMergePlan(db: Queryable, itemId: number): Promise<MergePlan> {
  const list = await rows<{ id: number; engine: EngineId; text: string; geometry_json: string }>(
    db,
    `SELECT id, engine, coalesce(corrected_text, text) AS text, geometry_json FROM detections WHERE item_id = $1 ORDER BY id`,
    [itemId],
  );
  return planMerge(list.map((r) => ({ id: r.id, engine: r.engine, text: r.text, geometry: JSON.parse(r.geometry_json) as Geometry })));
}

/** store/merge.ts recountItem: the batch's review rules judged (pg/rules.ts), then the page's counts. Answers codes the rules accepted. */
export async function recountItem(db: Queryable, itemId: number, options: { accept?: boolean } = {}): Promise<number> {
  const plan = await itemMergePlan(db, itemId);
  const accepted = await judgeItem(db, itemId, plan, options.accept ?? false);
  const list = await rows<{ id: number; review: string }>(db, `SELECT id, review FROM detections WHERE item_id = $1`, [itemId]);
  const c = mergedCounts(plan, list);
  await changes(db, `UPDATE items SET detection_count = $1, review_pending = $2 WHERE id = $3`, [c.codes, c.pending, itemId]);
  // Which rows are another engine's copy, for the results table's paged query (pg/code-table.ts).
  const merged = [...plan.mergedInto];
  await changes(
    db,
    `UPDATE detections d SET merged_into = m.into_id
       FROM (SELECT x.id, v.into_id FROM detections x
               LEFT JOIN unnest($2::bigint[], $3::bigint[]) AS v(id, into_id) ON v.id = x.id
              WHERE x.item_id = $1) m
      WHERE d.id = m.id AND d.merged_into IS DISTINCT FROM m.into_id`,
    [itemId, merged.map(([id]) => id), merged.map(([, into]) => into)],
  );
  return accepted;
}

export async function mergedCopies(db: Queryable, itemId: number, detectionId: number): Promise<number[]> {
  const plan = await itemMergePlan(db, itemId);
  return [...plan.mergedInto].filter(([, into]) => into === detectionId).map(([id]) => id);
}

export async function foldMerged(db: Queryable, itemId: number, detections: StoredDetection[]): Promise<StoredDetection[]> {
  if (detections.length < 2) return detections;
  return foldWithPlan(await itemMergePlan(db, itemId), detections);
}
