import type pg from 'pg';
import type { ErrorCode } from '../../../../shared/errors';
import { ScanError } from '../../errors';
import type { LimitScope, SharedRateLimiter } from '../../limits/shared-rate';
import { row } from './db';

/**
 * One bucket per vendor operation in the queue's database (table rate_buckets): the moment
 * its next slot is free, and the end of the latest hold. Taking a slot moves that moment one
 * interval on, in one statement (the row lock orders concurrent takers), on the server's clock;
 * the taker then waits until its slot. Requests leave evenly spaced at the rate, whichever
 * worker sends them.
 *
 * A reserved slot is confirmed when its wait ends: a hold placed meanwhile (a 429 another
 * worker saw) voids every slot inside it, and their takers reserve again after it; a stop of
 * the engine for the caller's batch (a blocked job: another worker's auth or quota failure)
 * ends the wait with that stop's error instead of a call.
 */
const MS = `* interval '1 millisecond'`;

/** The stop of the scope's engine for its batch, if any: a job blocked with a stop's error ($3 batch, $4 engine). */
const STOP = `SELECT error_code, error_message FROM jobs
              WHERE batch_id = $3 AND engine = $4 AND status = 'blocked' AND error_code IS NOT NULL LIMIT 1`;

interface Stop {
  stop_code: string | null;
  stop_message: string | null;
}

export interface Slot {
  /** How long to wait for the slot (ms); 0 when it is now. */
  waitMs: number;
  /** The slot (server time, ms since the epoch). */
  slotAt: number;
}

function stopError(r: Stop): ScanError | null {
  if (r.stop_code === null) return null;
  // Class stop-engine whatever the code: the runner blocks this page with the others.
  return new ScanError(r.stop_code as ErrorCode, r.stop_message ?? 'The engine was stopped for this batch.', { errorClass: 'stop-engine' });
}

/**
 * Reserves the next slot of `key`, unless the engine is stopped for the scope's batch: then no
 * slot is taken and the stop's error is returned instead.
 */
export async function reserveSlot(db: Pick<pg.Pool, 'query'>, key: string, ratePerSecond: number, scope?: LimitScope): Promise<Slot | ScanError> {
  const interval = 1000 / ratePerSecond;
  const r = await row<{ wait_ms: number | null; slot_at: number | null } & Stop>(
    db,
    `WITH stop AS (${STOP}),
     taken AS (
       INSERT INTO rate_buckets AS b (key, next_free_at)
       SELECT $1, clock_timestamp() + $2::float8 ${MS} WHERE NOT EXISTS (SELECT 1 FROM stop)
       ON CONFLICT (key) DO UPDATE SET next_free_at = greatest(b.next_free_at, clock_timestamp()) + $2::float8 ${MS}
       RETURNING greatest(0, extract(epoch FROM (next_free_at - $2::float8 ${MS}) - clock_timestamp()) * 1000)::float8 AS wait_ms,
                 (extract(epoch FROM next_free_at - $2::float8 ${MS}) * 1000)::float8 AS slot_at)
     SELECT taken.wait_ms, taken.slot_at, stop.error_code AS stop_code, stop.error_message AS stop_message
     FROM (SELECT 1) one LEFT JOIN taken ON true LEFT JOIN stop ON true`,
    [key, interval, scope?.batchId ?? null, scope?.engine ?? null],
  );
  return stopError(r!) ?? { waitMs: r!.wait_ms!, slotAt: r!.slot_at! };
}

/**
 * At the end of a wait: whether the reserved slot still stands. `held` when a hold placed since
 * the reservation covers it (reserve again); a ScanError when the engine was stopped meanwhile.
 */
export async function confirmSlot(db: Pick<pg.Pool, 'query'>, key: string, slotAt: number, scope?: LimitScope): Promise<'ok' | 'held' | ScanError> {
  // (0.01 ms: the slot went through float8 milliseconds and back, a slot taken right at a
  // hold's end must not look inside it.)
  const r = await row<{ held: boolean } & Stop>(
    db,
    `WITH stop AS (${STOP})
     SELECT coalesce((SELECT held_until > 'epoch'::timestamptz + ($2::float8 + 0.01) ${MS} FROM rate_buckets WHERE key = $1), false) AS held,
            stop.error_code AS stop_code, stop.error_message AS stop_message
     FROM (SELECT 1) one LEFT JOIN stop ON true`,
    [key, slotAt, scope?.batchId ?? null, scope?.engine ?? null],
  );
  return stopError(r!) ?? (r!.held ? 'held' : 'ok');
}

export async function holdBucket(db: Pick<pg.Pool, 'query'>, key: string, ms: number): Promise<void> {
  await db.query(
    `INSERT INTO rate_buckets AS b (key, next_free_at, held_until) VALUES ($1, clock_timestamp() + $2::float8 ${MS}, clock_timestamp() + $2::float8 ${MS})
     ON CONFLICT (key) DO UPDATE SET next_free_at = greatest(b.next_free_at, clock_timestamp() + $2::float8 ${MS}),
                                     held_until = greatest(b.held_until, clock_timestamp() + $2::float8 ${MS})`,
    [key, ms],
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(done, Math.ceil(ms));
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(t);
      reject(new ScanError('CANCELLED', 'Cancelled.'));
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export function pgRateLimiter(pool: pg.Pool): SharedRateLimiter {
  return {
    async take(key, ratePerSecond, signal, scope) {
      for (;;) {
        if (signal?.aborted) throw new ScanError('CANCELLED', 'Cancelled.');
        const slot = await reserveSlot(pool, key, ratePerSecond, scope);
        if (slot instanceof ScanError) throw slot;
        // A slot that is now was reserved after any hold and any stop seen by the statement.
        if (slot.waitMs <= 0) return;
        await sleep(slot.waitMs, signal);
        const still = await confirmSlot(pool, key, slot.slotAt, scope);
        if (still instanceof ScanError) throw still;
        if (still === 'ok') return;
      }
    },
    async holdFor(key, ms) {
      await holdBucket(pool, key, ms);
    },
  };
}
