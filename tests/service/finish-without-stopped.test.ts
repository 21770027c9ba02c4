import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { CountingEngine, RefusableVendor, VENDOR_AUTH_MESSAGE as AUTH } from '../queue/support/wrappers';

const tmp = tempDir('svc-finish-without');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

/** The vendor with its credentials refused from the start. */
function refusing(): RefusableVendor {
  const v = new RefusableVendor(realEngine());
  v.refuse = true;
  return v;
}

describe('finish a batch without its stopped engine', () => {
  it('the waiting pages fail with the reason, the batch is done and exportable, and Retry failed runs them once fixed', async () => {
    const qr = sampleImages('zxing/qrcode-2', 3);
    const vendor = refusing();
    const svc = await openScanService({ dbPath: join(tmp.dir, 'primary.sqlite'), engines: [new CountingEngine(realEngine()), vendor], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: qr, plan: { engine: 'tencent', task: 'codes' } });
    const paused = await svc.whenSettled(batch.id);
    expect(paused).toMatchObject({ status: 'paused', counts: { pending: 3, failed: 0 } });
    expect(paused.stopped).toEqual([{ engine: 'tencent', code: 'VENDOR_AUTH', message: AUTH, pages: 3 }]);
    expect((await svc.listBatches()).find((b) => b.id === batch.id)?.stopped).toEqual(paused.stopped);
    const callsAtStop = vendor.calls;

    const done = await svc.finishWithoutStopped(batch.id);
    expect(done).toMatchObject({ status: 'done', stopped: [], counts: { total: 3, pending: 0, failed: 3, done: 0 } });
    expect(await svc.whenSettled(batch.id)).toMatchObject({ status: 'done' });
    for (const it of (await svc.listItems(batch.id)).items) expect(it.error).toEqual({ code: 'VENDOR_AUTH', message: AUTH });
    expect(vendor.calls).toBe(callsAtStop); // nothing was sent on the way out

    vendor.refuse = false;
    await svc.retryFailed(batch.id);
    const retried = await svc.whenSettled(batch.id);
    expect(retried).toMatchObject({ status: 'done', stopped: [], counts: { done: 3, failed: 0 } });
    expect(retried.counts.codes).toBeGreaterThanOrEqual(3);
    await svc.close();
  });

  it('"local first": the pages the local engine read keep their codes; the ones left for the vendor fail with its reason', { timeout: 30_000 }, async () => {
    const withCode = sampleImages('zxing/qrcode-2', 2);
    const empty = sampleImages('zxing-cpp/falsepositives-1', 2);
    const vendor = refusing();
    const svc = await openScanService({ dbPath: join(tmp.dir, 'fallback.sqlite'), engines: [new CountingEngine(realEngine()), vendor], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [...withCode, ...empty], plan: { engine: 'local', task: 'codes', fallback: 'tencent' } });
    const paused = await svc.whenSettled(batch.id);
    expect(paused).toMatchObject({ status: 'paused', counts: { done: 2, pending: 2 } });
    expect(paused.stopped).toEqual([{ engine: 'tencent', code: 'VENDOR_AUTH', message: AUTH, pages: 2 }]);

    const done = await svc.finishWithoutStopped(batch.id);
    expect(done).toMatchObject({ status: 'done', stopped: [], counts: { done: 2, failed: 2, pending: 0 } });
    const items = (await svc.listItems(batch.id)).items;
    expect(items.filter((i) => i.status === 'done').map((i) => i.path).sort()).toEqual([...withCode].sort());
    expect(items.filter((i) => i.status === 'done').every((i) => i.detectionCount > 0)).toBe(true);
    expect(items.filter((i) => i.status === 'failed').map((i) => [i.path, i.error?.code])).toEqual(empty.map((p) => [p, 'VENDOR_AUTH']));
    await svc.close();
  });

  it('a batch the user paused with other pages still waiting stays paused; done and cancelled batches are left alone', async () => {
    const vendor = refusing();
    const svc = await openScanService({ dbPath: join(tmp.dir, 'manual.sqlite'), engines: [new CountingEngine(realEngine()), vendor], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: sampleImages('zxing/qrcode-2', 2), plan: { engine: 'local', task: 'codes' } });
    await svc.pause(batch.id);
    const still = await svc.finishWithoutStopped(batch.id); // nothing stopped: nothing changes
    expect(still.status).toBe('paused');
    await svc.resume(batch.id);
    const done = await svc.whenSettled(batch.id);
    expect(await svc.finishWithoutStopped(batch.id)).toEqual(done);
    await expect(async () => await svc.finishWithoutStopped(987654)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await svc.close();
  });
});
