import { randomUUID } from 'node:crypto';
import type { AppError } from '../../../shared/errors';
import type { EngineId, EnginePlan, Task } from '../../../shared/engines';
import type { ImageFormat } from '../intake/types';
import { cancelWaitingInCancelled } from '../store/batch-jobs';
import type { Db } from '../store/db';
import { deriveItemStatus } from '../store/item-status';
import { recountItem } from '../store/merge';
import { findCached, storeResult, type CacheKey, type Outcome } from '../store/results';
import { stmt } from '../store/statements';

/**
 * The job queue's fenced transitions, in SQL (the embedded store): claim, renew, finish, retry,
 * fail, block, release, requeue. Each runs in one transaction and is fenced by the allocation id
 * handed out at claim time (liteque's idea): once a lease expired and the job was claimed again,
 * the old holder's finish or failure matches no row and is refused. Each changes jobs, then
 * lets the item's status follow (store/item-status.ts); results and the cache are
 * store/results.ts's.
 */
export type JobRole = 'primary' | 'fallback';

export interface ClaimedJob {
  id: number;
  batchId: number;
  itemId: number;
  engine: EngineId;
  task: Task;
  role: JobRole;
  allocationId: string;
  attempts: number;
  /** Times this job's holder vanished before (a page that crashes its process keeps counting). */
  leaseLosses: number;
  path: string;
  page: number;
  format: ImageFormat;
  sha256: string;
  plan: EnginePlan;
  /**
   * The stored result of the same bytes, page, engine, task and options, when the store looked
   * it up with the claim (PostgreSQL: one round trip less); undefined: not looked up.
   */
  cachedResultId?: number | null;
}

export interface Fence {
  id: number;
  allocationId: string;
}

export interface LeaseOptions {
  now: number;
  leaseMs: number;
  owner: string;
}

export function enqueue(
  db: Db,
  job: { batchId: number; itemId: number; engine: EngineId; task: Task; role: JobRole; blocked?: boolean },
): void {
  if (!job.blocked) {
    stmt(
      db,
      `INSERT OR IGNORE INTO jobs (batch_id, item_id, engine, task, role, status, available_at) VALUES (?, ?, ?, ?, ?, 'pending', 0)`,
    ).run(job.batchId, job.itemId, job.engine, job.task, job.role);
    return;
  }
  // Queued behind a stopped engine: it waits with the reason that engine stopped for.
  stmt(
    db,
    `INSERT OR IGNORE INTO jobs (batch_id, item_id, engine, task, role, status, available_at, error_code, error_message)
     SELECT @batchId, @itemId, @engine, @task, @role, 'blocked', 0, b.error_code, b.error_message
     FROM (SELECT 1) LEFT JOIN (SELECT error_code, error_message FROM jobs
                                 WHERE batch_id = @batchId AND engine = @engine AND status = 'blocked' AND error_code IS NOT NULL LIMIT 1) b`,
  ).run({ batchId: job.batchId, itemId: job.itemId, engine: job.engine, task: job.task, role: job.role });
}

/** Claims the next runnable job of `engine` (running batches only, backoff respected). */
export function claim(db: Db, engine: EngineId, lease: LeaseOptions): ClaimedJob | null {
  return db
    .transaction((): ClaimedJob | null => {
      const allocationId = randomUUID();
      const row = stmt(
        db,
        `UPDATE jobs SET status = 'running', allocation_id = @allocationId,
                lease_expires_at = @expires, lease_owner = @owner
         WHERE id = (SELECT j.id FROM jobs j JOIN batches b ON b.id = j.batch_id
                     WHERE j.status = 'pending' AND j.engine = @engine AND j.available_at <= @now
                       AND b.status = 'running'
                     ORDER BY j.available_at, j.id LIMIT 1)
         RETURNING id, item_id, batch_id`,
      ).get({ allocationId, expires: lease.now + lease.leaseMs, owner: lease.owner, engine, now: lease.now }) as
        | { id: number; item_id: number; batch_id: number }
        | undefined;
      if (!row) return null;
      deriveItemStatus(db, row.item_id);
      const info = stmt(
        db,
        `SELECT j.engine, j.task, j.role, j.attempts, j.lease_losses, i.path, i.page, i.format, i.sha256, b.plan_json
         FROM jobs j JOIN items i ON i.id = j.item_id JOIN batches b ON b.id = j.batch_id WHERE j.id = ?`,
      ).get(row.id) as {
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
      };
      return {
        id: row.id,
        batchId: row.batch_id,
        itemId: row.item_id,
        engine: info.engine,
        task: info.task,
        role: info.role,
        allocationId,
        attempts: info.attempts,
        leaseLosses: info.lease_losses,
        path: info.path,
        page: info.page,
        format: info.format,
        sha256: info.sha256,
        plan: JSON.parse(info.plan_json) as EnginePlan,
      };
    })
    .immediate();
}

/** Takes the fence: true when the caller still holds the job (and it is now settled by them). */
function takeFence(db: Db, fence: Fence, status: 'done' | 'failed' | 'blocked', error: AppError | null, now: number): boolean {
  const r = stmt(
    db,
    `UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ?,
            allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
     WHERE id = ? AND allocation_id = ? AND status = 'running'`,
  ).run(status, error?.code ?? null, error?.message ?? null, now, fence.id, fence.allocationId);
  return r.changes === 1;
}

export type FinishOutcome = { ok: false } | { ok: true; detections: number; fallbackQueued: boolean };

/**
 * Stores an engine's result and marks the job done, atomically and only if `fence` still holds.
 * `fresh` is what the engine returned; `reusedFrom` instead copies a cached result's detections.
 * In fallback mode, a primary result with nothing found queues the fallback engine's job.
 */
export function finish(db: Db, job: ClaimedJob, outcome: Outcome, key: CacheKey, now: number): FinishOutcome {
  return db
    .transaction((): FinishOutcome => {
      if (!takeFence(db, job, 'done', null, now)) return { ok: false };
      const stored = storeResult(db, job, outcome, key, now);
      const fallback = job.plan.fallback ?? null;
      let fallbackQueued = false;
      if (job.role === 'primary' && fallback && fallback !== job.engine && stored.detections === 0 && batchStatus(db, job.batchId) !== 'cancelled') {
        enqueue(db, {
          batchId: job.batchId,
          itemId: job.itemId,
          engine: fallback,
          task: job.task,
          role: 'fallback',
          // A stopped fallback engine still gives pages it already did their stored result.
          blocked: engineBlocked(db, job.batchId, fallback) && findCached(db, { ...key, engine: fallback }) === null,
        });
        fallbackQueued = true;
      }
      stmt(db, `UPDATE items SET width = coalesce(width, ?), height = coalesce(height, ?) WHERE id = ?`).run(stored.width, stored.height, job.itemId);
      // A second engine's identical codes are the same codes: counted once (store/merge.ts);
      // the batch's review rules judge the page, accepting the codes that pass if asked.
      recountItem(db, job.itemId, { accept: true });
      deriveItemStatus(db, job.itemId);
      return { ok: true, detections: stored.detections, fallbackQueued };
    })
    .immediate();
}

function batchStatus(db: Db, batchId: number): string | undefined {
  return (stmt(db, `SELECT status FROM batches WHERE id = ?`).get(batchId) as { status: string } | undefined)?.status;
}

export function engineBlocked(db: Db, batchId: number, engine: string): boolean {
  return (
    stmt(db, `SELECT 1 FROM jobs WHERE batch_id = ? AND engine = ? AND status = 'blocked' LIMIT 1`).get(batchId, engine) !==
    undefined
  );
}

/** The item cannot succeed with this engine: job (and so item) failed with the error. */
export function failFinal(db: Db, job: Fence & { itemId: number }, error: AppError, now: number): boolean {
  return db
    .transaction(() => {
      if (!takeFence(db, job, 'failed', error, now)) return false;
      deriveItemStatus(db, job.itemId);
      return true;
    })
    .immediate();
}

const IN_CANCELLED_BATCH = `(SELECT status FROM batches WHERE id = jobs.batch_id) = 'cancelled'`;

/** Try again at `availableAt` (the error is kept for display); the item waits pending, unless its batch was cancelled meanwhile. */
export function scheduleRetry(db: Db, job: Fence & { itemId: number }, error: AppError, availableAt: number, now: number = availableAt): boolean {
  return db
    .transaction(() => {
      const r = stmt(
        db,
        // The batch was cancelled while this page was in flight: it does not wait again.
        `UPDATE jobs SET status = CASE WHEN ${IN_CANCELLED_BATCH} THEN 'cancelled' ELSE 'pending' END,
                finished_at = CASE WHEN ${IN_CANCELLED_BATCH} THEN @now ELSE finished_at END,
                attempts = attempts + 1, available_at = @availableAt, error_code = @code, error_message = @message,
                allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
         WHERE id = @id AND allocation_id = @allocationId AND status = 'running'`,
      ).run({ now, availableAt, code: error.code, message: error.message, id: job.id, allocationId: job.allocationId });
      if (r.changes !== 1) return false;
      deriveItemStatus(db, job.itemId);
      return true;
    })
    .immediate();
}

/**
 * Nothing will succeed with this engine in this batch (auth, quota): this job and every other
 * waiting job of the engine in the batch become `blocked`; their items stay pending. Jobs
 * whose page already has a stored result for this engine, task and `optionsKey` stay pending:
 * the runner completes them from the cache without a request. Returns false when the fence no
 * longer holds.
 */
export function blockEngine(
  db: Db,
  job: Fence & { itemId: number; batchId: number; engine: string },
  error: AppError,
  now: number,
  optionsKey: string,
): boolean {
  return db
    .transaction(() => {
      if (!takeFence(db, job, 'blocked', error, now)) return false;
      deriveItemStatus(db, job.itemId);
      stmt(
        db,
        `UPDATE jobs SET status = 'blocked', error_code = ?, error_message = ?
         WHERE batch_id = ? AND engine = ? AND status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM items i JOIN result_cache c
                             ON c.sha256 = i.sha256 AND c.page = i.page AND c.engine = jobs.engine
                            AND c.task = jobs.task AND c.options_key = ?
                           WHERE i.id = jobs.item_id)`,
      ).run(error.code, error.message, job.batchId, job.engine, optionsKey);
      return true;
    })
    .immediate();
}

/** Blocks the waiting jobs of an engine this process does not have (e.g. no credentials set up). */
export function blockMissingEngine(db: Db, batchId: number, engine: string, error: AppError): number {
  return stmt(
    db,
    `UPDATE jobs SET status = 'blocked', error_code = ?, error_message = ? WHERE batch_id = ? AND engine = ? AND status = 'pending'`,
  ).run(error.code, error.message, batchId, engine).changes;
}

/** Engines with waiting jobs in running batches. */
export function pendingEngines(db: Db): Array<{ batch_id: number; engine: string }> {
  return stmt(
    db,
    `SELECT DISTINCT j.batch_id, j.engine FROM jobs j JOIN batches b ON b.id = j.batch_id
     WHERE j.status = 'pending' AND b.status = 'running'`,
  ).all() as Array<{ batch_id: number; engine: string }>;
}

/** Gives a job back untouched (the app is closing): no attempt is counted. */
export function release(db: Db, job: Fence & { itemId: number }, now: number): boolean {
  return db
    .transaction(() => {
      const r = stmt(
        db,
        `UPDATE jobs SET status = 'pending', allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
         WHERE id = ? AND allocation_id = ? AND status = 'running'`,
      ).run(job.id, job.allocationId);
      if (r.changes !== 1) return false;
      deriveItemStatus(db, job.itemId);
      cancelWaitingInCancelled(db, now);
      return true;
    })
    .immediate();
}

/** Extends the lease of a job still being worked on (false: it was lost meanwhile). */
export function renewLease(db: Db, fence: Fence, expiresAt: number): boolean {
  return (
    stmt(db, `UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND allocation_id = ? AND status = 'running'`).run(
      expiresAt,
      fence.id,
      fence.allocationId,
    ).changes === 1
  );
}

/**
 * The holder begins decoding (calls the engine): from now on, losing it counts toward the crash
 * quarantine. The mark names the allocation that set it, so a later claim (a new allocation id)
 * never inherits it and nothing has to clear it. False when the lease was lost meanwhile.
 */
export function startDecode(db: Db, fence: Fence): boolean {
  return (
    stmt(db, `UPDATE jobs SET decode_started_by = allocation_id WHERE id = ? AND allocation_id = ? AND status = 'running'`).run(fence.id, fence.allocationId)
      .changes === 1
  );
}

/**
 * Whether a lost lease counts toward the quarantine: only when its holder had begun decoding
 * (startDecode). A holder that died while its page waited (for a worker thread, a twin's
 * decode, a cached result) says nothing about the page. SQL over the row's old values.
 */
export const LOSS_COUNTS = `(decode_started_by IS NOT NULL AND decode_started_by = allocation_id)`;

/**
 * A page whose holder vanished this many times while decoding it (the process crashed or was
 * killed each time, e.g. a file that crashes the decoder) is set aside: failed with its own
 * message instead of being tried again at every start. Retry failed gives it another chance.
 */
export const MAX_LEASE_LOSSES = 3;
export const QUARANTINE_MESSAGE = `Set aside: ScanDesk stopped ${MAX_LEASE_LOSSES} times while decoding this page (the file may crash the decoder). Retry failed tries it again.`;
/** This loss is the last one allowed (SQL over the row's old values; `max` is MAX_LEASE_LOSSES). */
const quarantined = (max: string) => `(${LOSS_COUNTS} AND lease_losses + 1 >= ${max})`;
const QUARANTINED = quarantined('@max');
/** The same test for PostgreSQL statements, with MAX_LEASE_LOSSES as parameter `max`. */
export const quarantinedWhen = quarantined;

/**
 * Jobs whose holder vanished (lease expired, or `owners` named as dead) go back to the queue
 * with a new allocation id at their next claim, so the old holder can no longer finish them.
 * A job that keeps losing its holder (e.g. it crashes the process) is failed after
 * MAX_LEASE_LOSSES. Jobs of cancelled batches are cancelled instead.
 */
export function requeueLost(db: Db, now: number, deadOwners: string[] = []): number {
  return db
    .transaction(() => {
      const lost = stmt(db, `SELECT id, item_id FROM jobs WHERE status = 'running' AND lease_expires_at < ?`).all(now) as Array<{
        id: number;
        item_id: number;
      }>;
      const byOwner = deadOwners.flatMap(
        (o) => stmt(db, `SELECT id, item_id FROM jobs WHERE status = 'running' AND lease_owner = ?`).all(o) as Array<{ id: number; item_id: number }>,
      );
      const seen = new Set<number>();
      for (const j of [...lost, ...byOwner]) {
        if (seen.has(j.id)) continue;
        seen.add(j.id);
        stmt(
          db,
          `UPDATE jobs SET status = CASE WHEN ${QUARANTINED} THEN 'failed' ELSE 'pending' END,
                  lease_losses = lease_losses + CASE WHEN ${LOSS_COUNTS} THEN 1 ELSE 0 END,
                  allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL, decode_started_by = NULL,
                  finished_at = CASE WHEN ${QUARANTINED} THEN @now ELSE finished_at END,
                  error_code = CASE WHEN ${QUARANTINED} THEN 'INTERNAL' ELSE error_code END,
                  error_message = CASE WHEN ${QUARANTINED} THEN @message ELSE error_message END
           WHERE id = @id`,
        ).run({ max: MAX_LEASE_LOSSES, message: QUARANTINE_MESSAGE, now, id: j.id });
        deriveItemStatus(db, j.item_id);
      }
      cancelWaitingInCancelled(db, now);
      return seen.size;
    })
    .immediate();
}

/** Running jobs' holders, to find the ones whose process is gone. */
export function leaseOwners(db: Db): string[] {
  return (
    stmt(db, `SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`).all() as Array<{
      lease_owner: string;
    }>
  ).map((r) => r.lease_owner);
}

/** The earliest moment a backed-off job of a running batch becomes claimable. */
export function nextAvailableAt(db: Db, engine: string): number | null {
  const r = stmt(
    db,
    `SELECT min(j.available_at) AS t FROM jobs j JOIN batches b ON b.id = j.batch_id
     WHERE j.status = 'pending' AND j.engine = ? AND b.status = 'running'`,
  ).get(engine) as { t: number | null };
  return r.t;
}
