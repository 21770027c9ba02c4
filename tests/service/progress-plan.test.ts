import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../shared/batch';
import { KeyedThrottle } from '../../electron/core/queue/throttle';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';

const tmp = tempDir('svc-progress');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const plan = { engine: 'local', task: 'codes' } as const;

describe('progress events', () => {
  it('are throttled per batch and end with exactly one final event for the settled batch', async () => {
    const images = sampleImages('zxing/qrcode-2', 30);
    const svc = await openScanService({ dbPath: join(tmp.dir, 'p.sqlite'), engines: [realEngine()], intake: realIntake, progressIntervalMs: 200 });
    const events: Array<BatchProgress & { at: number }> = [];
    svc.on('progress', (p) => events.push({ ...p, at: Date.now() }));
    const t0 = Date.now();
    const { batch } = await svc.createBatch({ paths: images, plan });
    const s = await svc.whenSettled(batch.id);
    const elapsed = Date.now() - t0;
    // 30 pages settle one by one; without the throttle that would be >= 30 events.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    expect(events.length).toBeLessThan(30);
    // Consecutive events (but the final flush) are at least one interval apart.
    for (let i = 1; i < events.length - 1; i++) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(195);
    const finals = events.filter((e) => e.status === 'done');
    expect(finals).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ batchId: batch.id, status: 'done', counts: s.counts });
    // Counts only grow.
    for (let i = 1; i < events.length; i++) expect(events[i]!.counts.done).toBeGreaterThanOrEqual(events[i - 1]!.counts.done);
    await svc.close();
  });

  it('KeyedThrottle: leading call, one trailing call per burst, flush emits at once', async () => {
    const seen: string[] = [];
    const t = new KeyedThrottle<string>(50, (k) => seen.push(k));
    t.schedule('a');
    for (let i = 0; i < 100; i++) t.schedule('a');
    t.schedule('b');
    expect(seen).toEqual(['a', 'b']);
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual(['a', 'b', 'a']);
    t.schedule('c'); // leading
    t.schedule('c'); // trailing call pending
    t.flush('c');
    expect(seen).toEqual(['a', 'b', 'a', 'c', 'c']);
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toHaveLength(5); // the flush replaced the pending trailing call
  });
});

describe('createBatch input', () => {
  it('rejects bad plans with a specific message and stores nothing', async () => {
    const dbPath = join(tmp.dir, 'plan.sqlite');
    const svc = await openScanService({ dbPath, engines: [realEngine()], intake: realIntake });
    const paths = sampleImages('zxing/qrcode-2', 1);
    await expect(svc.createBatch({ paths, plan: { engine: 'nope' as never, task: 'codes' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/engine/) });
    await expect(svc.createBatch({ paths, plan: { engine: 'tencent', task: 'codes' } })).rejects.toThrow('The tencent engine is not available (not set up).');
    await expect(svc.createBatch({ paths, plan: { engine: 'local', task: 'idcard' } })).rejects.toThrow('The local engine cannot do the "idcard" task.');
    await expect(svc.createBatch({ paths: [], plan })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // Credentials never reach the database: a plan carrying one is refused (and the value is not echoed).
    const err = await svc.createBatch({ paths, plan: { ...plan, options: { region: 'ap-shanghai', auth: { SecretKey: 'sk-very-secret' } } } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: 'Engine options must not carry credentials (option "auth.SecretKey"): credentials are read from the OS keychain.' });
    expect(String((err as Error).message)).not.toContain('sk-very-secret');
    expect(await svc.listBatches()).toEqual([]);
    await svc.close();
    const raw = new Database(dbPath, { readonly: true });
    expect((raw.prepare(`SELECT count(*) AS n FROM items`).get() as { n: number }).n).toBe(0);
    raw.close();
  });

  it('a batch of nothing runnable settles at once', async () => {
    const svc = await openScanService({ dbPath: join(tmp.dir, 'empty.sqlite'), engines: [realEngine()], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [join(tmp.dir, 'nothing-here.png')], plan });
    const s = await svc.whenSettled(batch.id);
    expect(s).toMatchObject({ status: 'done', counts: { total: 1, failed: 1 } });
    await svc.close();
  });
});
