import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../shared/batch';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';

const tmp = tempDir('svc-basic');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

describe('ScanService: a batch of real images', () => {
  it('decodes every page, stores results with their page size, and reports progress', async () => {
    const images = sampleImages('zxing/qrcode-2', 6);
    const svc = await openScanService({ dbPath: join(tmp.dir, 'a.sqlite'), engines: [realEngine()], intake: realIntake });
    const events: BatchProgress[] = [];
    svc.on('progress', (p) => events.push(p));
    const missing = join(tmp.dir, 'missing.png');
    // A folder with a file that is no image: intake skips it; the batch keeps it as 'skipped',
    // listed apart (listIgnored), neither a page nor in the page count.
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    const notImage = join(folder, 'notes.txt');
    writeFileSync(notImage, 'hello');
    const { batch, skipped } = await svc.createBatch({ paths: [...images, missing, folder], plan: { engine: 'local', task: 'codes' } });
    expect(skipped.map((s) => s.path)).toEqual([notImage]);
    expect(batch.counts.total).toBe(7);
    const done = await svc.whenSettled(batch.id);
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ total: 7, done: 6, failed: 1, skipped: 1, pending: 0 });

    const { items, total } = await svc.listItems(batch.id, { limit: 100 });
    expect(items.map((i) => i.path)).toEqual([...images, missing]);
    expect(total).toBe(7);
    expect(await svc.listIgnored(batch.id)).toEqual({ total: 1, files: [{ path: notImage, reason: skipped[0]!.reason }] });
    const failed = items.find((i) => i.path === missing)!;
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('FILE_NOT_FOUND');
    let found = 0;
    for (const it of items.slice(0, 6)) {
      expect(it.status).toBe('done');
      expect(it.width).toBeGreaterThan(0);
      const detail = await svc.getItem(it.id);
      const expected = readFileSync(it.path.replace(/\.\w+$/, '.txt'), 'utf8');
      if (detail.detections.some((d) => d.text === expected)) found++;
      expect(detail.detectionCount).toBe(detail.detections.length);
    }
    expect(found).toBeGreaterThanOrEqual(4);
    expect(done.counts.codes).toBe(items.reduce((n, i) => n + i.detectionCount, 0));
    // The last event is the settled state.
    expect(events.at(-1)).toEqual({ batchId: batch.id, status: 'done', counts: done.counts });
    await svc.close();
    // Every result says which engine build answered, what was sent and at which scale.
    const raw = new Database(join(tmp.dir, 'a.sqlite'), { readonly: true });
    const results = raw.prepare(`SELECT engine, task, engine_version, scale, page_width, page_height, reused_from FROM results ORDER BY id`).all() as Array<Record<string, unknown>>;
    raw.close();
    expect(results).toHaveLength(6);
    for (const r of results) {
      expect(r).toMatchObject({ engine: 'local', task: 'codes', engine_version: (realEngine() as { engineVersion?: string }).engineVersion, scale: 1, reused_from: null });
      expect(r.engine_version).toMatch(/zxing/);
    }
  });
});
