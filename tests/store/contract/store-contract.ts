import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rectGeometry } from '../../../shared/geometry';
import type { EngineId, EnginePlan } from '../../../shared/engines';
import type { RecognizeResult } from '../../../electron/core/engines/engine';
import { expandPaths } from '../../../electron/core/intake';
import type { IntakeItem } from '../../../electron/core/intake/types';
import type { ClaimedJob } from '../../../electron/core/queue/jobs';
import type { CacheKey } from '../../../electron/core/store/results';
import type { Store } from '../../../electron/core/store/store';
import { sampleImages } from '../../queue/support/samples';

/**
 * The store contract: what the engine (ScanService, Runner) relies on from any Store, run
 * against every implementation (sqlite.test.ts, pg.test.ts) on real storage. `open` gives a
 * fresh, empty store; `openAnother` a second store on the same data (a second process or
 * worker: its own connection), for the tests where two of them race.
 */
export interface StoreUnderTest {
  open(): Promise<{ store: Store; openAnother(): Promise<Store> }>;
}

const LOCAL: EnginePlan = { engine: 'local', task: 'codes' };
const LOST = { code: 'VENDOR_RATE_LIMIT' as const, message: 'slow down' };

/** Real intake of real sample images: hashes, formats and page counts as a batch gets them. */
let real: IntakeItem[] = [];

function result(job: ClaimedJob, texts: string[], engine: EngineId = job.engine): RecognizeResult {
  return {
    detections: texts.map((text, i) => ({ kind: 'code' as const, symbology: 'QR_CODE', text, geometry: rectGeometry(10 + 200 * i, 10, 100, 100), engine })),
    pageWidth: 800,
    pageHeight: 600,
    decodedSha256: job.sha256,
    engineVersion: 'contract-1',
  };
}

function keyOf(job: ClaimedJob, engine: EngineId = job.engine): CacheKey {
  return { sha256: job.sha256, page: job.page, engine, task: job.task, optionsKey: '{}' };
}

const lease = (owner = 'contract:1') => ({ leaseMs: 60_000, owner });

async function newBatch(store: Store, n: number, plan: EnginePlan = LOCAL, extra: Partial<{ unreadable: boolean; skipped: boolean }> = {}): Promise<number> {
  const items = real.slice(0, n);
  if (extra.unreadable) items.push({ path: '/nowhere/gone.png', page: 1, pageCount: 1, format: null, size: 0, sha256: null, error: { code: 'FILE_NOT_FOUND', message: 'gone' } });
  return store.createBatch({
    name: `contract ${n}`,
    plan,
    createdAt: new Date().toISOString(),
    items,
    skipped: extra.skipped ? [{ path: '/in/notes.txt', reason: 'Not an image.' }] : [],
  });
}

/** Claims and finishes every job of `engine` with one code per page; answers how many. */
async function drain(store: Store, engine: EngineId = 'local', texts = (j: ClaimedJob) => [`code-${j.itemId}`]): Promise<number> {
  let n = 0;
  for (let job = await store.claim(engine, lease()); job; job = await store.claim(engine, lease())) {
    expect((await store.finish(job, { fresh: result(job, texts(job)) }, keyOf(job))).ok).toBe(true);
    n++;
  }
  return n;
}

export function storeContract(name: string, sut: StoreUnderTest): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let openAnother: () => Promise<Store>;
    const others: Store[] = [];

    beforeAll(async () => {
      real = (await expandPaths(sampleImages('zxing/qrcode-2', 6))).items;
      expect(real.length).toBe(6);
    });
    // A fresh store per case: cases reuse the same six images, and a page one case leaves in
    // flight would hold its identical pages in the next (one decode per identical page).
    beforeEach(async () => {
      ({ store, openAnother } = await sut.open());
    });
    afterEach(async () => {
      for (const o of others.splice(0)) await o.close();
      await store?.close();
    });
    const another = async () => {
      const s = await openAnother();
      others.push(s);
      return s;
    };

    it('stores a batch with its pages, an unreadable file and an ignored one, and lists them', async () => {
      const id = await newBatch(store, 3, LOCAL, { unreadable: true, skipped: true });
      const b = await store.getBatch(id);
      expect(b).toMatchObject({ id, status: 'running', plan: LOCAL, counts: { total: 4, pending: 3, failed: 1, skipped: 1, done: 0 } });
      expect((await store.listBatches())[0]!.id).toBe(id);
      expect(await store.batchState(id)).toEqual({ status: 'running', plan: LOCAL });
      expect(await store.runningBatchIds()).toContain(id);
      const all = await store.listItems(id);
      expect(all.total).toBe(4);
      expect(all.items.map((i) => i.path)).toEqual([...real.slice(0, 3).map((r) => r.path), '/nowhere/gone.png']);
      expect((await store.listItems(id, { filter: 'errors' })).items[0]!.error).toEqual({ code: 'FILE_NOT_FOUND', message: 'gone' });
      expect(await store.listItems(id, { limit: 2, offset: 1 })).toMatchObject({ total: 4, items: [{ path: real[1]!.path }, { path: real[2]!.path }] });
      expect(await store.listIgnored(id, 0, 10)).toEqual({ total: 1, files: [{ path: '/in/notes.txt', reason: 'Not an image.' }] });
      // Where a page is shown from (a shared queue: its blob, by this hash).
      expect(await store.itemFile(all.items[0]!.id)).toEqual({ path: real[0]!.path, page: 1, sha256: real[0]!.sha256 });
      expect(await store.itemFile(all.items[3]!.id)).toEqual({ path: '/nowhere/gone.png', page: 1, sha256: null });
      await expect(store.itemFile(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store.getBatch(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store.listItems(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await store.deleteBatch(id);
      await expect(store.getBatch(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('claims each page once, finishes it with its result, and settles the batch done', async () => {
      const id = await newBatch(store, 3);
      const job = (await store.claim('local', lease()))!;
      expect(job).toMatchObject({ batchId: id, engine: 'local', task: 'codes', role: 'primary', attempts: 0, leaseLosses: 0, path: real[0]!.path, sha256: real[0]!.sha256, plan: LOCAL });
      expect((await store.getItem(job.itemId)).status).toBe('running');
      expect(await store.claim('tencent', lease())).toBeNull();
      expect(await store.finish(job, { fresh: result(job, ['a', 'b']) }, keyOf(job))).toEqual({ ok: true, detections: 2, fallbackQueued: false });
      const item = await store.getItem(job.itemId);
      expect(item).toMatchObject({ status: 'done', detectionCount: 2, reviewPending: 2, width: 800, height: 600 });
      expect(item.detections.map((d) => d.text)).toEqual(['a', 'b']);
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'running', changed: false });
      expect(await drain(store)).toBe(2);
      expect(await store.claim('local', lease())).toBeNull();
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: true })).toMatchObject({ status: 'running', changed: false });
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'done', changed: true });
      expect(await store.runningBatchIds()).not.toContain(id);
      expect((await store.getBatch(id)).counts).toMatchObject({ total: 3, done: 3, pending: 0, codes: 4 });
      const exported = [];
      for await (const e of store.exportItems(id)) exported.push(e);
      expect(exported.map((e) => [e.path, e.status, e.detections.map((d) => d.text)])).toEqual([
        [real[0]!.path, 'done', ['a', 'b']],
        [real[1]!.path, 'done', [`code-${exported[1]!.itemId}`]],
        [real[2]!.path, 'done', [`code-${exported[2]!.itemId}`]],
      ]);
    });

    it('streams pages into a batch while intake runs: it runs, shows expanding, holds open, and a new owner takes over once', async () => {
      const id = await store.createBatch({
        name: 'streamed',
        plan: LOCAL,
        createdAt: new Date().toISOString(),
        items: real.slice(0, 1),
        skipped: [],
        intake: { paths: ['/scans/long.pdf', '/scans/more'], owner: 'host:gone' },
      });
      expect(await store.getBatch(id)).toMatchObject({ status: 'running', expanding: true, counts: { total: 1 } });
      expect((await store.listBatches()).find((b) => b.id === id)).toMatchObject({ expanding: true });
      expect(await store.unfinishedIntakes()).toContainEqual({ batchId: id, paths: ['/scans/long.pdf', '/scans/more'], owner: 'host:gone' });
      // The first page runs at once; with nothing left to claim the batch still does not settle.
      expect(await drain(store)).toBe(1);
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'running', changed: false });
      // The next chunk joins the running batch and is claimable.
      await store.addItems(id, real.slice(1, 3), [{ path: '/scans/more/notes.txt', reason: 'not an image' }]);
      expect((await store.getBatch(id)).counts).toMatchObject({ total: 3, done: 1, pending: 2 });
      expect(await store.intakeKnown(id)).toEqual({
        pages: real.slice(0, 3).map((r) => ({ path: r.path, page: r.page })),
        ignored: ['/scans/more/notes.txt'],
      });
      // Two processes taking the abandoned intake over: one wins.
      const other = await openAnother();
      others.push(other);
      const taken = await Promise.all([store.takeIntake(id, 'host:gone', 'host:a'), other.takeIntake(id, 'host:gone', 'host:b')]);
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect((await store.unfinishedIntakes()).find((u) => u.batchId === id)?.owner).toBe(taken[0] ? 'host:a' : 'host:b');
      expect(await drain(store)).toBe(2);
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'running', changed: false });
      await store.finishIntake(id);
      const b = await store.getBatch(id);
      expect(b.expanding).toBeUndefined();
      expect((await store.unfinishedIntakes()).map((u) => u.batchId)).not.toContain(id);
      expect(await store.takeIntake(id, taken[0] ? 'host:a' : 'host:b', 'host:c')).toBe(false);
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'done', changed: true });
      expect((await store.getBatch(id)).counts).toMatchObject({ total: 3, done: 3, pending: 0 });
    });

    it('fences: a job given back after its holder died cannot be finished by that holder', async () => {
      const id = await newBatch(store, 1);
      const first = (await store.claim('local', lease('host:dead')))!;
      expect(await store.startDecode(first)).toBe(true);
      expect(await store.leaseOwners()).toContain('host:dead');
      expect(await store.requeueLost(['host:dead'])).toBe(1);
      const second = (await store.claim('local', lease('host:alive')))!;
      expect(second.id).toBe(first.id);
      expect(second.allocationId).not.toBe(first.allocationId);
      expect(second.leaseLosses).toBe(1);
      expect(await store.renewLease(first, 60_000)).toBe(false);
      expect(await store.finish(first, { fresh: result(first, ['stale']) }, keyOf(first))).toEqual({ ok: false });
      expect(await store.failFinal(first, LOST)).toBe(false);
      expect(await store.scheduleRetry(first, LOST, 0)).toBe(false);
      expect(await store.renewLease(second, 60_000)).toBe(true);
      expect((await store.finish(second, { fresh: result(second, ['fresh']) }, keyOf(second))).ok).toBe(true);
      expect((await store.getItem(second.itemId)).detections.map((d) => d.text)).toEqual(['fresh']);
      expect((await store.changeBatch(id, { action: 'settle', holdOpen: false })).status).toBe('done');
    });

    it('sets aside a page whose holder keeps dying (crash quarantine); retry failed tries it again', async () => {
      const id = await newBatch(store, 1);
      let job = (await store.claim('local', lease('host:gone')))!;
      for (let loss = 1; loss <= 3; loss++) {
        expect(await store.startDecode(job)).toBe(true);
        expect(await store.requeueLost(['host:gone'])).toBe(1);
        const next = await store.claim('local', lease('host:gone'));
        if (loss < 3) {
          expect(next).toMatchObject({ id: job.id, leaseLosses: loss });
          job = next!;
        } else {
          expect(next).toBeNull();
        }
      }
      const item = await store.getItem(job.itemId);
      expect(item.status).toBe('failed');
      expect(item.error).toEqual({ code: 'INTERNAL', message: expect.stringContaining('Set aside: ScanDesk stopped 3 times') });
      expect((await store.changeBatch(id, { action: 'settle', holdOpen: false })).status).toBe('done');
      expect((await store.changeBatch(id, { action: 'retryFailed' })).count).toBe(1);
      expect(await store.claim('local', lease())).toMatchObject({ id: job.id, leaseLosses: 0 });
    });

    it('counts toward the quarantine only the holders that had started decoding', async () => {
      const id = await newBatch(store, 1);
      // Holders that die before their decode starts (waiting for a thread, a twin, a rate slot)
      // never set the page aside, however often it happens.
      for (let i = 0; i < 5; i++) {
        const held = (await store.claim('local', lease('host:gone')))!;
        expect(held.leaseLosses).toBe(0);
        expect(await store.requeueLost(['host:gone'])).toBe(1);
      }
      // One that started decoding counts; the mark belongs to its allocation: the next holder
      // does not inherit it, and a stale holder cannot mark the job again.
      const first = (await store.claim('local', lease('host:gone')))!;
      expect(await store.startDecode(first)).toBe(true);
      expect(await store.requeueLost(['host:gone'])).toBe(1);
      expect(await store.startDecode(first)).toBe(false);
      const second = (await store.claim('local', lease('host:gone')))!;
      expect(second.leaseLosses).toBe(1);
      expect(await store.requeueLost(['host:gone'])).toBe(1);
      const third = (await store.claim('local', lease('host:alive')))!;
      expect(third).toMatchObject({ id: first.id, leaseLosses: 1 });
      expect(await store.startDecode(third)).toBe(true);
      expect((await store.finish(third, { fresh: result(third, ['ok']) }, keyOf(third))).ok).toBe(true);
      expect((await store.changeBatch(id, { action: 'settle', holdOpen: false })).status).toBe('done');
    });

    it('cancel plus a retryable error leaves no page waiting in the cancelled batch', async () => {
      const id = await newBatch(store, 2);
      const job = (await store.claim('local', lease()))!;
      await store.changeBatch(id, { action: 'cancel' });
      expect(await store.scheduleRetry(job, LOST, 0)).toBe(true);
      expect((await store.getItem(job.itemId)).status).toBe('cancelled');
      expect((await store.getBatch(id)).counts).toMatchObject({ pending: 0, cancelled: 2 });
      expect(await store.pendingEngines()).not.toContainEqual({ batchId: id, engine: 'local' });
    });

    it('retries with backoff in the store clock, then fails the page with its error', async () => {
      const id = await newBatch(store, 1);
      const job = (await store.claim('local', lease()))!;
      expect(await store.scheduleRetry(job, LOST, 3_600_000)).toBe(true);
      expect((await store.getItem(job.itemId)).status).toBe('pending');
      expect(await store.claim('local', lease())).toBeNull();
      const wait = (await store.msUntilAvailable('local'))!;
      expect(wait).toBeGreaterThan(3_000_000);
      expect(wait).toBeLessThanOrEqual(3_600_000);
      expect(await store.pendingEngines()).toContainEqual({ batchId: id, engine: 'local' });
      expect(await store.release(job)).toBe(false); // the fence moved on with the retry
      expect((await store.changeBatch(id, { action: 'pause' })).status).toBe('paused');
      expect(await store.msUntilAvailable('local')).toBeNull(); // a paused batch offers nothing
      expect((await store.changeBatch(id, { action: 'resume' })).status).toBe('running');
      expect(await store.claim('local', lease())).toBeNull(); // still backed off
      await store.changeBatch(id, { action: 'cancel' });
      expect((await store.getBatch(id)).status).toBe('cancelled');
      expect((await store.getItem(job.itemId)).status).toBe('cancelled');

      const id2 = await newBatch(store, 1);
      const a = (await store.claim('local', lease()))!;
      expect(await store.scheduleRetry(a, LOST, 0)).toBe(true);
      const b = (await store.claim('local', lease()))!;
      expect(b).toMatchObject({ id: a.id, attempts: 1 });
      expect(await store.failFinal(b, { code: 'IMAGE_DECODE', message: 'broken bytes' })).toBe(true);
      const item = await store.getItem(b.itemId);
      expect(item).toMatchObject({ status: 'failed', error: { code: 'IMAGE_DECODE', message: 'broken bytes' } });
      expect((await store.changeBatch(id2, { action: 'settle', holdOpen: false })).status).toBe('done');
      // retryFailed: the failed page runs again with a fresh attempt budget.
      expect(await store.changeBatch(id2, { action: 'retryFailed' })).toMatchObject({ status: 'running', changed: true, count: 1 });
      expect((await store.getItem(b.itemId)).status).toBe('pending');
      expect((await store.claim('local', lease()))!).toMatchObject({ id: a.id, attempts: 0 });
    });

    it('queues the fallback when the primary found nothing, and reuses cached results', async () => {
      const plan: EnginePlan = { engine: 'local', task: 'codes', fallback: 'tencent' };
      const id = await newBatch(store, 2, plan);
      const a = (await store.claim('local', lease()))!;
      expect(await store.finish(a, { fresh: result(a, []) }, keyOf(a))).toEqual({ ok: true, detections: 0, fallbackQueued: true });
      expect((await store.getItem(a.itemId)).status).toBe('pending');
      const fb = (await store.claim('tencent', lease()))!;
      expect(fb).toMatchObject({ itemId: a.itemId, engine: 'tencent', role: 'fallback' });
      expect(await store.finish(fb, { fresh: result(fb, ['from-tencent']) }, keyOf(fb))).toMatchObject({ ok: true, fallbackQueued: false });
      expect((await store.getItem(a.itemId))).toMatchObject({ status: 'done', detectionCount: 1 });
      const cached = await store.findCached(keyOf(fb));
      expect(cached).not.toBeNull();
      expect(await store.findCached({ ...keyOf(fb), optionsKey: '{"other":1}' })).toBeNull();

      // Page 2: a copy of the cached result (reusedFrom), detections copied, not recomputed.
      const b = (await store.claim('local', lease()))!;
      expect(await store.finish(b, { reusedFrom: cached! }, keyOf(b))).toEqual({ ok: true, detections: 1, fallbackQueued: false });
      expect((await store.getItem(b.itemId)).detections.map((d) => [d.text, d.engine])).toEqual([['from-tencent', 'tencent']]);
      expect((await store.changeBatch(id, { action: 'settle', holdOpen: false })).status).toBe('done');
      expect((await store.getBatch(id)).engines).toEqual(['local', 'tencent']);
    });

    it('blocks a stopped engine, pauses on settle, and goes on without it', async () => {
      const plan: EnginePlan = { engine: 'tencent', task: 'codes' };
      const id = await newBatch(store, 3, plan);
      const job = (await store.claim('tencent', lease()))!;
      const auth = { code: 'VENDOR_AUTH' as const, message: 'bad secret' };
      expect(await store.blockEngine(job, auth, '{}')).toBe(true);
      expect(await store.claim('tencent', lease())).toBeNull();
      const b = await store.getBatch(id);
      expect(b.stopped).toEqual([{ engine: 'tencent', code: 'VENDOR_AUTH', message: 'bad secret', pages: 3 }]);
      expect(b.counts.pending).toBe(3);
      expect(await store.changeBatch(id, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'paused', changed: true });
      // Resume gives the engine another chance...
      expect(await store.changeBatch(id, { action: 'resume' })).toMatchObject({ status: 'running', count: 3 });
      const again = (await store.claim('tencent', lease()))!;
      expect(await store.blockEngine(again, auth, '{}')).toBe(true);
      await store.changeBatch(id, { action: 'settle', holdOpen: false });
      // ...finishing without it fails its pages with its reason and settles done.
      expect(await store.changeBatch(id, { action: 'finishWithoutStopped' })).toMatchObject({ status: 'running', count: 3 });
      expect((await store.changeBatch(id, { action: 'settle', holdOpen: false })).status).toBe('done');
      expect((await store.listItems(id, { filter: 'errors' })).items.map((i) => i.error?.code)).toEqual(['VENDOR_AUTH', 'VENDOR_AUTH', 'VENDOR_AUTH']);
      // blockMissingEngine: an engine this process does not have.
      const id2 = await newBatch(store, 2, plan);
      expect(await store.blockMissingEngine(id2, 'tencent', { code: 'VENDOR_AUTH', message: 'no keys' })).toBe(2);
      expect((await store.getBatch(id2)).stopped[0]).toMatchObject({ engine: 'tencent', pages: 2 });
    });

    it('follows the life-cycle table: refusals, pages added, cancel keeps what was done, rerun', async () => {
      const id = await newBatch(store, 2);
      await expect(store.changeBatch(id, { action: 'rerun', plan: { engine: 'tencent', task: 'codes' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      const inFlight = (await store.claim('local', lease()))!;
      expect(await store.changeBatch(id, { action: 'cancel' })).toMatchObject({ status: 'cancelled', changed: true, count: 1 });
      await expect(store.changeBatch(id, { action: 'resume' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.addItems(id, real.slice(2, 3))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      // The page in flight finishes and is kept.
      expect((await store.finish(inFlight, { fresh: result(inFlight, ['kept']) }, keyOf(inFlight))).ok).toBe(true);
      expect((await store.getBatch(id)).counts).toMatchObject({ done: 1, cancelled: 1 });
      // A done batch takes new pages and runs again.
      const id2 = await newBatch(store, 1);
      await drain(store);
      expect((await store.changeBatch(id2, { action: 'settle', holdOpen: false })).status).toBe('done');
      const { itemIds } = await store.addItems(id2, real.slice(3, 5), [{ path: '/in/x.doc', reason: 'Not an image.' }]);
      expect(itemIds).toHaveLength(2);
      expect((await store.listItems(id2)).items.slice(1).map((i) => i.id)).toEqual(itemIds);
      expect((await store.getBatch(id2)).status).toBe('running');
      expect(await drain(store)).toBe(2);
      expect((await store.changeBatch(id2, { action: 'settle', holdOpen: false })).status).toBe('done');
      // Rerun with another engine: every read page gets a job; the same plan again has nothing to do.
      expect(await store.changeBatch(id2, { action: 'rerun', plan: { engine: 'wechat', task: 'codes' } })).toMatchObject({ status: 'running', count: 3 });
      expect((await store.batchState(id2)).plan).toEqual({ engine: 'wechat', task: 'codes' });
      await drain(store, 'wechat', (j) => [`code-${j.itemId}`]);
      await store.changeBatch(id2, { action: 'settle', holdOpen: false });
      await expect(store.changeBatch(id2, { action: 'rerun', plan: { engine: 'wechat', task: 'codes' } })).rejects.toMatchObject({ code: 'NOTHING_TO_DO' });
      // Two engines read the same code at the same place: one code, found by both.
      const page = (await store.listItems(id2)).items[0]!;
      const detail = await store.getItem(page.id);
      expect(detail.detectionCount).toBe(1);
      expect(detail.detections).toHaveLength(1);
      expect(detail.detections[0]!.foundBy).toEqual(['local', 'wechat']);
    });

    it('reviews one code, a whole scope, and undoes; counts stay exact', async () => {
      const id = await newBatch(store, 2);
      await drain(store, 'local', (j) => [`EAN-${j.itemId}`, `QR-${j.itemId}`]);
      const [p1, p2] = (await store.listItems(id)).items;
      const d = (await store.getItem(p1!.id)).detections[0]!;
      const reviewed = await store.reviewDetection(d.id, { review: 'accepted', correctedText: 'fixed' });
      expect(reviewed).toMatchObject({ id: d.id, review: 'accepted', correctedText: 'fixed' });
      expect((await store.getItem(p1!.id)).reviewPending).toBe(1);
      expect((await store.listItems(id, { search: 'FIXED' })).items.map((i) => i.id)).toEqual([p1!.id]);
      expect((await store.listItems(id, { search: `QR-${p2!.id}` })).items.map((i) => i.id)).toEqual([p2!.id]);
      expect((await store.listItems(id, { search: '100%' })).total).toBe(0);
      await expect(store.reviewDetection(d.id, { review: 'maybe' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.reviewDetection(999_999, { review: 'accepted' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const before = await store.bulkReview(id, { filter: 'needs-review' }, 'rejected');
      expect(before).toHaveLength(3);
      expect((await store.listItems(id, { filter: 'needs-review' })).total).toBe(0);
      expect(await store.batchSymbologies(id)).toEqual([{ symbology: 'QR_CODE', total: 4, pending: 0 }]);
      expect(await store.restoreReviews(before)).toBe(2);
      expect((await store.listItems(id, { filter: 'needs-review' })).total).toBe(2);
      expect((await store.getItem(p1!.id)).detections.map((x) => x.review)).toEqual(['accepted', 'pending']);
    });

    it('stores a code a reviewer drew, removes it again, and marks a page checked with no code', async () => {
      const id = await newBatch(store, 2);
      await drain(store, 'local', (j) => [`QR-${j.itemId}`]);
      const [p1, p2] = (await store.listItems(id)).items;
      const codes = (await store.getBatch(id)).counts.codes;
      const drawn = await store.addManualDetection(p1!.id, { box: { left: 300, top: 200, width: 200, height: 80 }, symbology: 'EAN-13', text: '4006381333931' });
      expect(drawn).toMatchObject({ engine: 'manual', kind: 'code', symbology: 'EAN-13', text: '4006381333931', review: 'accepted', itemId: p1!.id });
      expect(drawn.geometry).toEqual(rectGeometry(300, 200, 200, 80));
      const again = await store.addManualDetection(p1!.id, { box: { left: 0, top: 0, width: 50, height: 50 }, symbology: 'QRCode', text: 'second' });
      expect((await store.getItem(p1!.id))).toMatchObject({ detectionCount: 3, reviewPending: 1 });
      expect((await store.getBatch(id)).counts.codes).toBe(codes + 2);
      expect((await store.listItems(id, { search: '4006381333931' })).items.map((i) => i.id)).toEqual([p1!.id]);
      await expect(store.addManualDetection(p1!.id, { box: { left: 790, top: 0, width: 100, height: 10 }, symbology: 'QRCode', text: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.addManualDetection(999_999, { box: { left: 0, top: 0, width: 10, height: 10 }, symbology: 'QRCode', text: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const engineCode = (await store.getItem(p2!.id)).detections[0]!;
      await expect(store.removeManualDetection(engineCode.id)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.removeManualDetection(drawn.id)).toBe(p1!.id);
      expect(await store.removeManualDetection(again.id)).toBe(p1!.id);
      expect((await store.getItem(p1!.id)).detections.map((d) => d.engine)).toEqual(['local']);
      expect((await store.getBatch(id)).counts.codes).toBe(codes);
      await expect(store.removeManualDetection(drawn.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

      expect((await store.setCheckedNoCode(p2!.id, true)).checkedNoCode).toBe(true);
      expect((await store.listItems(id)).items.map((i) => i.checkedNoCode)).toEqual([false, true]);
      expect((await store.setCheckedNoCode(p2!.id, false)).checkedNoCode).toBe(false);
      await store.setCheckedNoCode(p2!.id, true);
      await store.addManualDetection(p2!.id, { box: { left: 0, top: 0, width: 10, height: 10 }, symbology: 'QRCode', text: 'y' });
      expect((await store.getItem(p2!.id)).checkedNoCode).toBe(false);
      await expect(store.setCheckedNoCode(999_999, true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('judges pages by the batch\'s review rules, keeps the verdicts, filters rule breaks and accepts what passes', async () => {
      const rules = { symbologies: [], patterns: { '*': '^OK-' }, gs1: false, codesPerPage: { min: 1, max: 1 }, autoAccept: true };
      const items = real.slice(0, 3);
      const id = await store.createBatch({ name: 'rules', plan: LOCAL, createdAt: new Date().toISOString(), items, skipped: [], rules });
      expect(await store.getRules(id)).toEqual(rules);
      const texts = [['OK-1'], ['BAD-2'], ['OK-3', 'OK-4']];
      await drain(store, 'local', (j) => texts[items.findIndex((i) => i.sha256 === j.sha256)]!);
      const [p1, p2, p3] = (await store.listItems(id)).items;
      // Passes on a passing page: accepted as the result landed.
      const one = await store.getItem(p1!.id);
      expect(one).toMatchObject({ rule: { breaks: 0, page: [] }, reviewPending: 0 });
      expect(one.detections[0]).toMatchObject({ review: 'accepted', rule: { ok: true, breaks: [] } });
      // Breaks the pattern: flagged, left for a person.
      const two = await store.getItem(p2!.id);
      expect(two).toMatchObject({ rule: { breaks: 1, page: [] }, reviewPending: 1 });
      expect(two.detections[0]).toMatchObject({ review: 'pending', rule: { ok: false, breaks: [{ rule: 'pattern', pattern: '^OK-' }] } });
      // Two codes where one is expected: the page is flagged and nothing on it accepted.
      const three = await store.getItem(p3!.id);
      expect(three.rule).toEqual({ breaks: 1, page: [{ rule: 'count', found: 2, min: 1, max: 1 }] });
      expect(three.detections.map((d) => d.review)).toEqual(['pending', 'pending']);
      expect((await store.listItems(id, { filter: 'rule-breaks' })).items.map((i) => i.id)).toEqual([p2!.id, p3!.id]);
      const exported = [];
      for await (const e of store.exportItems(id)) exported.push(e);
      expect(exported.map((e) => e.rule?.breaks)).toEqual([0, 1, 1]);
      expect(exported[1]!.detections[0]!.rule).toEqual({ ok: false, breaks: [{ rule: 'pattern', pattern: '^OK-' }] });

      // A reviewer rejects the extra code: the page holds one code again. A corrected value is judged as corrected.
      await store.reviewDetection(three.detections[1]!.id, { review: 'rejected' });
      await store.reviewDetection(two.detections[0]!.id, { correctedText: 'OK-2' });
      expect((await store.getItem(p2!.id)).detections[0]).toMatchObject({ review: 'pending', rule: { ok: true } });
      expect((await store.listItems(id, { filter: 'rule-breaks' })).total).toBe(0);
      // Verdicts are stored: another connection (a restarted app) sees them.
      const other = await another();
      expect((await other.getItem(p3!.id)).rule).toEqual({ breaks: 0, page: [] });

      // New rules judge every read page again; pending codes that pass are accepted.
      const change = await store.setRules(id, { ...rules, patterns: { '*': '^OK-[0-9]$' }, codesPerPage: { min: null, max: null } });
      expect(change).toEqual({ pages: 3, flagged: 0, accepted: 2 });
      expect((await store.getItem(p2!.id)).detections[0]!.review).toBe('accepted');
      expect((await store.getItem(p3!.id)).detections.map((d) => d.review)).toEqual(['accepted', 'rejected']);
      expect(await store.setRules(id, { ...rules, patterns: { '*': '^X' }, autoAccept: false })).toEqual({ pages: 3, flagged: 3, accepted: 0 });
      // No rules: no verdicts.
      expect(await store.setRules(id, null)).toEqual({ pages: 3, flagged: 0, accepted: 0 });
      expect(await store.getRules(id)).toBeNull();
      const plain = await store.getItem(p2!.id);
      expect(plain.rule).toBeUndefined();
      expect(plain.detections[0]!.rule).toBeUndefined();
      await expect(store.setRules(999_999, rules)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await store.deleteBatch(id);
      expect(await store.getRules(id)).toBeNull();
    });

    it('lists a batch\'s codes for the results table: each merged code once, filters, paging, a page\'s place', async () => {
      const id = await newBatch(store, 3, LOCAL, { unreadable: true });
      await drain(store, 'local', (j) => [`A-${j.itemId}`, `B-${j.itemId}`]);
      const [p1, p2, p3, unread] = (await store.listItems(id)).items;
      await store.changeBatch(id, { action: 'settle', holdOpen: false });
      // A second engine reads page 1's first code again at the same place (one code, found by
      // both) and, at page 2's first code, another value (they disagree: both are listed).
      await store.changeBatch(id, { action: 'rerun', plan: { engine: 'wechat', task: 'codes' } });
      await drain(store, 'wechat', (j) => (j.itemId === p1!.id ? [`A-${j.itemId}`] : j.itemId === p2!.id ? [`W-${j.itemId}`] : []));
      const drawn = await store.addManualDetection(p3!.id, { box: { left: 500, top: 300, width: 100, height: 40 }, symbology: 'EAN-13', text: '4006381333931' });

      const all = await store.listCodes(id);
      expect(all.total).toBe(8);
      expect(all.rows.map((r) => [r.itemId, r.text, r.foundBy])).toEqual([
        [p1!.id, `A-${p1!.id}`, ['local', 'wechat']],
        [p1!.id, `B-${p1!.id}`, ['local']],
        [p2!.id, `A-${p2!.id}`, ['local']],
        [p2!.id, `B-${p2!.id}`, ['local']],
        [p2!.id, `W-${p2!.id}`, ['wechat']],
        [p3!.id, `A-${p3!.id}`, ['local']],
        [p3!.id, `B-${p3!.id}`, ['local']],
        [p3!.id, '4006381333931', ['manual']],
      ]);
      expect(all.rows[0]).toMatchObject({ path: p1!.path, page: 1, pageCount: 1, kind: 'code', symbology: 'QR_CODE', field: null, review: 'pending', correctedText: null, personal: false });
      expect(all.rows[7]).toMatchObject({ id: drawn.id, review: 'accepted', symbology: 'EAN-13' });

      // Paging: the same rows in order, a slice at a time.
      const slice = await store.listCodes(id, { offset: 3, limit: 2 });
      expect(slice).toEqual({ total: 8, rows: all.rows.slice(3, 5) });
      // Filters: an engine (a merged code counts for each engine that read it), a symbology, a verdict.
      expect((await store.listCodes(id, { engine: 'wechat' })).rows.map((r) => r.text)).toEqual([`A-${p1!.id}`, `W-${p2!.id}`]);
      expect((await store.listCodes(id, { engine: 'local' })).total).toBe(6);
      expect((await store.listCodes(id, { symbology: 'EAN-13' })).rows.map((r) => r.id)).toEqual([drawn.id]);
      expect((await store.listCodes(id, { review: 'accepted' })).rows.map((r) => r.id)).toEqual([drawn.id]);
      expect((await store.listCodes(id, { engine: 'local', review: 'accepted' })).total).toBe(0);
      // A verdict on the merged code shows in its row; a correction too.
      await store.reviewDetection(all.rows[0]!.id, { review: 'rejected', correctedText: 'A-fixed' });
      expect((await store.listCodes(id, { review: 'rejected' })).rows).toMatchObject([{ id: all.rows[0]!.id, correctedText: 'A-fixed', foundBy: ['local', 'wechat'] }]);
      expect(await store.codeFacets(id)).toEqual({ symbologies: ['EAN-13', 'QR_CODE'], engines: ['local', 'manual', 'wechat'] });
      // No rules yet: no verdicts. With rules, each row carries its code's verdict and its page's own
      // breaks, and the rule-break filter keeps codes that break a rule or sit on a page that does.
      expect(all.rows[0]!.rule).toBeUndefined();
      await store.setRules(id, { symbologies: ['QR_CODE'], patterns: {}, gs1: false, codesPerPage: { min: null, max: 2 }, autoAccept: false });
      const broken = await store.listCodes(id, { ruleBreaks: true });
      expect(broken.rows.map((r) => r.text)).toEqual([`A-${p2!.id}`, `B-${p2!.id}`, `W-${p2!.id}`, `A-${p3!.id}`, `B-${p3!.id}`, '4006381333931']);
      expect(broken.rows[5]).toMatchObject({ rule: { ok: false, breaks: [{ rule: 'symbology', symbology: 'EAN-13' }] }, pageRule: [{ rule: 'count', found: 3, min: null, max: 2 }] });
      expect(broken.rows[0]).toMatchObject({ rule: { ok: true, breaks: [] }, pageRule: [{ rule: 'count', found: 3 }] });
      expect((await store.listCodes(id)).rows[0]).toMatchObject({ rule: { ok: true, breaks: [] }, pageRule: [] });
      expect((await store.listCodes(id, { ruleBreaks: true, symbology: 'EAN-13' })).total).toBe(1);

      // Where each page sits in the unfiltered grid (opening a row's page in review).
      expect(await store.itemPosition(id, p3!.id)).toEqual({ index: 2, total: 4 });
      expect(await store.itemPosition(id, unread!.id)).toEqual({ index: 3, total: 4 });
      const other = await newBatch(store, 1);
      await expect(store.itemPosition(other, p1!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store.listCodes(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.listCodes(other)).toEqual({ total: 0, rows: [] });
      await store.deleteBatch(other);
    });

    it("keeps a batch's separation rule and expected list, and streams its pages' code values", async () => {
      const id = await newBatch(store, 3, LOCAL, { unreadable: true, skipped: true });
      const data = store.batchData;
      expect(await data.batchName(id)).toBe('contract 3');
      await expect(data.batchName(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Separation rule: none, set, replaced, removed; none for a batch that is not there.
      expect(await data.getSeparation(id)).toBeNull();
      await data.setSeparation(id, { kind: 'code', pattern: '^SEP', dropSeparators: true });
      await data.setSeparation(id, { kind: 'every', pages: 2, template: '{n}.pdf' });
      expect(await data.getSeparation(id)).toEqual({ kind: 'every', pages: 2, template: '{n}.pdf' });
      await expect(data.setSeparation(999_999, { kind: 'every', pages: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Expected list: values kept in their order, replaced whole, removed.
      expect(await data.getExpectedInfo(id)).toBeNull();
      expect(await data.getExpectedValues(id)).toEqual([]);
      const importedAt = new Date().toISOString();
      const many = [...Array(1200)].map((_, i) => `V-${String(1200 - i).padStart(5, '0')}`);
      expect(await data.setExpected(id, { info: { source: 'manifest.csv', column: 'Barcode', importedAt }, values: many })).toEqual({
        source: 'manifest.csv',
        column: 'Barcode',
        count: 1200,
        importedAt,
      });
      expect(await data.getExpectedValues(id)).toEqual(many);
      expect(await data.setExpected(id, { info: { source: 'pasted', column: '1', importedAt }, values: ['b', 'a'] })).toMatchObject({ source: 'pasted', count: 2 });
      expect(await data.getExpectedValues(id)).toEqual(['b', 'a']);
      await expect(data.setExpected(999_999, { info: { source: 'x', column: '1', importedAt }, values: ['a'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });

      // Page values: every page in intake order (skipped files too, for separation to pass over),
      // the codes a reviewer did not reject, corrections in place of the decoded value.
      const [j1, j2] = [(await store.claim('local', lease()))!, (await store.claim('local', lease()))!];
      await store.finish(j1, { fresh: result(j1, ['A1', 'A2']) }, keyOf(j1));
      await store.finish(j2, { fresh: result(j2, ['B1', 'B2']) }, keyOf(j2));
      const [b1, b2] = (await store.getItem(j2.itemId)).detections;
      await store.reviewDetection(b1!.id, { correctedText: 'B1-fixed' });
      await store.reviewDetection(b2!.id, { review: 'rejected' });
      const seen = [];
      for await (const p of data.pageValues(id)) seen.push(p);
      const items = (await store.listItems(id)).items;
      expect(seen.map((p) => [p.path, p.page, p.status, p.values])).toEqual([
        [real[0]!.path, 1, 'done', ['A1', 'A2']],
        [real[1]!.path, 1, 'done', ['B1-fixed']],
        [real[2]!.path, 1, 'pending', []],
        ['/nowhere/gone.png', 1, 'failed', []],
        ['/in/notes.txt', 0, 'skipped', []],
      ].map(([path, page, status, values]) => [path, status === 'skipped' ? expect.any(Number) : page, status, values]));
      expect(seen.slice(0, 4).map((p) => p.itemId)).toEqual(items.map((i) => i.id));
      // Where each page's pixels come from (skipped files are no pages).
      const sources = await data.pageSources(id);
      expect([...sources.keys()]).toEqual(items.map((i) => i.id));
      expect(sources.get(j1.itemId)).toEqual({ itemId: j1.itemId, path: real[0]!.path, page: 1, format: real[0]!.format, sha256: real[0]!.sha256, status: 'done' });
      expect(sources.get(items[3]!.id)).toMatchObject({ path: '/nowhere/gone.png', format: null, sha256: null, status: 'failed' });

      // A batch of more pages than one read of the stream holds comes whole and in order.
      const big = await store.createBatch({
        name: 'big',
        plan: LOCAL,
        createdAt: new Date().toISOString(),
        items: [...Array(1100)].map((_, i) => ({ ...real[i % 6]!, path: `/stack/${String(i).padStart(4, '0')}.png` })),
        skipped: [],
      });
      const paths: string[] = [];
      for await (const p of data.pageValues(big)) paths.push(p.path);
      expect(paths).toHaveLength(1100);
      expect(paths).toEqual([...paths].sort());

      // They go with their batch.
      await store.changeBatch(id, { action: 'cancel' });
      await store.deleteBatch(id);
      expect(await data.getSeparation(id)).toBeNull();
      expect(await data.getExpectedInfo(id)).toBeNull();
      expect(await data.getExpectedValues(id)).toEqual([]);
      await store.changeBatch(big, { action: 'cancel' });
    });

    it('keeps hot folders and their files; one watcher per folder, each file claimed by one watcher, the batch held while watched', async () => {
      const folders = store.hotFolders;
      const plan = LOCAL;
      const id = await folders.upsert({ path: '/scans/in', plan, doneDir: '/scans/done', failedDir: null });
      expect(await folders.upsert({ path: '/scans/in', plan, doneDir: null, failedDir: '/scans/failed' })).toBe(id);
      const other = await folders.upsert({ path: '/scans/other', plan, doneDir: null, failedDir: null });
      expect((await folders.list()).map((f) => f.id)).toEqual([id, other]);
      expect(await folders.get(id)).toEqual({
        id,
        path: '/scans/in',
        batchId: null,
        plan,
        doneDir: null,
        failedDir: '/scans/failed',
        enabled: true,
        live: false,
        files: { queued: 0, done: 0, failed: 0, gone: 0 },
      });
      expect(await folders.get(999_999)).toBeNull();

      // One watcher at a time; the holder's heartbeat renews, another's says it lost the folder.
      expect(await folders.claim(id, 'desk-a:1')).toEqual({ ok: true });
      expect(await folders.claim(id, 'desk-b:2')).toEqual({ ok: false, owner: 'desk-a:1' });
      expect(await folders.heartbeat(id, 'desk-a:1')).toBe(true);
      expect(await folders.heartbeat(id, 'desk-b:2')).toBe(false);
      expect((await folders.get(id))!.live).toBe(true);

      // The folder's batch: held open while its folder is watched, settles once it is not.
      const batchId = await newBatch(store, 1);
      await folders.attachBatch(id, batchId);
      await drain(store);
      expect(await store.changeBatch(batchId, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'running', changed: false });

      // Each file seen is claimed by one of two watchers racing for it (their own connections).
      const w2 = (await another()).hotFolders;
      const files = [...Array(8)].map((_, i) => ({ path: `/scans/in/p${i}.png`, size: 100 + i, mtimeMs: 1_700_000_000_000 + i }));
      const wins = await Promise.all(files.flatMap((f) => [folders.claimFile(id, f, 'desk-a:1'), w2.claimFile(id, f, 'desk-b:2')]));
      for (let i = 0; i < files.length; i++) expect([wins[2 * i], wins[2 * i + 1]].filter(Boolean)).toHaveLength(1);
      expect((await folders.queued(id)).map((f) => f.path)).toEqual(files.map((f) => f.path));
      expect(await folders.file(id, files[0]!.path)).toEqual({ path: files[0]!.path, size: 100, mtime_ms: 1_700_000_000_000, state: 'queued', moved_to: null });
      // A claim still fresh is its claimant's; its own claimant may take it up again.
      const aClaims = files.filter((_, i) => wins[2 * i]);
      const bClaims = files.filter((_, i) => wins[2 * i + 1]);
      if (bClaims[0]) expect(await folders.retakeFile(id, bClaims[0].path, 'desk-a:1')).toBe(false);
      if (aClaims[0]) expect(await folders.retakeFile(id, aClaims[0].path, 'desk-a:1')).toBe(true);

      // A file's pages, followed when it moves; its settling counted once.
      const page = real[0]!;
      const { itemIds } = await store.addItems(batchId, [{ ...page, path: files[0]!.path }]);
      expect(await folders.filePages(batchId, files[0]!.path)).toEqual({ pages: 1, open: 1, failed: 0 });
      await drain(store);
      expect(await folders.filePages(batchId, files[0]!.path)).toEqual({ pages: 1, open: 0, failed: 0 });
      await folders.relocate(batchId, files[0]!.path, '/scans/done/p0.png', 'p0.png');
      expect(await store.getItem(itemIds[0]!)).toMatchObject({ path: '/scans/done/p0.png' });
      expect(await folders.settleFile(id, files[0]!.path, 'done', '/scans/done/p0.png')).toBe(true);
      expect(await w2.settleFile(id, files[0]!.path, 'gone', null)).toBe(false);
      expect(await folders.file(id, files[0]!.path)).toMatchObject({ state: 'done', moved_to: '/scans/done/p0.png' });
      // The same file again, unchanged, is not added twice; a new file under its name is.
      expect(await folders.claimFile(id, files[0]!, 'desk-a:1')).toBe(false);
      expect(await folders.claimFile(id, { ...files[0]!, size: 999 }, 'desk-a:1')).toBe(true);
      expect((await folders.get(id))!.files).toEqual({ queued: 8, done: 0, failed: 0, gone: 0 });
      expect(await folders.settleFile(id, files[1]!.path, 'failed', null)).toBe(true);
      expect((await folders.get(id))!.files).toEqual({ queued: 7, done: 0, failed: 1, gone: 0 });

      // Released (or disabled), the folder no longer holds its batch.
      await folders.release(id, 'desk-b:2'); // not the holder: nothing
      expect((await folders.get(id))!.live).toBe(true);
      await folders.release(id, 'desk-a:1');
      expect((await folders.get(id))!.live).toBe(false);
      expect(await store.changeBatch(batchId, { action: 'settle', holdOpen: false })).toMatchObject({ status: 'done', changed: true });
      await folders.setEnabled(id, false);
      expect((await folders.get(id))!.enabled).toBe(false);

      // A deleted batch leaves the folder without one; a removed folder takes its files along.
      await store.deleteBatch(batchId);
      expect((await folders.get(id))!.batchId).toBeNull();
      await folders.remove(id);
      expect(await folders.get(id)).toBeNull();
      expect(await folders.file(id, files[2]!.path)).toBeNull();
      expect((await folders.list()).map((f) => f.id)).toEqual([other]);
    });

    it('counts vendor usage per account, day and batch', async () => {
      const id = await newBatch(store, 1);
      const call = { vendor: 'tencent', account: 'fp1', accountLabel: 'AKID…3f9a', operation: 'QrcodeOCR', ok: true, bytesSent: 1000, billedAs: ['QrcodeOCR'], at: Date.now() };
      await store.recordVendorCall(call, id);
      await store.recordVendorCall({ ...call, ok: false, billedAs: [], errorCode: 'VENDOR_RATE_LIMIT' }, id);
      await store.recordVendorCall(call, null);
      expect(await store.batchUsage(id)).toEqual({ batchId: id, operations: [{ vendor: 'tencent', operation: 'QrcodeOCR', calls: 2, billable: 1, errors: 1, bytesSent: 2000 }] });
      const summary = await store.usageSummary();
      const account = summary.vendors.find((v) => v.vendor === 'tencent')!.accounts[0]!;
      expect(account.label).toBe('AKID…3f9a');
      expect(account.today).toEqual([{ operation: 'QrcodeOCR', calls: 3, billable: 2, errors: 1, bytesSent: 3000 }]);
      expect(await store.billableOnDay({ vendor: 'tencent', operation: 'QrcodeOCR', day: summary.day, account: 'fp1' })).toBe(2);
      expect(await store.billableOnDay({ vendor: 'tencent', operation: 'QrcodeOCR', day: summary.day, account: 'other' })).toBe(0);
      expect(await store.billableOnDay({ vendor: 'tencent', operation: 'QrcodeOCR', day: summary.day, account: null })).toBe(2);
      await store.changeBatch(id, { action: 'cancel' });
    });

    it('two workers racing: each page claimed once, and the batch settles once when both finish its last pages', async () => {
      const w2 = await another();
      const id = await newBatch(store, 6);
      const claims = await Promise.all([...Array(10)].map((_, i) => (i % 2 ? store : w2).claim('local', lease(`w${i % 2}`))));
      const got = claims.filter((c): c is ClaimedJob => c !== null);
      expect(got.every((c) => c.batchId === id)).toBe(true);
      expect(got).toHaveLength(6);
      expect(new Set(got.map((c) => c.id)).size).toBe(6);
      // Finish the last two at once from the two workers, each then settling as the service does.
      const [x, y, ...rest] = got;
      for (const j of rest) await store.finish(j, { fresh: result(j, ['r']) }, keyOf(j));
      const settled = await Promise.all(
        [
          [store, x!],
          [w2, y!],
        ].map(async ([s, j]) => {
          const st = s as Store;
          const job = j as ClaimedJob;
          expect((await st.finish(job, { fresh: result(job, ['r']) }, keyOf(job))).ok).toBe(true);
          return st.changeBatch(id, { action: 'settle', holdOpen: false });
        }),
      );
      expect(settled.filter((r) => r.changed)).toHaveLength(1);
      expect(settled.map((r) => r.status)).toContain('done');
      expect(await w2.getBatch(id)).toMatchObject({ status: 'done', counts: { done: 6, pending: 0 } });
    });
  });
}
