import type { ItemDetail } from '../../../../shared/batch';
import { MANUAL_ENGINE, type StoredDetection } from '../../../../shared/detection';
import { ScanError } from '../../errors';
import { MANUAL_VERSION, boxGeometryJson, checkBox, notManual, type ManualCode } from '../manual';
import { toDetection, type DetectionRow } from '../rows';
import { changes, row, type Queryable } from './db';
import { getItem } from './items';
import { recountItem } from './merge';

/** store/manual.ts for PostgreSQL (inside a transaction): codes a reviewer drew, "checked, no code here". */

export async function addManualDetection(db: Queryable, itemId: number, code: ManualCode): Promise<StoredDetection> {
  const item = await row<{ width: number | null; height: number | null }>(db, `SELECT width, height FROM items WHERE id = $1 FOR UPDATE`, [itemId]);
  if (!item) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  checkBox(item, code.box);
  const result = await row<{ id: string }>(
    db,
    `INSERT INTO results (job_id, item_id, engine, task, engine_version, page_width, page_height)
     VALUES (NULL, $1, $2, 'codes', $3, $4, $5)
     ON CONFLICT (item_id, engine, task) DO UPDATE SET engine_version = EXCLUDED.engine_version
     RETURNING id`,
    [itemId, MANUAL_ENGINE, MANUAL_VERSION, item.width ?? 0, item.height ?? 0],
  );
  const resultId = Number(result!.id);
  const inserted = await row<DetectionRow>(
    db,
    `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, geometry_json, review)
     VALUES ($1, $2, (SELECT coalesce(max(ord) + 1, 0) FROM detections WHERE result_id = $1), $3, 'code', $4, $5, $6, 'accepted')
     RETURNING *`,
    [resultId, itemId, MANUAL_ENGINE, code.symbology, code.text, boxGeometryJson(code.box)],
  );
  await changes(db, `UPDATE items SET checked_no_code = 0 WHERE id = $1`, [itemId]);
  await recountItem(db, itemId);
  return toDetection(inserted!);
}

export async function removeManualDetection(db: Queryable, detectionId: number): Promise<number> {
  const d = await row<{ item_id: string; engine: string; result_id: string }>(db, `SELECT item_id, engine, result_id FROM detections WHERE id = $1 FOR UPDATE`, [detectionId]);
  if (!d) throw new ScanError('NOT_FOUND', `Detection ${detectionId} does not exist.`);
  if (d.engine !== MANUAL_ENGINE) throw notManual(detectionId, d.engine);
  await changes(db, `DELETE FROM detections WHERE id = $1`, [detectionId]);
  await changes(db, `DELETE FROM results WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM detections WHERE result_id = $1)`, [d.result_id]);
  await recountItem(db, Number(d.item_id));
  return Number(d.item_id);
}

export async function setCheckedNoCode(db: Queryable, itemId: number, checked: boolean): Promise<ItemDetail> {
  if ((await changes(db, `UPDATE items SET checked_no_code = $1 WHERE id = $2`, [checked ? 1 : 0, itemId])) === 0) {
    throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  }
  return getItem(db, itemId);
}
