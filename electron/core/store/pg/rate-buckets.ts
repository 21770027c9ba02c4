import type pg from 'pg';
import { ScanError } from '../../errors';
import type { SharedRateLimiter } from '../../limits/shared-rate';
import { row } from './db';

/**
 * One bucket per vendor operation in the queue's database (table rate_buckets): the moment
 * its next slot is free. Taking a slot moves that moment one interval on, in one statement
 * (the row lock orders concurrent takers), on the server's clock; the taker then waits until
 * its slot. Requests leave evenly spaced at the rate, whichever worker sends them.
 */
const MS = `* interval '1 millisecond'`;

/** Reserves the next slot of `key`; answers how long to wait for it (ms) and the slot itself (server time, ms since the epoch). */
export async function reserveSlot(db: Pick<pg.Pool, 'query'>, key: string, ratePerSecond: number): Promise<{ waitMs: number; slotAt: number }> {
  const interval = 1000 / ratePerSecond;
  const r = await row<{ wait_ms: number; slot_at: number }>(
    db,
    `INSERT INTO rate_buckets AS b (key, next_free_at) VALUES ($1, clock_timestamp() + $2::float8 ${MS})
     ON CONFLICT (key) DO UPDATE SET next_free_at = greatest(b.next_free_at, clock_timestamp()) + $2::float8 ${MS}
     RETURNING greatest(0, extract(epoch FROM (next_free_at - $2::float8 ${MS}) - clock_timestamp()) * 1000)::float8 AS wait_ms,
               (extract(epoch FROM next_free_at - $2::float8 ${MS}) * 1000)::float8 AS slot_at`,
    [key, interval],
  );
  return { waitMs: r!.wait_ms, slotAt: r!.slot_at };
}

export async function holdBucket(db: Pick<pg.Pool, 'query'>, key: string, ms: number): Promise<void> {
  await db.query(
    `INSERT INTO rate_buckets AS b (key, next_free_at) VALUES ($1, clock_timestamp() + $2::float8 ${MS})
     ON CONFLICT (key) DO UPDATE SET next_free_at = greatest(b.next_free_at, clock_timestamp() + $2::float8 ${MS})`,
    [key, ms],
  );
}

export function pgRateLimiter(pool: pg.Pool): SharedRateLimiter {
  return {
    async take(key, ratePerSecond, signal) {
      if (signal?.aborted) throw new ScanError('CANCELLED', 'Cancelled.');
      const { waitMs } = await reserveSlot(pool, key, ratePerSecond);
      if (waitMs <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(done, Math.ceil(waitMs));
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
    },
    async holdFor(key, ms) {
      await holdBucket(pool, key, ms);
    },
  };
}
