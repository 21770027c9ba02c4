import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../../electron/core/intake';
import { ScanError } from '../../electron/core/errors';
import { PgStore } from '../../electron/core/store/pg-store';
import { openPool } from '../../electron/core/store/pg/db';
import { migratePg } from '../../electron/core/store/pg/migrations';
import { confirmSlot, holdBucket, pgRateLimiter, reserveSlot, type Slot } from '../../electron/core/store/pg/rate-buckets';
import { sampleImages } from '../queue/support/samples';
import { startPostgres, type PgCluster } from '../support/postgres';

/**
 * The shared vendor rate limit on a real PostgreSQL: slots handed to several workers at once
 * (separate connection pools) are spaced by the interval on the server's clock, per operation;
 * a hold (a vendor's Retry-After) pushes every later slot past it AND voids the slots already
 * reserved inside it; a stop of the engine for a batch (a blocked job) ends every wait of that
 * batch's calls with the stop's error, and takes no slot.
 */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

function slot(s: Slot | ScanError): Slot {
  if (s instanceof ScanError) throw s;
  return s;
}

describe('shared rate buckets', () => {
  it('space the slots of concurrent workers by the interval, per key', async () => {
    const url = await cluster.createDatabase();
    const workers = [openPool(url), openPool(url), openPool(url)];
    try {
      await migratePg(workers[0]!);
      const rate = 20; // 50 ms apart
      const taken = await Promise.all([...Array(30)].map((_, i) => reserveSlot(workers[i % 3]!, 'tencent:QrcodeOCR', rate).then((r) => slot(r).slotAt)));
      const other = slot(await reserveSlot(workers[0]!, 'wechat:qrcode', rate));
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
      const first = slot(await reserveSlot(a, 'wechat:ocr', 100));
      await holdBucket(a, 'wechat:ocr', 60_000);
      const next = slot(await reserveSlot(b, 'wechat:ocr', 100));
      expect(next.slotAt - first.slotAt).toBeGreaterThanOrEqual(60_000 - 1);
      expect(next.waitMs).toBeGreaterThan(50_000);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('a hold voids the slots already reserved inside it: their takers wait until it ends', async () => {
    const url = await cluster.createDatabase();
    const a = openPool(url);
    const b = openPool(url);
    try {
      await migratePg(a);
      // Worker A holds slots up to 1 s ahead (a queue of waiting calls) when B hears a 429.
      const queued = [];
      for (let i = 0; i < 10; i++) queued.push(slot(await reserveSlot(a, 'tencent:QrcodeOCR', 10)));
      await holdBucket(b, 'tencent:QrcodeOCR', 30_000);
      for (const s of queued.slice(1)) expect(await confirmSlot(a, 'tencent:QrcodeOCR', s.slotAt)).toBe('held');
      // A slot taken after the hold stands: it lies at the hold's end or later.
      const after = slot(await reserveSlot(a, 'tencent:QrcodeOCR', 10));
      expect(after.waitMs).toBeGreaterThan(25_000);
      expect(await confirmSlot(a, 'tencent:QrcodeOCR', after.slotAt)).toBe('ok');

      // Through the limiter: a call waiting for its slot when the hold comes goes out only after it.
      const limiter = pgRateLimiter(a);
      await pgRateLimiter(b).take('wechat:qrcode', 5); // now
      const t0 = performance.now();
      const waiting = limiter.take('wechat:qrcode', 5); // 200 ms from now
      await new Promise((r) => setTimeout(r, 20));
      await holdBucket(b, 'wechat:qrcode', 1500);
      await waiting;
      expect(performance.now() - t0).toBeGreaterThanOrEqual(1500 - 20);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it("an engine stopped for a batch ends that batch's waits with the stop's error, other batches go on", async () => {
    const url = await cluster.createDatabase();
    const store = await PgStore.open(url);
    const pool = openPool(url);
    try {
      const items = (await expandPaths(sampleImages('zxing/qrcode-2', 2))).items;
      const plan = { engine: 'tencent' as const, task: 'codes' as const };
      const batch = (name: string) => store.createBatch({ name, plan, createdAt: new Date().toISOString(), items, skipped: [] });
      const stopped = await batch('stopped');
      const other = await batch('other');
      const limiter = pgRateLimiter(pool);
      const key = 'tencent:QrcodeOCR';
      // A call of the stopped batch is waiting for its slot (1 s ahead) when another worker's
      // auth failure blocks the engine for that batch.
      await limiter.take(key, 1, undefined, { batchId: stopped, engine: 'tencent' });
      const waiting = limiter.take(key, 1, undefined, { batchId: stopped, engine: 'tencent' }).then(
        () => null,
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 50));
      const job = (await store.claim('tencent', { leaseMs: 60_000, owner: 'worker-a' }))!;
      expect(job.batchId).toBe(stopped);
      const auth = { code: 'VENDOR_AUTH' as const, message: 'Tencent Cloud OCR: the SecretId is not found.' };
      expect(await store.blockEngine(job, auth, '{}')).toBe(true);
      const err = await waiting;
      expect(err).toBeInstanceOf(ScanError);
      expect(err).toMatchObject({ ...auth, errorClass: 'stop-engine' });
      // Later calls of that batch get the stop at once, and take no slot.
      const nextFree = async () => (await pool.query(`SELECT next_free_at::text AS t FROM rate_buckets WHERE key = $1`, [key])).rows[0].t as string;
      const free = await nextFree();
      expect(await reserveSlot(pool, key, 1, { batchId: stopped, engine: 'tencent' })).toMatchObject(auth);
      expect(await nextFree()).toBe(free);
      // Another batch, or another engine of the same batch, is not stopped.
      expect(await reserveSlot(pool, key, 1, { batchId: other, engine: 'tencent' })).not.toBeInstanceOf(ScanError);
      expect(await reserveSlot(pool, key, 1, { batchId: stopped, engine: 'wechat' })).not.toBeInstanceOf(ScanError);
    } finally {
      await pool.end();
      await store.close();
    }
  });
});
