import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecognizeResult } from '../../electron/core/engines/engine';
import {
  claim,
  failFinal,
  finish,
  MAX_LEASE_LOSSES,
  renewLease,
  requeueLost,
  scheduleRetry,
  startDecode,
  type ClaimedJob,
} from '../../electron/core/queue/jobs';
import type { CacheKey } from '../../electron/core/store/results';
import { openDatabase, type Db } from '../../electron/core/store/db';
import { closeRealEngines, realEngine } from './support/parts';
import { sampleImages } from './support/samples';
import { seedBatch } from './support/seed-batch';
import { tempDir } from './support/tmp';

const tmp = tempDir('lease');
let db: Db;
let result: RecognizeResult;
const images = sampleImages('zxing/qrcode-2', 3);

beforeAll(async () => {
  db = openDatabase(join(tmp.dir, 'q.sqlite'));
  const engine = realEngine();
  result = await engine.recognize({ source: { path: images[0]!, page: 1, format: 'png', sha256: 'x' }, task: 'codes' });
  expect(result.detections.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await closeRealEngines();
  db.close();
  tmp.cleanup();
});

const keyOf = (j: ClaimedJob): CacheKey => ({ sha256: j.sha256, page: j.page, engine: j.engine, task: j.task, optionsKey: '{}' });
const count = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;

describe('leases and fencing', () => {
  it('gives an expired lease back to the queue and refuses the old holder', async () => {
    const batchId = await seedBatch(db, [images[0]!]);
    const t0 = 1_000_000;
    const first = claim(db, 'local', { now: t0, leaseMs: 1000, owner: 'host:1' })!;
    expect(first.batchId).toBe(batchId);
    expect(startDecode(db, first)).toBe(true);
    // Nothing else to claim while it is held.
    expect(claim(db, 'local', { now: t0 + 10, leaseMs: 1000, owner: 'host:2' })).toBeNull();
    // Not expired yet: stays with its holder.
    expect(requeueLost(db, t0 + 999)).toBe(0);
    // Expired: back to the queue, re-claimed by someone else with a new allocation id.
    expect(requeueLost(db, t0 + 1001)).toBe(1);
    const second = claim(db, 'local', { now: t0 + 1002, leaseMs: 1000, owner: 'host:2' })!;
    expect(second.id).toBe(first.id);
    expect(second.allocationId).not.toBe(first.allocationId);

    // The old holder can neither renew, finish, fail nor retry the job.
    expect(renewLease(db, first, t0 + 5000)).toBe(false);
    expect(finish(db, first, { fresh: result }, keyOf(first), t0 + 1003)).toEqual({ ok: false });
    expect(failFinal(db, first, { code: 'INTERNAL', message: 'x' }, t0 + 1003)).toBe(false);
    expect(scheduleRetry(db, first, { code: 'NETWORK', message: 'x' }, t0 + 2000)).toBe(false);
    expect(count(`SELECT count(*) AS n FROM results WHERE item_id = ?`, first.itemId)).toBe(0);

    // The new holder finishes; the result is stored once with its detections.
    const r = finish(db, second, { fresh: result }, keyOf(second), t0 + 1004);
    expect(r).toEqual({ ok: true, detections: result.detections.length, fallbackQueued: false });
    expect(count(`SELECT count(*) AS n FROM results WHERE item_id = ?`, second.itemId)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM detections WHERE item_id = ?`, second.itemId)).toBe(result.detections.length);
    // Finishing twice is refused too (the fence is spent).
    expect(finish(db, second, { fresh: result }, keyOf(second), t0 + 1005)).toEqual({ ok: false });
    expect(count(`SELECT count(*) AS n FROM detections WHERE item_id = ?`, second.itemId)).toBe(result.detections.length);
    const job = db.prepare(`SELECT status, lease_losses FROM jobs WHERE id = ?`).get(second.id);
    expect(job).toEqual({ status: 'done', lease_losses: 1 });
    const item = db.prepare(`SELECT status, width, height, detection_count FROM items WHERE id = ?`).get(second.itemId);
    expect(item).toEqual({ status: 'done', width: result.pageWidth, height: result.pageHeight, detection_count: result.detections.length });
  });

  it('a renewed lease does not expire', async () => {
    await seedBatch(db, [images[1]!]);
    const t0 = 2_000_000;
    const j = claim(db, 'local', { now: t0, leaseMs: 1000, owner: 'host:1' })!;
    expect(renewLease(db, j, t0 + 3000)).toBe(true);
    expect(requeueLost(db, t0 + 2000)).toBe(0);
    expect(finish(db, j, { fresh: result }, keyOf(j), t0 + 2500).ok).toBe(true);
  });

  it('returns the jobs of a dead holder at once, and gives up on a job that keeps losing its holder', async () => {
    await seedBatch(db, [images[2]!]);
    const t0 = 3_000_000;
    const j = claim(db, 'local', { now: t0, leaseMs: 60_000, owner: 'host:424242' })!;
    expect(startDecode(db, j)).toBe(true);
    expect(requeueLost(db, t0 + 1, ['host:999'])).toBe(0);
    expect(requeueLost(db, t0 + 1, ['host:424242'])).toBe(1);
    expect(db.prepare(`SELECT status FROM items WHERE id = ?`).get(j.itemId)).toEqual({ status: 'pending' });
    for (let i = 1; i < MAX_LEASE_LOSSES; i++) {
      expect(startDecode(db, claim(db, 'local', { now: t0 + 10 * i, leaseMs: 1, owner: 'host:1' })!)).toBe(true);
      requeueLost(db, t0 + 10 * i + 5);
    }
    expect(db.prepare(`SELECT status, error_code FROM jobs WHERE id = ?`).get(j.id)).toEqual({ status: 'failed', error_code: 'INTERNAL' });
    const item = db.prepare(`SELECT status, error_code, error_message FROM items WHERE id = ?`).get(j.itemId) as Record<string, string>;
    expect(item.status).toBe('failed');
    expect(item.error_message).toMatch(/Set aside: ScanDesk stopped 3 times while decoding this page/);
  });
});
