import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecognizeRequest, RecognizeResult } from '../../electron/core/engines/engine';
import { openScanService } from '../../electron/core/service';
import type { Notice } from '../../electron/core/service-types';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { CountingEngine, RefusableVendor, VENDOR_AUTH_MESSAGE as AUTH } from '../queue/support/wrappers';

const tmp = tempDir('svc-stopped-cache');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

function storedResults(dbPath: string, batchId: number): Array<{ path: string; engine: string; reused: number; bytes: number | null }> {
  const raw = new Database(dbPath, { readonly: true });
  try {
    return raw
      .prepare(
        `SELECT i.path, r.engine, r.reused_from IS NOT NULL AS reused, r.bytes_sent AS bytes
         FROM results r JOIN items i ON i.id = r.item_id WHERE i.batch_id = ? ORDER BY i.id, r.id`,
      )
      .all(batchId) as Array<{ path: string; engine: string; reused: number; bytes: number | null }>;
  } finally {
    raw.close();
  }
}

describe('a stopped vendor still gives pages it already did their stored result', () => {
  it('primary engine: after the stop, cached pages finish from the cache (no request); the others wait', async () => {
    const qr = sampleImages('zxing/qrcode-2', 6);
    const [fresh, known] = [qr.slice(0, 3), qr.slice(3)];
    const vendor = new RefusableVendor(realEngine());
    const dbPath = join(tmp.dir, 'primary.sqlite');
    const svc = await openScanService({ dbPath, engines: [new CountingEngine(realEngine()), vendor], intake: realIntake });
    const plan = { engine: 'tencent', task: 'codes' } as const;

    const first = await svc.createBatch({ paths: known, plan });
    expect(await svc.whenSettled(first.batch.id)).toMatchObject({ status: 'done', counts: { done: 3 } });
    expect(vendor.calls).toBe(3);
    const knownCodes = await Promise.all((await svc.listItems(first.batch.id)).items.map(async (i) => (await svc.getItem(i.id)).detections.map((d) => d.text)));
    expect(knownCodes.flat().length).toBeGreaterThan(0);

    vendor.refuse = true;
    const notices: Notice[] = [];
    svc.on('notice', (n) => notices.push(n));
    const second = await svc.createBatch({ paths: [...fresh, ...known], plan });
    const s = await svc.whenSettled(second.batch.id);
    // The stop came first (a new page), before any cached page was taken.
    expect(vendor.paths[3]).toBe(fresh[0]);
    expect(vendor.calls).toBe(4); // the one refused request; nothing after the stop
    expect(s).toMatchObject({ status: 'paused', counts: { done: 3, pending: 3, failed: 0 } });
    expect(notices).toEqual([{ batchId: second.batch.id, engine: 'tencent', message: AUTH }]);
    const items = (await svc.listItems(second.batch.id)).items;
    expect(items.filter((i) => i.status === 'done').map((i) => i.path).sort()).toEqual([...known].sort());
    // Same detections as the first batch's, stored as reused results (0 bytes sent).
    const reusedCodes = await Promise.all(items.filter((i) => known.includes(i.path)).map(async (i) => (await svc.getItem(i.id)).detections.map((d) => d.text)));
    expect(reusedCodes).toEqual(knownCodes);
    const rows = storedResults(dbPath, second.batch.id);
    expect(rows.map((r) => [r.path, r.engine, r.reused, r.bytes])).toEqual(known.map((p) => [p, 'tencent', 1, 0]));

    // Credentials fixed: resume sends only the pages never done.
    vendor.refuse = false;
    await svc.resume(second.batch.id);
    expect(await svc.whenSettled(second.batch.id)).toMatchObject({ status: 'done', counts: { done: 6, pending: 0 } });
    expect(vendor.paths.slice(4).sort()).toEqual([...fresh].sort());
    await svc.close();
  });

  it('fallback engine: a page queued for the stopped fallback with a stored result finishes from it', { timeout: 30_000 }, async () => {
    const empty = sampleImages('zxing-cpp/falsepositives-1', 3);
    // The new page comes first, so the primary engine (2 at a time) is never all held.
    const [newPage, cachedPages] = [empty[0]!, empty.slice(1)];
    const vendor = new RefusableVendor(realEngine());
    // The primary engine holds the cached pages until the fallback vendor has been refused,
    // so their fallback jobs are queued after the stop.
    const local = new (class extends CountingEngine {
      override async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
        if (vendor.refuse && cachedPages.includes(req.source.path)) {
          await vendor.refused;
          await new Promise((r) => setTimeout(r, 100));
        }
        return super.recognize(req);
      }
    })(realEngine());
    const dbPath = join(tmp.dir, 'fallback.sqlite');
    const svc = await openScanService({ dbPath, engines: [local, vendor], intake: realIntake });

    const first = await svc.createBatch({ paths: cachedPages, plan: { engine: 'tencent', task: 'codes' } });
    expect(await svc.whenSettled(first.batch.id)).toMatchObject({ status: 'done', counts: { done: 2 } });
    expect(vendor.calls).toBe(2);

    vendor.refuse = true;
    const second = await svc.createBatch({ paths: empty, plan: { engine: 'local', task: 'codes', fallback: 'tencent' } });
    const s = await svc.whenSettled(second.batch.id);
    const items = (await svc.listItems(second.batch.id)).items;
    // These pages hold no code for the local engine, so each went to the fallback.
    expect(items.every((i) => i.detectionCount === 0 || i.path === newPage)).toBe(true);
    expect(vendor.paths.slice(2)).toEqual([newPage]);
    expect(s).toMatchObject({ status: 'paused', counts: { done: 2, pending: 1 } });
    const rows = storedResults(dbPath, second.batch.id);
    for (const p of cachedPages) {
      expect(rows.filter((r) => r.path === p).map((r) => [r.engine, r.reused])).toEqual([
        ['local', 0],
        ['tencent', 1],
      ]);
    }
    await svc.close();
  });
});
