import { randomUUID } from 'node:crypto';
import type { AppError } from '../../../../shared/errors';
import type { EngineId, EnginePlan, Task } from '../../../../shared/engines';
import type { ImageFormat } from '../../intake/types';
import { MAX_LEASE_LOSSES, QUARANTINE_MESSAGE, type ClaimedJob, type Fence, type FinishOutcome, type JobRole } from '../../queue/jobs';
import type { CacheKey, Outcome } from '../results';
import { changes, row, rows, type Queryable } from './db';
import { deriveItems, STATUS_FROM_JOBS } from './item-status';
import { BATCH_CHANNEL } from './notify';
import { recountItem } from './merge';
import { findCached, storeResult } from './results';

/**
 * queue/jobs.ts for PostgreSQL: the fenced job transitions. Each function runs inside the
 * caller's transaction (PgStore wraps it). A claim takes the next job with FOR UPDATE SKIP
 * LOCKED, so workers never wait on each other's picks; every later transition matches the
 * allocation id the claim handed out. Every time is the server's now().
 */

const MS = `* interval '1 millisecond'`;

export async function enqueue(
  db: Queryable,
  job: { batchId: number; itemId: number; engine: EngineId; task: Task; role: JobRole; blocked?: boolean },
): Promise<void> {
  if (!job.blocked) {
    await changes(
      db,
      `INSERT INTO jobs (batch_id, item_id, engine, task, role, status) VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT DO NOTHING`,
      [job.batchId, job.itemId, job.engine, job.task, job.role],
    );
    return;
  }
  // Queued behind a stopped engine: it waits with the reason that engine stopped for.
  await changes(
    db,
    `INSERT INTO jobs (batch_id, item_id, engine, task, role, status, error_code, error_message)
     SELECT $1, $2, $3, $4, $5, 'blocked', b.error_code, b.error_message
     FROM (SELECT 1) one LEFT JOIN (SELECT error_code, error_message FROM jobs
                                     WHERE batch_id = $1 AND engine = $3 AND status = 'blocked' AND error_code IS NOT NULL LIMIT 1) b ON true
     ON CONFLICT DO NOTHING`,
    [job.batchId, job.itemId, job.engine, job.task, job.role],
  );
}

/** The primary jobs of new pages, in one statement. */
export async function enqueueItems(db: Queryable, batchId: number, itemIds: number[], plan: EnginePlan): Promise<void> {
  if (itemIds.length === 0) return;
  await changes(
    db,
    `INSERT INTO jobs (batch_id, item_id, engine, task, role, status)
     SELECT $1, id, $3, $4, 'primary', 'pending' FROM unnest($2::bigint[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
    [batchId, itemIds, plan.engine, plan.task],
  );
}

/**
 * One statement (one round trip, atomic on its own): pick the next job skipping rows other
 * workers are taking, lease it, mark its item running (a running job makes its item running:
 * what deriveItems would say), and answer what the runner needs.
 */
export async function claim(db: Queryable, engine: EngineId, lease: { leaseMs: number; owner: string }): Promise<ClaimedJob | null> {
  const allocationId = randomUUID();
  const job = await row<{
    id: number;
    item_id: number;
    batch_id: number;
    engine: EngineId;
    task: Task;
    role: JobRole;
    attempts: number;
    lease_losses: number;
    path: string;
    page: number;
    format: ImageFormat;
    sha256: string;
    plan_json: string;
  }>(
    db,
    `WITH next AS (
       SELECT j.id FROM jobs j JOIN batches b ON b.id = j.batch_id
       WHERE j.status = 'pending' AND j.engine = $1 AND j.available_at <= now() AND b.status = 'running'
       ORDER BY j.available_at, j.id LIMIT 1
       FOR UPDATE OF j SKIP LOCKED),
     claimed AS (
       UPDATE jobs SET status = 'running', allocation_id = $2, lease_expires_at = now() + $3::float8 ${MS}, lease_owner = $4
       FROM next WHERE jobs.id = next.id
       RETURNING jobs.id, jobs.item_id, jobs.batch_id, jobs.engine, jobs.task, jobs.role, jobs.attempts, jobs.lease_losses),
     item AS (
       UPDATE items SET status = 'running', error_code = NULL, error_message = NULL FROM claimed WHERE items.id = claimed.item_id
       RETURNING items.id, items.path, items.page, items.format, items.sha256)
     SELECT c.*, i.path, i.page, i.format, i.sha256, b.plan_json
     FROM claimed c JOIN item i ON i.id = c.item_id JOIN batches b ON b.id = c.batch_id`,
    [engine, allocationId, lease.leaseMs, lease.owner],
  );
  if (!job) return null;
  return {
    id: job.id,
    batchId: job.batch_id,
    itemId: job.item_id,
    engine: job.engine,
    task: job.task,
    role: job.role,
    allocationId,
    attempts: job.attempts,
    leaseLosses: job.lease_losses,
    path: job.path,
    page: job.page,
    format: job.format,
    sha256: job.sha256,
    plan: JSON.parse(job.plan_json) as EnginePlan,
  };
}

async function takeFence(db: Queryable, fence: Fence, status: 'done' | 'failed' | 'blocked', error: AppError | null): Promise<boolean> {
  return (
    (await changes(
      db,
      `UPDATE jobs SET status = $1, error_code = $2, error_message = $3, finished_at = now(),
              allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
       WHERE id = $4 AND allocation_id = $5 AND status = 'running'`,
      [status, error?.code ?? null, error?.message ?? null, fence.id, fence.allocationId],
    )) === 1
  );
}

export async function finish(db: Queryable, job: ClaimedJob, outcome: Outcome, key: CacheKey): Promise<FinishOutcome> {
  if (!(await takeFence(db, job, 'done', null))) return { ok: false };
  const stored = await storeResult(db, job, outcome, key);
  const fallback = job.plan.fallback ?? null;
  let fallbackQueued = false;
  if (job.role === 'primary' && fallback && fallback !== job.engine && stored.detections === 0) {
    const b = await row<{ status: string }>(db, `SELECT status FROM batches WHERE id = $1`, [job.batchId]);
    if (b && b.status !== 'cancelled') {
      const blocked = (await engineBlocked(db, job.batchId, fallback)) && (await findCached(db, { ...key, engine: fallback })) === null;
      await enqueue(db, { batchId: job.batchId, itemId: job.itemId, engine: fallback, task: job.task, role: 'fallback', blocked });
      fallbackQueued = true;
    }
  }
  // One statement: the page's size; its counts when this is its only result (nothing to merge:
  // every code counts, each waiting for review); its status from its jobs (item-status.ts).
  // A page with several engines' results is recounted with the merge rules after, and so is a
  // page of a batch with review rules (judged, accepting what passes: pg/rules.ts). Desks hear
  // of the batch's progress at commit (notify.ts), without another round trip.
  const item = await row<{ results: number; ruled: boolean }>(
    db,
    `UPDATE items SET width = coalesce(width, $1), height = coalesce(height, $2),
            detection_count = CASE WHEN r.n = 1 THEN $4 ELSE detection_count END,
            review_pending = CASE WHEN r.n = 1 THEN $4 ELSE review_pending END,
            (status, error_code, error_message) = (${STATUS_FROM_JOBS})
     FROM (SELECT count(*) AS n FROM results WHERE item_id = $3) r
     WHERE items.id = $3 RETURNING r.n AS results, EXISTS (SELECT 1 FROM batch_rules br WHERE br.batch_id = items.batch_id) AS ruled, pg_notify($5, $6)`,
    [stored.width, stored.height, job.itemId, stored.detections, BATCH_CHANNEL, String(job.batchId)],
  );
  if ((item?.results ?? 0) !== 1 || item?.ruled) await recountItem(db, job.itemId, { accept: true });
  return { ok: true, detections: stored.detections, fallbackQueued };
}

export async function engineBlocked(db: Queryable, batchId: number, engine: string): Promise<boolean> {
  return (await row(db, `SELECT 1 FROM jobs WHERE batch_id = $1 AND engine = $2 AND status = 'blocked' LIMIT 1`, [batchId, engine])) !== undefined;
}

export async function failFinal(db: Queryable, job: Fence & { itemId: number }, error: AppError): Promise<boolean> {
  if (!(await takeFence(db, job, 'failed', error))) return false;
  await deriveItems(db, [job.itemId]);
  return true;
}

export async function scheduleRetry(db: Queryable, job: Fence & { itemId: number }, error: AppError, delayMs: number): Promise<boolean> {
  const n = await changes(
    db,
    // The batch was cancelled while this page was in flight: it does not wait again.
    `UPDATE jobs SET status = CASE WHEN b.status = 'cancelled' THEN 'cancelled' ELSE 'pending' END,
            finished_at = CASE WHEN b.status = 'cancelled' THEN now() ELSE jobs.finished_at END,
            attempts = attempts + 1, available_at = now() + $1::float8 ${MS}, error_code = $2, error_message = $3,
            allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
     FROM batches b WHERE b.id = jobs.batch_id AND jobs.id = $4 AND jobs.allocation_id = $5 AND jobs.status = 'running'`,
    [delayMs, error.code, error.message, job.id, job.allocationId],
  );
  if (n !== 1) return false;
  await deriveItems(db, [job.itemId]);
  return true;
}

export async function blockEngine(db: Queryable, job: Fence & { itemId: number; batchId: number; engine: string }, error: AppError, optionsKey: string): Promise<boolean> {
  if (!(await takeFence(db, job, 'blocked', error))) return false;
  await deriveItems(db, [job.itemId]);
  await changes(
    db,
    `UPDATE jobs SET status = 'blocked', error_code = $1, error_message = $2
     WHERE batch_id = $3 AND engine = $4 AND status = 'pending'
       AND NOT EXISTS (SELECT 1 FROM items i JOIN result_cache c
                         ON c.sha256 = i.sha256 AND c.page = i.page AND c.engine = jobs.engine AND c.task = jobs.task AND c.options_key = $5
                       WHERE i.id = jobs.item_id)`,
    [error.code, error.message, job.batchId, job.engine, optionsKey],
  );
  return true;
}

export async function blockMissingEngine(db: Queryable, batchId: number, engine: string, error: AppError): Promise<number> {
  return changes(db, `UPDATE jobs SET status = 'blocked', error_code = $1, error_message = $2 WHERE batch_id = $3 AND engine = $4 AND status = 'pending'`, [
    error.code,
    error.message,
    batchId,
    engine,
  ]);
}

export async function pendingEngines(db: Queryable): Promise<Array<{ batchId: number; engine: string }>> {
  const list = await rows<{ batch_id: number; engine: string }>(
    db,
    `SELECT DISTINCT j.batch_id, j.engine FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.status = 'pending' AND b.status = 'running'`,
  );
  return list.map((r) => ({ batchId: r.batch_id, engine: r.engine }));
}

/** Waiting jobs of every cancelled batch are cancelled (after a job was given back to one). */
export async function cancelWaitingInCancelled(db: Queryable): Promise<void> {
  const list = await rows<{ item_id: number }>(
    db,
    `UPDATE jobs SET status = 'cancelled', finished_at = now() FROM batches b
     WHERE b.id = jobs.batch_id AND b.status = 'cancelled' AND jobs.status IN ('pending','blocked') RETURNING jobs.item_id`,
  );
  await deriveItems(db, list.map((r) => r.item_id));
}

export async function release(db: Queryable, job: Fence & { itemId: number }): Promise<boolean> {
  const n = await changes(
    db,
    `UPDATE jobs SET status = 'pending', allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
     WHERE id = $1 AND allocation_id = $2 AND status = 'running'`,
    [job.id, job.allocationId],
  );
  if (n !== 1) return false;
  await deriveItems(db, [job.itemId]);
  await cancelWaitingInCancelled(db);
  return true;
}

export async function renewLease(db: Queryable, fence: Fence, leaseMs: number): Promise<boolean> {
  return (
    (await changes(db, `UPDATE jobs SET lease_expires_at = now() + $1::float8 ${MS} WHERE id = $2 AND allocation_id = $3 AND status = 'running'`, [
      leaseMs,
      fence.id,
      fence.allocationId,
    ])) === 1
  );
}

/**
 * Jobs whose holder vanished (lease expired by the server's clock, or owner named dead) go back
 * to the queue; one that keeps losing its holder fails after MAX_LEASE_LOSSES. Rows another
 * worker is settling right now are skipped (they are not lost).
 */
export async function requeueLost(db: Queryable, deadOwners: string[]): Promise<number> {
  const lost = await rows<{ item_id: number }>(
    db,
    `WITH lost AS (
       SELECT id FROM jobs WHERE status = 'running' AND (lease_expires_at < now() OR lease_owner = ANY($1::text[]))
       ORDER BY id FOR UPDATE SKIP LOCKED)
     UPDATE jobs SET status = CASE WHEN lease_losses + 1 >= $2 THEN 'failed' ELSE 'pending' END,
            lease_losses = lease_losses + 1, allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL,
            finished_at = CASE WHEN lease_losses + 1 >= $2 THEN now() ELSE finished_at END,
            error_code = CASE WHEN lease_losses + 1 >= $2 THEN 'INTERNAL' ELSE error_code END,
            error_message = CASE WHEN lease_losses + 1 >= $2 THEN $3 ELSE error_message END
     FROM lost WHERE jobs.id = lost.id RETURNING jobs.item_id`,
    [deadOwners, MAX_LEASE_LOSSES, QUARANTINE_MESSAGE],
  );
  await deriveItems(db, lost.map((r) => r.item_id));
  await cancelWaitingInCancelled(db);
  return lost.length;
}

export async function leaseOwners(db: Queryable): Promise<string[]> {
  return (await rows<{ lease_owner: string }>(db, `SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`)).map(
    (r) => r.lease_owner,
  );
}

export async function msUntilAvailable(db: Queryable, engine: string): Promise<number | null> {
  const r = await row<{ ms: number | null }>(
    db,
    // greatest() skips NULL: no waiting job must stay NULL, not 0.
    `SELECT CASE WHEN min(j.available_at) IS NULL THEN NULL ELSE greatest(0, extract(epoch FROM min(j.available_at) - now()) * 1000)::float8 END AS ms
     FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.status = 'pending' AND j.engine = $1 AND b.status = 'running'`,
    [engine],
  );
  return r?.ms ?? null;
}
