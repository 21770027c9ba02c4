import type { EnginePlan } from '../../../shared/engines';
import type { Db } from './db';
import { deriveBatchItemStatus } from './item-status';
import { stmt } from './statements';

/**
 * What the batch life cycle's actions (batch-lifecycle.ts) do to a batch's jobs, for the
 * embedded store. Each runs inside the caller's transaction and changes jobs only; the items'
 * statuses then follow from their jobs (item-status.ts).
 */

/** Waiting jobs of the batch (pending, or blocked behind a stopped engine) are cancelled. */
export function cancelWaiting(db: Db, batchId: number, now: number): number {
  const n = stmt(db, `UPDATE jobs SET status = 'cancelled', finished_at = ? WHERE batch_id = ? AND status IN ('pending','blocked')`).run(
    now,
    batchId,
  ).changes;
  if (n > 0) deriveBatchItemStatus(db, batchId);
  return n;
}

/** Waiting jobs of every cancelled batch are cancelled (after a job was given back to one). */
export function cancelWaitingInCancelled(db: Db, now: number): void {
  const batches = stmt(
    db,
    `SELECT DISTINCT j.batch_id AS id FROM jobs j JOIN batches b ON b.id = j.batch_id
     WHERE b.status = 'cancelled' AND j.status IN ('pending','blocked')`,
  ).all() as Array<{ id: number }>;
  for (const b of batches) cancelWaiting(db, b.id, now);
}

/** Blocked jobs get another chance (resume after fixing credentials). */
export function unblock(db: Db, batchId: number): number {
  return stmt(
    db,
    `UPDATE jobs SET status = 'pending', available_at = 0, error_code = NULL, error_message = NULL WHERE batch_id = ? AND status = 'blocked'`,
  ).run(batchId).changes;
}

/**
 * The user goes on without the engines stopped for this batch: their waiting jobs fail with the
 * error that stopped them, and so do their pages once nothing else is left to run for them (a
 * "local first" page whose vendor step never ran fails with the vendor's reason, so that Retry
 * failed runs that step later). Answers how many jobs were settled.
 */
export function failBlocked(db: Db, batchId: number, now: number): number {
  const n = stmt(db, `UPDATE jobs SET status = 'failed', finished_at = ? WHERE batch_id = ? AND status = 'blocked'`).run(now, batchId).changes;
  if (n > 0) deriveBatchItemStatus(db, batchId);
  return n;
}

/** Failed jobs start over with a fresh attempt budget; their items wait again. */
export function requeueFailed(db: Db, batchId: number): number {
  const n = stmt(
    db,
    `UPDATE jobs SET status = 'pending', attempts = 0, lease_losses = 0, available_at = 0, error_code = NULL, error_message = NULL
     WHERE batch_id = ? AND status = 'failed'`,
  ).run(batchId).changes;
  if (n > 0) deriveBatchItemStatus(db, batchId);
  return n;
}

export interface JobActivity {
  pending: number;
  running: number;
  blocked: number;
}

export function jobActivity(db: Db, batchId: number): JobActivity {
  // Three index range counts (jobs_batch), not one scan of the batch's jobs.
  return stmt(
    db,
    `SELECT (SELECT count(*) FROM jobs WHERE batch_id = @b AND status = 'pending') AS pending,
            (SELECT count(*) FROM jobs WHERE batch_id = @b AND status = 'running') AS running,
            (SELECT count(*) FROM jobs WHERE batch_id = @b AND status = 'blocked') AS blocked`,
  ).get({ b: batchId }) as JobActivity;
}

/**
 * "Run this finished batch again with another engine": every page that was read gets a job for
 * the new engine and task, beside the jobs it already had. The store keeps one result per
 * item, engine and task, so each engine's detections stay on the page, each named by its
 * engine (the exports have an Engine column). A page that already has a job for that engine
 * and task is left alone (nothing is sent twice; retryFailed re-runs failed ones), and the
 * results cache answers for bytes that engine already did in any batch.
 * The batch's plan becomes the new one (options and fallback apply to the new jobs).
 * Returns how many pages were queued.
 */
export function enqueueRerun(db: Db, batchId: number, plan: EnginePlan): number {
  const queued = stmt(
    db,
    `INSERT OR IGNORE INTO jobs (batch_id, item_id, engine, task, role, status, available_at)
     SELECT batch_id, id, ?, ?, 'primary', 'pending', 0 FROM items
     WHERE batch_id = ? AND sha256 IS NOT NULL AND format IS NOT NULL AND status IN ('done', 'failed', 'cancelled')
     ORDER BY id`,
  ).run(plan.engine, plan.task, batchId).changes;
  if (queued > 0) deriveBatchItemStatus(db, batchId);
  stmt(db, `UPDATE batches SET plan_json = ? WHERE id = ?`).run(JSON.stringify(plan), batchId);
  return queued;
}

const TASK_NAMES: Record<string, string> = { codes: 'barcodes and QR codes', text: 'printed text', idcard: 'ID card fields' };

/** Why a run again queued nothing, in words a person can act on. */
export function nothingToRerun(readablePages: number, plan: EnginePlan): string {
  if (readablePages === 0) {
    return 'No page of this batch could be read, so there is nothing to run again. Retry failed reads the files again (after fixing them).';
  }
  const task = TASK_NAMES[plan.task] ?? plan.task;
  return `Every page of this batch already went through ${plan.engine} for ${task}: nothing new to run. Choose another engine or task (failed pages run again with Retry failed).`;
}

export function readablePages(db: Db, batchId: number): number {
  return (stmt(db, `SELECT count(*) AS n FROM items WHERE batch_id = ? AND sha256 IS NOT NULL AND format IS NOT NULL`).get(batchId) as { n: number }).n;
}
