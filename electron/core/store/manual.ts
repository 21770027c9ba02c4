import { MANUAL_ENGINE, type StoredDetection } from '../../../shared/detection';
import { rectGeometry } from '../../../shared/geometry';
import type { ItemDetail } from '../../../shared/batch';
import { ScanError } from '../errors';
import type { Db } from './db';
import { getItem } from './items';
import { recountItem } from './merge';
import { toDetection, type DetectionRow } from './rows';
import { stmt } from './statements';

/** A code a reviewer drew on a page: its box in page pixels, its value and symbology. */
export interface ManualCode {
  box: { left: number; top: number; width: number; height: number };
  symbology: string;
  text: string;
}

/** engine_version of a reviewer's results row. */
export const MANUAL_VERSION = 'reviewer';

/** Refuses a box off the page (the page's size is known once it was decoded); one pixel of rounding allowed. */
export function checkBox(item: { width: number | null; height: number | null }, box: ManualCode['box']): void {
  const { left, top, width, height } = box;
  if (item.width !== null && item.height !== null && (left < 0 || top < 0 || left + width > item.width + 1 || top + height > item.height + 1)) {
    throw new ScanError('INVALID_INPUT', `The box (${left}, ${top}, ${width} × ${height}) is outside the page (${item.width} × ${item.height}).`);
  }
}

/** The stored shape of a drawn box. */
export function boxGeometryJson(box: ManualCode['box']): string {
  return JSON.stringify(rectGeometry(box.left, box.top, box.width, box.height));
}

/** Why a detection cannot be removed as a drawn code. */
export function notManual(detectionId: number, engine: string): ScanError {
  return new ScanError('INVALID_INPUT', `Detection ${detectionId} was found by ${engine}, not drawn by a reviewer: reject it instead.`);
}

/**
 * Stores a code a reviewer drew where no engine found one: a detection of engine 'manual',
 * accepted (a person read it), under the page's 'manual' results row (made on first use).
 * The page is then no longer "checked, no code". Answers the new detection.
 */
export function addManualDetection(db: Db, itemId: number, code: ManualCode): StoredDetection {
  return db.transaction(() => {
    const item = stmt(db, `SELECT id, width, height FROM items WHERE id = ?`).get(itemId) as { id: number; width: number | null; height: number | null } | undefined;
    if (!item) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
    checkBox(item, code.box);
    let result = stmt(db, `SELECT id FROM results WHERE item_id = ? AND engine = ? AND task = 'codes'`).get(itemId, MANUAL_ENGINE) as { id: number } | undefined;
    if (!result) {
      const id = stmt(
        db,
        `INSERT INTO results (job_id, item_id, engine, task, engine_version, page_width, page_height, created_at)
         VALUES (NULL, ?, ?, 'codes', ?, ?, ?, ?)`,
      ).run(itemId, MANUAL_ENGINE, MANUAL_VERSION, item.width ?? 0, item.height ?? 0, Date.now()).lastInsertRowid;
      result = { id: Number(id) };
    }
    const ord = (stmt(db, `SELECT coalesce(max(ord) + 1, 0) AS n FROM detections WHERE result_id = ?`).get(result.id) as { n: number }).n;
    const id = stmt(
      db,
      `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, geometry_json, review)
       VALUES (?, ?, ?, ?, 'code', ?, ?, ?, 'accepted')`,
    ).run(result.id, itemId, ord, MANUAL_ENGINE, code.symbology, code.text, boxGeometryJson(code.box)).lastInsertRowid;
    stmt(db, `UPDATE items SET checked_no_code = 0 WHERE id = ?`).run(itemId);
    recountItem(db, itemId);
    return toDetection(stmt(db, `SELECT * FROM detections WHERE id = ?`).get(Number(id)) as DetectionRow);
  })();
}

/** Removes a code a reviewer drew (Undo of addManualDetection). Refuses an engine's detection. Answers its page. */
export function removeManualDetection(db: Db, detectionId: number): number {
  return db.transaction(() => {
    const d = stmt(db, `SELECT item_id, engine, result_id FROM detections WHERE id = ?`).get(detectionId) as { item_id: number; engine: string; result_id: number } | undefined;
    if (!d) throw new ScanError('NOT_FOUND', `Detection ${detectionId} does not exist.`);
    if (d.engine !== MANUAL_ENGINE) throw notManual(detectionId, d.engine);
    stmt(db, `DELETE FROM detections WHERE id = ?`).run(detectionId);
    stmt(db, `DELETE FROM results WHERE id = ? AND NOT EXISTS (SELECT 1 FROM detections WHERE result_id = ?)`).run(d.result_id, d.result_id);
    recountItem(db, d.item_id);
    return d.item_id;
  })();
}

/** Marks a page "checked, no code here" (or takes the mark back); answers the page. */
export function setCheckedNoCode(db: Db, itemId: number, checked: boolean): ItemDetail {
  const r = stmt(db, `UPDATE items SET checked_no_code = ? WHERE id = ?`).run(checked ? 1 : 0, itemId);
  if (r.changes === 0) throw new ScanError('NOT_FOUND', `Item ${itemId} does not exist.`);
  return getItem(db, itemId);
}
