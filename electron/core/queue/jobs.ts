import { randomUUID } from 'node:crypto';
import type { AppError } from '../../../shared/errors';
import type { EngineId, EnginePlan, Task } from '../../../shared/engines';
import type { RecognizeResult } from '../engines/engine';
import type { ImageFormat } from '../intake/types';
import type { Db } from '../store/db';
import { detectionColumns } from '../store/rows';
import { stmt } from '../store/statements';
import { copyResultImages, storeResultImages } from '../store/result-images';
import { recountItem } from '../store/merge';

/**
 * The job queue, in SQL. Every transition that matters runs in one transaction and is fenced
 * by the allocation id handed out at claim time (liteque's idea): once a lease expired and the
 * job was claimed again, the old holder's finish or failure matches no row and is refused.
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
  path: string;
  page: number;
  format: ImageFormat;
  sha256: string;
  plan: EnginePlan;
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
      stmt(db, `UPDATE items SET status = 'running' WHERE id = ? AND status = 'pending'`).run(row.item_id);
      const info = stmt(
        db,
        `SELECT j.engine, j.task, j.role, j.attempts, i.path, i.page, i.format, i.sha256, b.plan_json
         FROM jobs j JOIN items i ON i.id = j.item_id JOIN batches b ON b.id = j.batch_id WHERE j.id = ?`,
      ).get(row.id) as {
        engine: EngineId;
        task: Task;
        role: JobRole;
        attempts: number;
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

/** A stored result to reuse instead of calling the engine (same bytes, engine, task, options). */
export function findCached(db: Db, key: CacheKey): number | null {
  const r = stmt(
    db,
    `SELECT result_id FROM result_cache WHERE sha256 = ? AND page = ? AND engine = ? AND task = ? AND options_key = ?`,
  ).get(key.sha256, key.page, key.engine, key.task, key.optionsKey) as { result_id: number } | undefined;
  return r?.result_id ?? null;
}

export interface CacheKey {
  sha256: string;
  page: number;
  engine: EngineId;
  task: Task;
  optionsKey: string;
}

export type FinishOutcome = { ok: false } | { ok: true; detections: number; fallbackQueued: boolean };

/**
 * Stores an engine's result and marks the job done, atomically and only if `fence` still holds.
 * `fresh` is what the engine returned; `reusedFrom` instead copies a cached result's detections.
 * In fallback mode, a primary result with nothing found queues the fallback engine's job.
 */
export function finish(
  db: Db,
  job: ClaimedJob,
  outcome: { fresh: RecognizeResult } | { reusedFrom: number },
  key: CacheKey,
  now: number,
): FinishOutcome {
  return db
    .transaction((): FinishOutcome => {
      if (!takeFence(db, job, 'done', null, now)) return { ok: false };
      let resultId: number;
      let count: number;
      let width: number;
      let height: number;
      if ('fresh' in outcome) {
        const r = outcome.fresh;
        resultId = Number(
          stmt(
            db,
            `INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale,
                                  page_width, page_height, reused_from, notices_json, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
          ).run(
            job.id,
            job.itemId,
            job.engine,
            job.task,
            r.engineVersion,
            r.requestId ?? null,
            r.bytesSent ?? null,
            r.scale ?? null,
            r.pageWidth,
            r.pageHeight,
            r.notices?.length ? JSON.stringify(r.notices) : null,
            now,
          ).lastInsertRowid,
        );
        const ins = stmt(
          db,
          `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
           VALUES (@resultId, @itemId, @ord, @engine, @kind, @symbology, @text, @bytes_base64, @field, @geometry_json, @extra_json)`,
        );
        r.detections.forEach((d, ord) =>
          ins.run({ resultId, itemId: job.itemId, ord, engine: job.engine, ...detectionColumns(d) }),
        );
        storeResultImages(db, resultId, r.images);
        count = r.detections.length;
        width = r.pageWidth;
        height = r.pageHeight;
      } else {
        const src = stmt(db, `SELECT * FROM results WHERE id = ?`).get(outcome.reusedFrom) as {
          id: number;
          engine_version: string;
          request_id: string | null;
          scale: number | null;
          page_width: number;
          page_height: number;
        };
        resultId = Number(
          stmt(
            db,
            `INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale,
                                  page_width, page_height, reused_from, notices_json, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, NULL, ?)`,
          ).run(
            job.id,
            job.itemId,
            job.engine,
            job.task,
            src.engine_version,
            src.request_id,
            src.scale,
            src.page_width,
            src.page_height,
            src.id,
            now,
          ).lastInsertRowid,
        );
        count = stmt(
          db,
          `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
           SELECT ?, ?, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json
           FROM detections WHERE result_id = ? ORDER BY ord`,
        ).run(resultId, job.itemId, src.id).changes;
        copyResultImages(db, src.id, resultId);
        width = src.page_width;
        height = src.page_height;
      }
      stmt(
        db,
        `INSERT OR IGNORE INTO result_cache (sha256, page, engine, task, options_key, result_id) VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(key.sha256, key.page, key.engine, key.task, key.optionsKey, resultId);

      const fallback = job.plan.fallback ?? null;
      let fallbackQueued = false;
      if (job.role === 'primary' && fallback && fallback !== job.engine && count === 0 && batchStatus(db, job.batchId) !== 'cancelled') {
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
      stmt(
        db,
        `UPDATE items SET detection_count = detection_count + @count, review_pending = review_pending + @count,
                width = coalesce(width, @width), height = coalesce(height, @height),
                status = CASE WHEN @more THEN 'pending' ELSE 'done' END,
                error_code = NULL, error_message = NULL
         WHERE id = @itemId`,
      ).run({ count, width, height, more: fallbackQueued ? 1 : 0, itemId: job.itemId });
      // A second engine's identical codes are the same codes: counted once (store/merge.ts).
      recountItem(db, job.itemId);
      return { ok: true, detections: count, fallbackQueued };
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

/** The item cannot succeed with this engine: job and item failed with the error. */
export function failFinal(db: Db, job: Fence & { itemId: number }, error: AppError, now: number): boolean {
  return db
    .transaction(() => {
      if (!takeFence(db, job, 'failed', error, now)) return false;
      stmt(db, `UPDATE items SET status = 'failed', error_code = ?, error_message = ? WHERE id = ?`).run(
        error.code,
        error.message,
        job.itemId,
      );
      return true;
    })
    .immediate();
}

/** Try again after `delayMs` (the error is kept for display); the item waits pending. */
export function scheduleRetry(
  db: Db,
  job: Fence & { itemId: number },
  error: AppError,
  availableAt: number,
): boolean {
  return db
    .transaction(() => {
      const r = stmt(
        db,
        `UPDATE jobs SET status = 'pending', attempts = attempts + 1, available_at = ?, error_code = ?, error_message = ?,
                allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
         WHERE id = ? AND allocation_id = ? AND status = 'running'`,
      ).run(availableAt, error.code, error.message, job.id, job.allocationId);
      if (r.changes !== 1) return false;
      stmt(db, `UPDATE items SET status = 'pending' WHERE id = ? AND status = 'running'`).run(job.itemId);
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
      stmt(db, `UPDATE items SET status = 'pending' WHERE id = ? AND status = 'running'`).run(job.itemId);
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
export function release(db: Db, job: Fence & { itemId: number }): boolean {
  return db
    .transaction(() => {
      const r = stmt(
        db,
        `UPDATE jobs SET status = 'pending', allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
         WHERE id = ? AND allocation_id = ? AND status = 'running'`,
      ).run(job.id, job.allocationId);
      if (r.changes !== 1) return false;
      stmt(db, `UPDATE items SET status = 'pending' WHERE id = ? AND status = 'running'`).run(job.itemId);
      cancelWaiting(db, null);
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

export const MAX_LEASE_LOSSES = 10;

/**
 * Jobs whose holder vanished (lease expired, or `owners` named as dead) go back to the queue
 * with a new allocation id at their next claim, so the old holder can no longer finish them.
 * A job that keeps losing its holder (e.g. it crashes the process) is failed after
 * MAX_LEASE_LOSSES. Jobs of cancelled batches are cancelled instead.
 */
export function requeueLost(db: Db, now: number, deadOwners: string[] = []): number {
  return db
    .transaction(() => {
      const lost = stmt(
        db,
        `SELECT id, item_id, lease_owner FROM jobs WHERE status = 'running' AND lease_expires_at < ?`,
      ).all(now) as Array<{ id: number; item_id: number; lease_owner: string | null }>;
      const byOwner = deadOwners.flatMap(
        (o) =>
          stmt(db, `SELECT id, item_id, lease_owner FROM jobs WHERE status = 'running' AND lease_owner = ?`).all(o) as Array<{
            id: number;
            item_id: number;
            lease_owner: string | null;
          }>,
      );
      const seen = new Set<number>();
      for (const j of [...lost, ...byOwner]) {
        if (seen.has(j.id)) continue;
        seen.add(j.id);
        stmt(
          db,
          `UPDATE jobs SET status = CASE WHEN lease_losses + 1 >= ? THEN 'failed' ELSE 'pending' END,
                  lease_losses = lease_losses + 1, allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL,
                  error_code = CASE WHEN lease_losses + 1 >= ? THEN 'INTERNAL' ELSE error_code END,
                  error_message = CASE WHEN lease_losses + 1 >= ? THEN 'Gave up: the app stopped while decoding this page ' || (lease_losses + 1) || ' times.' ELSE error_message END
           WHERE id = ?`,
        ).run(MAX_LEASE_LOSSES, MAX_LEASE_LOSSES, MAX_LEASE_LOSSES, j.id);
        stmt(
          db,
          `UPDATE items SET
             status = CASE (SELECT status FROM jobs WHERE id = ?) WHEN 'failed' THEN 'failed' ELSE 'pending' END,
             error_code = (SELECT error_code FROM jobs WHERE id = ? AND status = 'failed'),
             error_message = (SELECT error_message FROM jobs WHERE id = ? AND status = 'failed')
           WHERE id = ? AND status = 'running'`,
        ).run(j.id, j.id, j.id, j.item_id);
      }
      cancelWaiting(db, null);
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

/** Waiting jobs of cancelled batches (or of `batchId`) become cancelled, with their items. */
export function cancelWaiting(db: Db, batchId: number | null): void {
  const scope = batchId === null ? `batch_id IN (SELECT id FROM batches WHERE status = 'cancelled')` : `batch_id = ${Number(batchId)}`;
  stmt(db, `UPDATE jobs SET status = 'cancelled' WHERE ${scope} AND status IN ('pending','blocked')`).run();
  stmt(
    db,
    `UPDATE items SET status = 'cancelled' WHERE ${scope} AND status = 'pending'
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id AND j.status = 'running')`,
  ).run();
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
export function failBlocked(db: Db, batchId: number): number {
  const n = stmt(db, `UPDATE jobs SET status = 'failed' WHERE batch_id = ? AND status = 'blocked'`).run(batchId).changes;
  stmt(
    db,
    `UPDATE items SET status = 'failed',
            error_code = (SELECT j.error_code FROM jobs j WHERE j.item_id = items.id AND j.status = 'failed' ORDER BY j.id DESC LIMIT 1),
            error_message = (SELECT j.error_message FROM jobs j WHERE j.item_id = items.id AND j.status = 'failed' ORDER BY j.id DESC LIMIT 1)
     WHERE batch_id = ? AND status = 'pending'
       AND EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id AND j.status = 'failed')
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id AND j.status IN ('pending', 'running', 'blocked'))`,
  ).run(batchId);
  return n;
}

/** Failed jobs start over with a fresh attempt budget; their items wait again. */
export function requeueFailed(db: Db, batchId: number): number {
  const n = stmt(
    db,
    `UPDATE jobs SET status = 'pending', attempts = 0, lease_losses = 0, available_at = 0, error_code = NULL, error_message = NULL
     WHERE batch_id = ? AND status = 'failed'`,
  ).run(batchId).changes;
  stmt(
    db,
    `UPDATE items SET status = 'pending', error_code = NULL, error_message = NULL
     WHERE batch_id = ? AND status = 'failed' AND EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id AND j.status = 'pending')`,
  ).run(batchId);
  return n;
}

export interface JobActivity {
  pending: number;
  running: number;
  blocked: number;
}

export function jobActivity(db: Db, batchId: number): JobActivity {
  // Three index range counts (jobs_batch), not one scan of the batch's jobs.
  const r = stmt(
    db,
    `SELECT (SELECT count(*) FROM jobs WHERE batch_id = @b AND status = 'pending') AS pending,
            (SELECT count(*) FROM jobs WHERE batch_id = @b AND status = 'running') AS running,
            (SELECT count(*) FROM jobs WHERE batch_id = @b AND status = 'blocked') AS blocked`,
  ).get({ b: batchId }) as JobActivity;
  return r;
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
