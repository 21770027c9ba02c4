import type { EnginePlan } from '../../shared/engines';
import type { Db } from './store/db';
import { stmt } from './store/statements';

/**
 * "Run this finished batch again with another engine": every page that was read gets a job for
 * the new engine and task, beside the jobs it already had. The store keeps one result per
 * item, engine and task, so each engine's detections stay on the page, each named by its
 * engine (the exports have an Engine column). A page that already has a job for that engine
 * and task is left alone (nothing is sent twice; retryFailed re-runs failed ones), and the
 * results cache answers for bytes that engine already did in any batch.
 * The batch's plan becomes the new one (options and fallback apply to the new jobs).
 * Returns how many pages were queued. Runs inside the caller's transaction.
 */
export function enqueueRerun(db: Db, batchId: number, plan: EnginePlan): number {
  const items = stmt(
    db,
    `SELECT id FROM items WHERE batch_id = ? AND sha256 IS NOT NULL AND format IS NOT NULL
       AND status IN ('done', 'failed', 'cancelled') ORDER BY id`,
  ).all(batchId) as Array<{ id: number }>;
  const insert = stmt(
    db,
    `INSERT OR IGNORE INTO jobs (batch_id, item_id, engine, task, role, status, available_at)
     VALUES (?, ?, ?, ?, 'primary', 'pending', 0)`,
  );
  const wait = stmt(db, `UPDATE items SET status = 'pending', error_code = NULL, error_message = NULL WHERE id = ?`);
  let queued = 0;
  for (const it of items) {
    if (insert.run(batchId, it.id, plan.engine, plan.task).changes === 1) {
      wait.run(it.id);
      queued++;
    }
  }
  stmt(db, `UPDATE batches SET plan_json = ? WHERE id = ?`).run(JSON.stringify(plan), batchId);
  return queued;
}

const TASK_NAMES: Record<string, string> = { codes: 'barcodes and QR codes', text: 'printed text', idcard: 'ID card fields' };

/** Why a run again queued nothing, in words a person can act on. */
export function nothingToRerun(db: Db, batchId: number, plan: EnginePlan): string {
  const readable = (
    stmt(db, `SELECT count(*) AS n FROM items WHERE batch_id = ? AND sha256 IS NOT NULL AND format IS NOT NULL`).get(batchId) as { n: number }
  ).n;
  if (readable === 0) {
    return 'No page of this batch could be read, so there is nothing to run again. Retry failed reads the files again (after fixing them).';
  }
  const task = TASK_NAMES[plan.task] ?? plan.task;
  return `Every page of this batch already went through ${plan.engine} for ${task}: nothing new to run. Choose another engine or task (failed pages run again with Retry failed).`;
}
