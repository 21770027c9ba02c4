import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { CountingEngine, GatedEngine } from '../queue/support/wrappers';

const tmp = tempDir('svc-control');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const plan = { engine: 'local', task: 'codes' } as const;
const images = sampleImages('zxing/qrcode-2', 10);

describe('pause, resume, cancel, delete', () => {
  it('pause lets in-flight pages finish and claims nothing more; resume finishes the batch', async () => {
    const engine = new GatedEngine(realEngine());
    const svc = await openScanService({ dbPath: join(tmp.dir, 'pause.sqlite'), engines: [engine], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: images, plan });
    const c = Math.min(engine.concurrency, images.length); // in flight at once; the rest waits
    expect(engine.started).toBe(c);
    const paused = await svc.pause(batch.id);
    expect(paused.status).toBe('paused');
    const settled = svc.whenSettled(batch.id);
    engine.release();
    const s = await settled;
    expect(s.status).toBe('paused');
    expect(s.counts.done).toBe(c); // the ones in flight were kept
    expect(s.counts.pending).toBe(10 - c);
    expect(engine.calls).toBe(c);

    const resumed = await svc.resume(batch.id);
    expect(resumed.status).toBe('running');
    const end = await svc.whenSettled(batch.id);
    expect(end.status).toBe('done');
    expect(end.counts.done).toBe(10);
    expect(engine.calls).toBe(10);
    await svc.close();
  });

  it('cancel stops waiting pages, keeps what was done, and finishes in-flight ones cleanly', async () => {
    const engine = new GatedEngine(realEngine());
    const svc = await openScanService({ dbPath: join(tmp.dir, 'cancel.sqlite'), engines: [engine], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: images, plan });
    const n = Math.min(engine.concurrency, images.length);
    const c = await svc.cancel(batch.id);
    expect(c.status).toBe('cancelled');
    expect(c.counts.cancelled).toBe(10 - n);
    engine.release();
    const s = await svc.whenSettled(batch.id);
    expect(s.status).toBe('cancelled');
    expect(s.counts).toMatchObject({ total: 10, done: n, cancelled: 10 - n, pending: 0 });
    expect(engine.calls).toBe(n);
    // Resuming a cancelled batch is refused with a clear error; nothing more runs.
    await expect(svc.resume(batch.id)).rejects.toThrow(/cancelled/);
    // Cancelled pages are listed with their status.
    expect((await svc.listItems(batch.id, { filter: 'all' })).items.filter((i) => i.status === 'cancelled')).toHaveLength(10 - n);
    await svc.close();
  });

  it('deleting a batch removes it and everything in it, even mid-run', async () => {
    const engine = new GatedEngine(realEngine());
    const dbPath = join(tmp.dir, 'delete.sqlite');
    const svc = await openScanService({ dbPath, engines: [engine], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: images, plan });
    const keep = await svc.createBatch({ paths: images.slice(0, 2), plan });
    const waiting = svc.whenSettled(batch.id);
    await svc.deleteBatch(batch.id);
    await expect(waiting).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.getBatch(batch.id)).rejects.toThrow(/does not exist/);
    expect((await svc.listBatches()).map((b) => b.id)).toEqual([keep.batch.id]);
    engine.release();
    const k = await svc.whenSettled(keep.batch.id);
    expect(k.counts.done).toBe(2);
    await svc.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(dbPath, { readonly: true });
    const n = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
    expect(n(`SELECT count(*) AS n FROM items WHERE batch_id = ${batch.id}`)).toBe(0);
    expect(n(`SELECT count(*) AS n FROM jobs WHERE batch_id = ${batch.id}`)).toBe(0);
    expect(n(`SELECT count(*) AS n FROM results WHERE item_id NOT IN (SELECT id FROM items)`)).toBe(0);
    expect(n(`SELECT count(*) AS n FROM detections WHERE item_id NOT IN (SELECT id FROM items)`)).toBe(0);
    expect(n(`SELECT count(*) AS n FROM items`)).toBe(2);
    raw.close();
  });

  it('re-opening the service resumes a running batch where it stopped', async () => {
    const dbPath = join(tmp.dir, 'reopen.sqlite');
    const gated = new GatedEngine(realEngine());
    const a = await openScanService({ dbPath, engines: [gated], intake: realIntake });
    const { batch } = await a.createBatch({ paths: images, plan });
    const closing = a.close(); // aborts in-flight calls; their jobs go back to the queue untouched
    gated.release();
    await closing;
    const engine = new CountingEngine(realEngine());
    const b = await openScanService({ dbPath, engines: [engine], intake: realIntake });
    const s = await b.whenSettled(batch.id);
    expect(s.status).toBe('done');
    expect(s.counts.done).toBe(10);
    expect(engine.calls + gated.calls).toBeGreaterThanOrEqual(10);
    await b.close();
  });
});
