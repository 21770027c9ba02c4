import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectGeometry } from '../../shared/geometry';
import { expandPaths } from '../../electron/core/intake';
import type { ClaimedJob } from '../../electron/core/queue/jobs';
import { PgStore } from '../../electron/core/store/pg-store';
import { sampleImages } from '../queue/support/samples';
import { startPostgres, type PgCluster } from '../support/postgres';

/**
 * Identical pages in flight are decoded once across workers (scandesk_claim, PG migration 009):
 * while one worker holds a page, a second worker claiming the same bytes + page + engine + task
 * gets another page or nothing; once the first stored its result, the twin is claimed with that
 * cached result to copy. Two PgStores (two pools: two workers) on one real PostgreSQL.
 */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

const lease = (owner: string) => ({ leaseMs: 60_000, owner });
const keyOf = (job: ClaimedJob) => ({ sha256: job.sha256, page: job.page, engine: job.engine, task: job.task, optionsKey: '{}' });
const result = (job: ClaimedJob) => ({
  detections: [{ kind: 'code' as const, symbology: 'QR_CODE', text: `code of ${job.sha256.slice(0, 8)}`, geometry: rectGeometry(10, 10, 100, 100), engine: job.engine }],
  pageWidth: 800,
  pageHeight: 600,
  decodedSha256: job.sha256,
  engineVersion: 'twins-1',
});

describe('identical pages across workers (PostgreSQL)', () => {
  it('one worker decodes a page; its twin in another batch waits, then copies the stored result', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await PgStore.open(url), await PgStore.open(url)];
    try {
      const [img] = (await expandPaths(sampleImages('zxing/qrcode-2', 1))).items;
      const plan = { engine: 'local' as const, task: 'codes' as const };
      const batch = (name: string) => a.createBatch({ name, plan, createdAt: new Date().toISOString(), items: [img!], skipped: [] });
      const first = await batch('desk 1');
      const second = await batch('desk 2');

      const held = (await a.claim('local', lease('worker-a')))!;
      expect(held).toMatchObject({ batchId: first, cachedResultId: null });
      // The same file in the other batch is left alone while worker A decodes it.
      expect(await b.claim('local', lease('worker-b'))).toBeNull();
      expect(await b.msUntilAvailable('local')).toBeNull(); // nothing to wake up for: A's finish wakes B
      expect((await b.getItem((await b.listItems(second)).items[0]!.id)).status).toBe('pending');

      expect(await a.finish(held, { fresh: result(held) }, keyOf(held))).toMatchObject({ ok: true, detections: 1 });
      const twin = (await b.claim('local', lease('worker-b')))!;
      expect(twin.batchId).toBe(second);
      const cached = await b.findCached(keyOf(twin));
      expect(cached).not.toBeNull();
      expect(twin.cachedResultId).toBe(cached);
      expect(await b.finish(twin, { reusedFrom: twin.cachedResultId! }, keyOf(twin))).toMatchObject({ ok: true, detections: 1 });
      const copy = await b.getItem(twin.itemId);
      expect(copy).toMatchObject({ status: 'done', detections: [{ text: `code of ${img!.sha256!.slice(0, 8)}` }] });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two workers claiming many copies of two pages at once never hold two copies of one page', async () => {
    const url = await cluster.createDatabase();
    const workers = [await PgStore.open(url), await PgStore.open(url)];
    try {
      const imgs = (await expandPaths(sampleImages('zxing/qrcode-2', 2))).items;
      const plan = { engine: 'local' as const, task: 'codes' as const };
      // Six batches, each with both pages: twelve jobs, two distinct pages.
      for (let i = 0; i < 6; i++) await workers[0]!.createBatch({ name: `b${i}`, plan, createdAt: new Date().toISOString(), items: imgs, skipped: [] });
      const claims = await Promise.all(workers.flatMap((w, k) => Array.from({ length: 4 }, () => w.claim('local', lease(`worker-${k}`)))));
      const held = claims.filter((c): c is ClaimedJob => c !== null);
      // At most one holder per distinct page, whatever the interleaving.
      expect(new Set(held.map((c) => c.sha256)).size).toBe(held.length);
      expect(held.length).toBeGreaterThanOrEqual(1);
      expect(held.length).toBeLessThanOrEqual(2);
      // Draining: every later copy is claimed with the cached result of its page.
      let copies = 0;
      let decoded = held.length;
      for (const job of held) await workers[0]!.finish(job, { fresh: result(job) }, keyOf(job));
      for (let job = await workers[1]!.claim('local', lease('worker-1')); job; job = await workers[1]!.claim('local', lease('worker-1'))) {
        if (job.cachedResultId !== null && job.cachedResultId !== undefined) {
          copies++;
          expect((await workers[1]!.finish(job, { reusedFrom: job.cachedResultId }, keyOf(job))).ok).toBe(true);
        } else {
          decoded++;
          expect((await workers[1]!.finish(job, { fresh: result(job) }, keyOf(job))).ok).toBe(true);
        }
      }
      expect(decoded).toBe(2); // each distinct page decoded once
      expect(copies).toBe(10);
    } finally {
      for (const w of workers) await w.close();
    }
  });
});
