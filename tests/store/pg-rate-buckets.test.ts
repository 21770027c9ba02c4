import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool } from '../../electron/core/store/pg/db';
import { migratePg } from '../../electron/core/store/pg/migrations';
import { holdBucket, reserveSlot } from '../../electron/core/store/pg/rate-buckets';
import { startPostgres, type PgCluster } from '../support/postgres';

/**
 * The shared vendor rate limit on a real PostgreSQL: slots handed to several workers at once
 * (separate connection pools) are spaced by the interval on the server's clock, per operation,
 * and a hold (a vendor's Retry-After) pushes every later slot past it.
 */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

describe('shared rate buckets', () => {
  it('space the slots of concurrent workers by the interval, per key', async () => {
    const url = await cluster.createDatabase();
    const workers = [openPool(url), openPool(url), openPool(url)];
    try {
      await migratePg(workers[0]!);
      const rate = 20; // 50 ms apart
      const taken = await Promise.all(
        [...Array(30)].map((_, i) => reserveSlot(workers[i % 3]!, 'tencent:QrcodeOCR', rate).then((r) => r.slotAt)),
      );
      const other = await reserveSlot(workers[0]!, 'wechat:qrcode', rate);
      const slots = taken.sort((a, b) => a - b);
      for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(50 - 0.01);
      // 30 slots at 20/s span 29 intervals: together they stay under the rate.
      expect(slots[slots.length - 1]! - slots[0]!).toBeGreaterThanOrEqual(29 * 50 - 0.1);
      // Another operation has its own bucket: its first slot is now, not after the 30.
      expect(other.slotAt).toBeLessThan(slots[slots.length - 1]!);
      expect(other.waitMs).toBe(0);
    } finally {
      await Promise.all(workers.map((p) => p.end()));
    }
  });

  it('a hold seen by one worker delays everyone', async () => {
    const url = await cluster.createDatabase();
    const a = openPool(url);
    const b = openPool(url);
    try {
      await migratePg(a);
      const first = await reserveSlot(a, 'wechat:ocr', 100);
      await holdBucket(a, 'wechat:ocr', 60_000);
      const next = await reserveSlot(b, 'wechat:ocr', 100);
      expect(next.slotAt - first.slotAt).toBeGreaterThanOrEqual(60_000 - 1);
      expect(next.waitMs).toBeGreaterThan(50_000);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
