import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../electron/core/errors';
import { openScanService } from '../../electron/core/service';
import type { Notice } from '../../electron/core/service-types';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { mulberry32, sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { CountingEngine, FailingFirstEngine, FailingForEngine, vendorServerError } from '../queue/support/wrappers';

const tmp = tempDir('svc-errors');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const plan = { engine: 'local', task: 'codes' } as const;
const images = sampleImages('zxing/qrcode-2', 6);
const fast = { backoff: { baseMs: 20, maxMs: 80 }, random: mulberry32(7) };

describe('what the runner does with each error class', () => {
  it('retry: backs off and tries again; the page succeeds once the vendor recovers', async () => {
    const engine = new FailingFirstEngine(realEngine(), 3, vendorServerError);
    const dbPath = join(tmp.dir, 'retry.sqlite');
    const svc = await openScanService({ dbPath, engines: [engine], intake: realIntake, ...fast, maxAttempts: 5 });
    const { batch } = await svc.createBatch({ paths: images.slice(0, 1), plan });
    const s = await svc.whenSettled(batch.id);
    expect(s.counts).toMatchObject({ done: 1, failed: 0 });
    expect(engine.calls).toBe(4);
    await svc.close();
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.prepare(`SELECT status, attempts FROM jobs`).get()).toEqual({ status: 'done', attempts: 3 });
    raw.close();
  });

  it('retry: gives up after maxAttempts and fails the page with the last error; the batch goes on', async () => {
    const engine = new FailingForEngine(realEngine(), /\/1\.png$/, vendorServerError);
    const svc = await openScanService({ dbPath: join(tmp.dir, 'giveup.sqlite'), engines: [engine], intake: realIntake, ...fast, maxAttempts: 3 });
    const { batch } = await svc.createBatch({ paths: images, plan });
    const s = await svc.whenSettled(batch.id);
    expect(s.status).toBe('done');
    expect(s.counts).toMatchObject({ done: 5, failed: 1 });
    const failed = (await svc.listItems(batch.id, { filter: 'errors' })).items;
    expect(failed.map((i) => i.path)).toEqual([images.find((p) => p.endsWith('/1.png'))]);
    expect(failed[0]!.error).toEqual({ code: 'VENDOR_SERVER', message: 'The vendor answered 503 Service Unavailable. (gave up after 3 attempts)' });
    expect(engine.calls).toBe(3 + 5);
    await svc.close();
  });

  it('final: the page fails with its code and message at once; other pages go on', async () => {
    const engine = new FailingForEngine(realEngine(), /\/1\.png$/, () => new ScanError('VENDOR_REJECTED', 'The vendor refused this image: too small.'));
    const svc = await openScanService({ dbPath: join(tmp.dir, 'final.sqlite'), engines: [engine], intake: realIntake, ...fast });
    const { batch } = await svc.createBatch({ paths: images, plan });
    const s = await svc.whenSettled(batch.id);
    expect(s.counts).toMatchObject({ done: 5, failed: 1 });
    expect((await svc.listItems(batch.id, { filter: 'errors' })).items[0]!.error).toEqual({ code: 'VENDOR_REJECTED', message: 'The vendor refused this image: too small.' });
    expect(engine.calls).toBe(6);
    await svc.close();
  });

  it('a bug (not a ScanError) fails the page as INTERNAL; the batch goes on; retryFailed runs it again', async () => {
    const engine = new FailingFirstEngine(realEngine(), 1, () => new TypeError('cannot read properties of undefined'));
    const svc = await openScanService({ dbPath: join(tmp.dir, 'internal.sqlite'), engines: [engine], intake: realIntake, ...fast });
    const { batch } = await svc.createBatch({ paths: images.slice(0, 3), plan });
    const s = await svc.whenSettled(batch.id);
    expect(s.counts).toMatchObject({ done: 2, failed: 1 });
    const bad = (await svc.listItems(batch.id, { filter: 'errors' })).items[0]!;
    expect(bad.error).toEqual({ code: 'INTERNAL', message: 'Unexpected error: cannot read properties of undefined' });
    const again = await svc.retryFailed(batch.id);
    expect(again.status).toBe('running');
    const s2 = await svc.whenSettled(batch.id);
    expect(s2).toMatchObject({ status: 'done', counts: { done: 3, failed: 0 } });
    expect((await svc.getItem(bad.id)).error).toBeNull();
    await svc.close();
  });

  it('stop-engine: stops that engine for the batch with one notice; its pages wait; resume finishes them', async () => {
    // Two pages decode, then the account runs out of quota (every call fails until "topped up").
    let quotaLeft = 2;
    const real = new CountingEngine(realEngine());
    const engine = {
      id: 'local' as const,
      tasks: real.tasks,
      concurrency: 1,
      calls: 0,
      async recognize(req: Parameters<typeof real.recognize>[0]) {
        this.calls++;
        if (quotaLeft-- <= 0) throw new ScanError('VENDOR_QUOTA', 'The account has no quota left.');
        return real.recognize(req);
      },
    };
    const svc = await openScanService({ dbPath: join(tmp.dir, 'stop.sqlite'), engines: [engine], intake: realIntake, ...fast });
    const notices: Notice[] = [];
    svc.on('notice', (n) => notices.push(n));
    const { batch } = await svc.createBatch({ paths: images, plan });
    const s = await svc.whenSettled(batch.id);
    expect(s.status).toBe('paused');
    expect(s.counts).toMatchObject({ done: 2, pending: 4, failed: 0 });
    expect(engine.calls).toBe(3); // no call after the stop
    expect(notices).toEqual([{ batchId: batch.id, engine: 'local', message: 'The account has no quota left.' }]);

    quotaLeft = 100;
    await svc.resume(batch.id);
    const s2 = await svc.whenSettled(batch.id);
    expect(s2).toMatchObject({ status: 'done', counts: { done: 6, pending: 0 } });
    expect(notices).toHaveLength(1);
    await svc.close();
  });
});
