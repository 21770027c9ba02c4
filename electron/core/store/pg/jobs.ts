import { randomUUID } from 'node:crypto';
import type { AppError } from '../../../../shared/errors';
import type { EngineId, EnginePlan, Task } from '../../../../shared/engines';
import type { ImageFormat } from '../../intake/types';
import { LOSS_COUNTS, MAX_LEASE_LOSSES, QUARANTINE_MESSAGE, quarantinedWhen, type ClaimedJob, type Fence, type FinishOutcome, type JobRole } from '../../queue/jobs';
import type { CacheKey, Outcome } from '../results';
import { changes, preparedRow, row, rows, type Queryable } from './db';
import { deriveItems } from './item-status';
import { recountItem } from './merge';
import { storeResultImages } from './results';
import { detectionColumns } from '../rows';

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
 * One round trip (scandesk_claim, migration 009; atomic on its own): the next job, skipping rows
 * other workers are taking and pages identical to one being decoded now, leased; its item
 * running; and the cached result of its page, if any.
 */
export async function claim(db: Queryable, engine: EngineId, lease: { leaseMs: number; owner: string }): Promise<ClaimedJob | null> {
  const allocationId = randomUUID();
  const job = await preparedRow<{
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
    cached_result_id: number | null;
  }>(db, 'scandesk_claim', `SELECT * FROM scandesk_claim($1, $2, $3, $4)`, [engine, allocationId, lease.leaseMs, lease.owner]);
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
    cachedResultId: job.cached_result_id,
  };
}

async function takeFence(db: Queryable, fence: Fence, status: 'failed' | 'blocked', error: AppError | null): Promise<boolean> {
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

/**
 * The fenced finish in one round trip (scandesk_finish, migration 009): result, detections,
 * cache entry, fallback job, the page's size, counts and status, notifications. Answers
 * 'several' without writing anything when the page already has a result (its counts need the
 * merge rules), its batch has review rules (judged in pg/rules.ts) or the result carries
 * images: then `finishSeveral` does it in a transaction.
 */
export async function finish(db: Queryable, job: ClaimedJob, outcome: Outcome, key: CacheKey): Promise<FinishOutcome | 'several'> {
  if ('fresh' in outcome && (outcome.fresh.images?.length ?? 0) > 0) return 'several';
  const r = await callFinish(db, job, outcome, key, false);
  if (r.outcome === 'several') return 'several';
  return r.outcome === 'ok' ? { ok: true, detections: r.detections, fallbackQueued: r.fallback_queued } : { ok: false };
}

/** The finish of a page with other results or with images, inside the caller's transaction. */
export async function finishSeveral(db: Queryable, job: ClaimedJob, outcome: Outcome, key: CacheKey): Promise<FinishOutcome> {
  const r = await callFinish(db, job, outcome, key, true);
  if (r.outcome !== 'ok') return { ok: false };
  if ('fresh' in outcome) await storeResultImages(db, r.result_id!, outcome.fresh.images);
  // A second engine's identical codes are the same codes: counted once (store/merge.ts); a
  // batch's review rules judge the page, accepting what passes (pg/rules.ts).
  await recountItem(db, job.itemId, { accept: true });
  return { ok: true, detections: r.detections, fallbackQueued: r.fallback_queued };
}

async function callFinish(
  db: Queryable,
  job: ClaimedJob,
  outcome: Outcome,
  key: CacheKey,
  several: boolean,
): Promise<{ outcome: 'ok' | 'lost' | 'several'; result_id: number | null; detections: number; fallback_queued: boolean }> {
  const fresh = 'fresh' in outcome ? outcome.fresh : null;
  const cols = (fresh?.detections ?? []).map(detectionColumns);
  return (await preparedRow(
    db,
    'scandesk_finish',
    `SELECT * FROM scandesk_finish($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                                   $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)`,
    [
      job.id,
      job.allocationId,
      job.itemId,
      job.batchId,
      job.engine,
      job.task,
      job.role,
      job.plan.fallback ?? null,
      several,
      'reusedFrom' in outcome ? outcome.reusedFrom : null,
      fresh?.engineVersion ?? null,
      fresh?.requestId ?? null,
      fresh?.bytesSent ?? null,
      fresh?.scale ?? null,
      fresh?.pageWidth ?? null,
      fresh?.pageHeight ?? null,
      fresh?.notices?.length ? JSON.stringify(fresh.notices) : null,
      cols.map((c) => c.kind),
      cols.map((c) => c.symbology),
      cols.map((c) => c.text),
      cols.map((c) => c.bytes_base64),
      cols.map((c) => c.field),
      cols.map((c) => c.geometry_json),
      cols.map((c) => c.extra_json),
      key.sha256,
      key.page,
      key.optionsKey,
    ],
  ))!;
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

/** queue/jobs.ts startDecode: the holder begins decoding; its loss counts toward the quarantine from now on. */
export async function startDecode(db: Queryable, fence: Fence): Promise<boolean> {
  return (
    (await changes(db, `UPDATE jobs SET decode_started_by = allocation_id WHERE id = $1 AND allocation_id = $2 AND status = 'running'`, [fence.id, fence.allocationId])) === 1
  );
}

const QUARANTINED = quarantinedWhen('$2');

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
     UPDATE jobs SET status = CASE WHEN ${QUARANTINED} THEN 'failed' ELSE 'pending' END,
            lease_losses = lease_losses + CASE WHEN ${LOSS_COUNTS} THEN 1 ELSE 0 END,
            allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL, decode_started_by = NULL,
            finished_at = CASE WHEN ${QUARANTINED} THEN now() ELSE finished_at END,
            error_code = CASE WHEN ${QUARANTINED} THEN 'INTERNAL' ELSE error_code END,
            error_message = CASE WHEN ${QUARANTINED} THEN $3 ELSE error_message END
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

/**
 * Milliseconds until a job of `engine` can be claimed: 0 when one is due now, else until the
 * earliest backed-off one (null: none waits). A due job held back because its identical page is
 * being decoded (scandesk_claim) does not count: the holder's finish wakes the workers.
 */
export async function msUntilAvailable(db: Queryable, engine: string): Promise<number | null> {
  const r = await row<{ ms: number | null }>(
    db,
    `SELECT CASE
       WHEN EXISTS (SELECT 1 FROM jobs j
                    WHERE j.status = 'pending' AND j.engine = $1 AND j.available_at <= now()
                      AND (SELECT b.status FROM batches b WHERE b.id = j.batch_id) = 'running'
                      AND NOT (SELECT EXISTS (
                        SELECT 1 FROM items i JOIN items ti ON ti.sha256 = i.sha256 AND ti.page = i.page
                        JOIN jobs tj ON tj.item_id = ti.id AND tj.engine = j.engine AND tj.task = j.task AND tj.status = 'running'
                        JOIN batches b ON b.id = j.batch_id JOIN batches tb ON tb.id = tj.batch_id
                        WHERE i.id = j.item_id AND scandesk_plan_options(tb.plan_json) = scandesk_plan_options(b.plan_json))))
         THEN 0::float8
       -- greatest() skips NULL: no waiting job must stay NULL, not 0.
       ELSE (SELECT CASE WHEN min(j.available_at) IS NULL THEN NULL
                    ELSE greatest(0, extract(epoch FROM min(j.available_at) - now()) * 1000)::float8 END
             FROM jobs j JOIN batches b ON b.id = j.batch_id
             WHERE j.status = 'pending' AND j.engine = $1 AND j.available_at > now() AND b.status = 'running')
     END AS ms`,
    [engine],
  );
  return r?.ms ?? null;
}
