import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobPath } from '../../electron/core/queue/blobs';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { PgStore } from '../../electron/core/store/pg-store';
import { startPostgres, type PgCluster } from '../support/postgres';
import { closeRealEngines, realEngine } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';

/**
 * Two ScanServices on one PostgreSQL queue, as two desks or a desk and a worker: one submits
 * a batch with no engine of its own, the other decodes it. Both poll only once an hour here,
 * so the batch can only start and finish through the LISTEN/NOTIFY wake-ups.
 */
let cluster: PgCluster;
const open: ScanService[] = [];
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  for (const s of open) await s.close();
  await closeRealEngines();
  await cluster?.stop();
});

describe('ScanService on a shared PostgreSQL queue', () => {
  it('a desk without engines submits; a worker woken by NOTIFY decodes; the desk hears it settle', async () => {
    const url = await cluster.createDatabase();
    const desk = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [], pollMs: 3_600_000 });
    open.push(desk);
    const worker = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [realEngine()], pollMs: 3_600_000 });
    open.push(worker);
    const files = sampleImages('zxing/qrcode-2', 4);
    const progress: number[] = [];
    desk.on('progress', (p) => progress.push(p.counts.done));

    const { batch } = await desk.createBatch({ paths: files, plan: { engine: 'local', task: 'codes' } });
    expect(batch.status).toBe('running');
    const settled = await desk.whenSettled(batch.id);
    expect(settled).toMatchObject({ status: 'done', counts: { total: 4, done: 4, failed: 0 } });
    expect(settled.counts.codes).toBeGreaterThanOrEqual(4);
    expect(progress.length).toBeGreaterThan(0);
    // What the worker decoded is what the desk reads.
    const items = await desk.listItems(batch.id);
    expect(items.items.every((i) => i.status === 'done' && i.detectionCount > 0)).toBe(true);
    // Documents and reconciliation live in the queue: what one desk sets, another sees.
    expect(await desk.documents.setRule(batch.id, { kind: 'every', pages: 2 })).toEqual({ kind: 'every', pages: 2 });
    const docs = await worker.documents.list(batch.id);
    expect(docs.rule).toEqual({ kind: 'every', pages: 2 });
    expect(docs.documents.map((d) => d.pages.map((p) => p.itemId))).toEqual([items.items.slice(0, 2).map((i) => i.id), items.items.slice(2).map((i) => i.id)]);
    const found = (await desk.getItem(items.items[0]!.id)).detections[0]!.text;
    await worker.reconciliation.setList(batch.id, { source: 'pasted', column: '1', values: [found, 'not-on-any-page'] });
    const recon = (await desk.reconciliation.get(batch.id))!;
    expect(recon.list).toMatchObject({ source: 'pasted', count: 2 });
    expect(recon.result.found.map((v) => [v.value, v.pages.map((p) => p.itemId)])).toEqual([[found, [items.items[0]!.id]]]);
    expect(recon.result.missing.map((v) => v.value)).toEqual(['not-on-any-page']);
  });

  it('copies submitted files into the blob store once per content; workers decode the copies and refuse a damaged one', async () => {
    const url = await cluster.createDatabase();
    const tmp = mkdtempSync(join(tmpdir(), 'scandesk-blobs-'));
    try {
      const input = join(tmp, 'desk-only');
      const blobs = join(tmp, 'blobs');
      mkdirSync(input);
      const [a, c, d] = sampleImages('zxing/qrcode-2', 3);
      copyFileSync(a!, join(input, 'a.png'));
      copyFileSync(a!, join(input, 'a-again.png'));
      copyFileSync(c!, join(input, 'c.png'));
      const other = join(tmp, 'other');
      mkdirSync(other);
      copyFileSync(d!, join(other, 'd.png'));

      const desk = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [], blobs, pollMs: 3_600_000 });
      open.push(desk);
      const one = (await desk.createBatch({ paths: [input], plan: { engine: 'local', task: 'codes' } })).batch;
      const two = (await desk.createBatch({ paths: [other], plan: { engine: 'local', task: 'codes' } })).batch;
      // Three pages, two contents in batch one, one more in batch two: three blobs.
      const stored = readdirSync(blobs, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(stored).toHaveLength(3);
      // The workers never see the desk's folders; d's shared copy is damaged (another image's bytes).
      rmSync(input, { recursive: true });
      rmSync(other, { recursive: true });
      copyFileSync(c!, blobPath(blobs, createHash('sha256').update(readFileSync(d!)).digest('hex')));

      const worker = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [realEngine()], blobs, pollMs: 3_600_000 });
      open.push(worker);
      const first = await desk.whenSettled(one.id);
      expect(first).toMatchObject({ status: 'done', counts: { total: 3, done: 3 } });
      const items = (await desk.listItems(one.id)).items;
      expect(items.map((i) => i.path).sort()).toEqual([join(input, 'a-again.png'), join(input, 'a.png'), join(input, 'c.png')]);
      expect(items.every((i) => i.detectionCount > 0)).toBe(true);
      const second = await desk.whenSettled(two.id);
      expect(second.counts).toMatchObject({ total: 1, failed: 1 });
      const failed = (await desk.listItems(two.id)).items[0]!;
      expect(failed.error?.code).toBe('FILE_UNREADABLE');
      expect(failed.error?.message).toContain('does not hold the bytes that were submitted');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
