import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import type { Notice } from '../../electron/core/service-types';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { GatedEngine, RenamedEngine } from '../queue/support/wrappers';

const tmp = tempDir('svc-leases');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const images = sampleImages('zxing/qrcode-2', 2);

describe('runner leases and engines', () => {
  it('a decode longer than the lease keeps its lease (heartbeat): never claimed twice', async () => {
    const engine = new GatedEngine(realEngine());
    const dbPath = join(tmp.dir, 'heartbeat.sqlite');
    const svc = await openScanService({ dbPath, engines: [engine], intake: realIntake, leaseMs: 400 });
    const { batch } = await svc.createBatch({ paths: images, plan: { engine: 'local', task: 'codes' } });
    // Hold the decodes for five lease lengths.
    await new Promise((r) => setTimeout(r, 2000));
    expect(engine.started).toBe(2);
    engine.release();
    const s = await svc.whenSettled(batch.id);
    expect(s.counts.done).toBe(2);
    expect(engine.started).toBe(2);
    await svc.close();
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.prepare(`SELECT sum(lease_losses) AS n FROM jobs`).get()).toEqual({ n: 0 });
    raw.close();
  });

  it('pages planned for an engine this session lacks wait (blocked) with one notice; the rest goes on', async () => {
    const dbPath = join(tmp.dir, 'missing.sqlite');
    const empty = sampleImages('zxing-cpp/falsepositives-1', 2);
    const vendor = new GatedEngine(new RenamedEngine(realEngine(), 'tencent'));
    const a = await openScanService({ dbPath, engines: [realEngine(), vendor], intake: realIntake });
    const { batch } = await a.createBatch({ paths: [...images, ...empty], plan: { engine: 'local', task: 'codes', fallback: 'tencent' } });
    // Wait until the local pages are done and the fallback ones are held at the vendor's gate.
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (vendor.started >= 2) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    const closing = a.close(); // the held fallback calls are given back, not failed
    vendor.release();
    await closing;

    // Next session: no tencent engine (e.g. credentials removed).
    const b = await openScanService({ dbPath, engines: [realEngine()], intake: realIntake });
    const notices: Notice[] = [];
    b.on('notice', (n) => notices.push(n));
    const settled = await b.whenSettled(batch.id);
    expect(settled.status).toBe('paused');
    expect(settled.counts.done + settled.counts.pending).toBe(4);
    expect(settled.counts.pending).toBeGreaterThanOrEqual(1);
    const raw = new Database(dbPath, { readonly: true });
    const blocked = raw.prepare(`SELECT engine, error_code FROM jobs WHERE status = 'blocked'`).all();
    raw.close();
    expect(blocked.length).toBe(settled.counts.pending);
    expect(blocked.every((j) => JSON.stringify(j) === JSON.stringify({ engine: 'tencent', error_code: 'VENDOR_UNAVAILABLE' }))).toBe(true);
    expect(notices).toEqual([
      { batchId: batch.id, engine: 'tencent', message: 'The tencent engine is not available here (not set up), so its pages wait. Set it up and resume the batch.' },
    ]);
    await b.close();
  });
});
