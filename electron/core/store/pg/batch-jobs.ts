import type { EnginePlan } from '../../../../shared/engines';
import type { JobActivity } from '../batch-jobs';
import { changes, row, rows, type Queryable } from './db';
import { deriveItems } from './item-status';

/** store/batch-jobs.ts for PostgreSQL: what the life-cycle actions do to a batch's jobs. */

async function settled(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  const list = await rows<{ item_id: number }>(db, sql, params);
  await deriveItems(db, list.map((r) => r.item_id));
  return list.length;
}

export function cancelWaiting(db: Queryable, batchId: number): Promise<number> {
  return settled(db, `UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE batch_id = $1 AND status IN ('pending','blocked') RETURNING item_id`, [
    batchId,
  ]);
}

export function unblock(db: Queryable, batchId: number): Promise<number> {
  return changes(
    db,
    `UPDATE jobs SET status = 'pending', available_at = 'epoch', error_code = NULL, error_message = NULL WHERE batch_id = $1 AND status = 'blocked'`,
    [batchId],
  );
}

export function failBlocked(db: Queryable, batchId: number): Promise<number> {
  return settled(db, `UPDATE jobs SET status = 'failed', finished_at = now() WHERE batch_id = $1 AND status = 'blocked' RETURNING item_id`, [batchId]);
}

export function requeueFailed(db: Queryable, batchId: number): Promise<number> {
  return settled(
    db,
    `UPDATE jobs SET status = 'pending', attempts = 0, lease_losses = 0, available_at = 'epoch', error_code = NULL, error_message = NULL
     WHERE batch_id = $1 AND status = 'failed' RETURNING item_id`,
    [batchId],
  );
}

export async function jobActivity(db: Queryable, batchId: number): Promise<JobActivity> {
  return (await row<JobActivity>(
    db,
    `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'running') AS running,
            count(*) FILTER (WHERE status = 'blocked') AS blocked
     FROM jobs WHERE batch_id = $1 AND status IN ('pending','running','blocked')`,
    [batchId],
  ))!;
}

export async function enqueueRerun(db: Queryable, batchId: number, plan: EnginePlan): Promise<number> {
  const queued = await settled(
    db,
    `INSERT INTO jobs (batch_id, item_id, engine, task, role, status)
     SELECT batch_id, id, $2, $3, 'primary', 'pending' FROM items
     WHERE batch_id = $1 AND sha256 IS NOT NULL AND format IS NOT NULL AND status IN ('done', 'failed', 'cancelled')
     ORDER BY id ON CONFLICT DO NOTHING RETURNING item_id`,
    [batchId, plan.engine, plan.task],
  );
  await changes(db, `UPDATE batches SET plan_json = $1 WHERE id = $2`, [JSON.stringify(plan), batchId]);
  return queued;
}

export async function readablePages(db: Queryable, batchId: number): Promise<number> {
  return (await row<{ n: number }>(db, `SELECT count(*) AS n FROM items WHERE batch_id = $1 AND sha256 IS NOT NULL AND format IS NOT NULL`, [batchId]))!.n;
}
