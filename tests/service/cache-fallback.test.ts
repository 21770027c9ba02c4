import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../electron/core/errors';
import { openScanService } from '../../electron/core/service';
import type { Notice } from '../../electron/core/service-types';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { CountingEngine, FailingForEngine, RenamedEngine } from '../queue/support/wrappers';

const tmp = tempDir('svc-cache');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const plan = { engine: 'local', task: 'codes' } as const;

describe('results cache', () => {
  it('decodes the same bytes once (a file and its copy, in flight together, and again in a later batch)', async () => {
    const [a, b] = sampleImages('zxing/qrcode-2', 2) as [string, string];
    const copy = join(tmp.dir, 'copy-of-a.png');
    copyFileSync(a, copy);
    const engine = new CountingEngine(realEngine());
    const dbPath = join(tmp.dir, 'cache.sqlite');
    const svc = await openScanService({ dbPath, engines: [engine], intake: realIntake });
    // (Intake lists a path given twice once.)
    const first = await svc.createBatch({ paths: [a, b, copy], plan });
    const s1 = await svc.whenSettled(first.batch.id);
    expect(s1.counts.done).toBe(3);
    expect(engine.calls).toBe(2); // a and b; the copy reuses a's result (even while a is in flight)
    const second = await svc.createBatch({ paths: [copy, b], plan });
    await svc.whenSettled(second.batch.id);
    expect(engine.calls).toBe(2);

    // Reused results carry the same detections, as their own rows, and say where they came from.
    const items = (await svc.listItems(first.batch.id)).items;
    const original = await svc.getItem(items[0]!.id);
    expect(original.detections.length).toBeGreaterThan(0);
    const second2 = (await svc.listItems(second.batch.id)).items;
    for (const it of [items[2]!, second2[0]!]) {
      const d = await svc.getItem(it.id);
      expect(d.detections.map((x) => [x.text, x.symbology, x.geometry])).toEqual(original.detections.map((x) => [x.text, x.symbology, x.geometry]));
      expect(d.detections.map((x) => x.id)).not.toEqual(original.detections.map((x) => x.id));
      expect([d.width, d.height]).toEqual([original.width, original.height]);
    }
    await svc.close();
    const raw = new Database(dbPath, { readonly: true });
    const rows = raw.prepare(`SELECT reused_from, bytes_sent FROM results ORDER BY id`).all() as Array<{ reused_from: number | null }>;
    expect(rows.filter((r) => r.reused_from === null)).toHaveLength(2);
    expect(rows.filter((r) => r.reused_from !== null)).toHaveLength(3);
    raw.close();
  });

  it('different engine options are a different cache entry', async () => {
    const [a] = sampleImages('zxing/qrcode-2', 1) as [string];
    const engine = new CountingEngine(realEngine());
    const svc = await openScanService({ dbPath: join(tmp.dir, 'opts.sqlite'), engines: [engine], intake: realIntake });
    await svc.whenSettled((await svc.createBatch({ paths: [a], plan: { ...plan, options: { x: 1, y: [2] } } })).batch.id);
    await svc.whenSettled((await svc.createBatch({ paths: [a], plan: { ...plan, options: { y: [2], x: 1 } } })).batch.id);
    expect(engine.calls).toBe(1); // same options, other key order
    await svc.whenSettled((await svc.createBatch({ paths: [a], plan: { ...plan, options: { x: 2 } } })).batch.id);
    expect(engine.calls).toBe(2);
    await svc.close();
  });
});

describe('fallback plan', () => {
  const qr = sampleImages('zxing/qrcode-2', 3);
  const empty = sampleImages('zxing-cpp/falsepositives-1', 3);

  it('sends only the pages where the primary engine found nothing to the fallback engine, results side by side', async () => {
    const local = new CountingEngine(realEngine());
    const vendor = new RenamedEngine(realEngine(), 'tencent');
    const dbPath = join(tmp.dir, 'fallback.sqlite');
    const svc = await openScanService({ dbPath, engines: [local, vendor], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [...qr, ...empty], plan: { ...plan, fallback: 'tencent' } });
    const s = await svc.whenSettled(batch.id);
    expect(s).toMatchObject({ status: 'done', counts: { done: 6, pending: 0 } });
    expect(local.calls).toBe(6);
    const items = (await svc.listItems(batch.id)).items;
    const noCodes = items.filter((i) => i.detectionCount === 0).map((i) => i.path);
    expect(vendor.paths.sort()).toEqual(noCodes.sort());
    expect(noCodes.length).toBeGreaterThanOrEqual(3);
    await svc.close();
    const raw = new Database(dbPath, { readonly: true });
    const perItem = raw.prepare(`SELECT i.path, group_concat(r.engine) AS engines FROM items i JOIN results r ON r.item_id = i.id GROUP BY i.id ORDER BY i.id`).all() as Array<{ path: string; engines: string }>;
    for (const r of perItem) expect(r.engines.split(',').sort()).toEqual(noCodes.includes(r.path) ? ['local', 'tencent'] : ['local']);
    raw.close();
  });

  it('a stopped fallback engine does not stop the primary one: its pages wait, one notice', async () => {
    const local = new CountingEngine(realEngine());
    const vendor = new FailingForEngine(new RenamedEngine(realEngine(), 'tencent'), /./, () => new ScanError('VENDOR_AUTH', 'The vendor refused the credentials (check SecretId).'));
    const dbPath = join(tmp.dir, 'fallback-stop.sqlite');
    const svc = await openScanService({ dbPath, engines: [local, vendor], intake: realIntake });
    const notices: Notice[] = [];
    svc.on('notice', (n) => notices.push(n));
    const { batch } = await svc.createBatch({ paths: [...qr, ...empty], plan: { ...plan, fallback: 'tencent' } });
    const s = await svc.whenSettled(batch.id);
    expect(local.calls).toBe(6);
    expect(s.status).toBe('paused');
    expect(s.counts.done + s.counts.pending).toBe(6);
    expect(s.counts.pending).toBeGreaterThanOrEqual(3);
    expect(vendor.calls).toBeLessThanOrEqual(vendor.concurrency);
    expect(notices).toEqual([{ batchId: batch.id, engine: 'tencent', message: 'The vendor refused the credentials (check SecretId).' }]);
    await svc.close();

    // Credentials fixed: the next session resumes the batch and the waiting pages finish.
    const fixed = new RenamedEngine(realEngine(), 'tencent');
    const again = await openScanService({ dbPath, engines: [new CountingEngine(realEngine()), fixed], intake: realIntake });
    await again.resume(batch.id);
    const s2 = await again.whenSettled(batch.id);
    expect(s2).toMatchObject({ status: 'done', counts: { done: 6, pending: 0 } });
    expect(fixed.calls).toBe(s.counts.pending);
    await again.close();
  });
});
