import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { PgStore } from '../../electron/core/store/pg-store';
import { startHost, type RunningHost } from '../../electron/host';
import { closeRealEngines, realEngine } from '../queue/support/parts';
import { startPostgres, type PgCluster } from '../support/postgres';
import { Z } from '../fixtures/samples';
import { openWs, sessionCookie, WsClient } from './helpers';

/**
 * Issue 7, "Progress reaches every connected desk (LISTEN/NOTIFY)": a browser-host desk shows a
 * shared queue; a batch is submitted and decoded by a worker elsewhere (another process's
 * service on the same PostgreSQL, polling only once an hour, so nothing but NOTIFY wakes
 * anyone), and the desk's browser receives that batch's progress events as pages finish, up to
 * the batch done.
 */
let dir: string;
let pgc: PgCluster;
let host: RunningHost;
let client: WsClient;
const open: ScanService[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-shared-progress-'));
  pgc = await startPostgres();
}, 60_000);

afterAll(async () => {
  client?.ws.close();
  await host?.close();
  for (const s of open) await s.close();
  await closeRealEngines();
  await pgc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a desk showing a shared queue', () => {
  it('hears the progress of a batch another desk submitted and a worker decodes', async () => {
    const url = await pgc.createDatabase();
    host = await startHost({ dbPath: join(dir, 'desk', 'profile.db'), rendererDir: join(dir, 'no-renderer') });
    const cookie = await sessionCookie(host);
    const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie });
    if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
    client = new WsClient(opened.ws);
    const saved = await client.invoke('sharedQueue.save', { url, blobs: null });
    expect(saved.ok, JSON.stringify(saved.error)).toBe(true);
    await expect.poll(async () => ((await client.invoke('sharedQueue.status', {})).value as { state: string }).state, { timeout: 30_000 }).toBe('connected');
    expect((await client.invoke('sharedQueue.show', { source: 'shared' })).ok).toBe(true);

    // Another station submits (no engine of its own); a worker elsewhere decodes.
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    for (const f of ['qrcode-2/1.png', 'qrcode-2/2.png', 'ean13-1/1.png', 'ean13-1/2.png']) copyFileSync(Z + f, join(pages, f.replace('/', '-')));
    const station = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [], pollMs: 3_600_000 });
    open.push(station);
    const { batch } = await station.createBatch({ paths: [pages], name: 'Elsewhere', plan: { engine: 'local', task: 'codes' } });
    const worker = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [realEngine()], pollMs: 3_600_000 });
    open.push(worker);
    expect((await worker.whenSettled(batch.id)).status).toBe('done');

    type Progress = { batchId: number; status: string; counts: { total: number; done: number } };
    const progress = () => client.events.filter((e) => e.name === 'batch.progress').map((e) => e.payload as Progress).filter((p) => p.batchId === batch.id);
    await expect.poll(() => progress().some((p) => p.status === 'done' && p.counts.done === 4), { timeout: 30_000 }).toBe(true);
    // Heard while it ran, not only once it was over.
    expect(progress().some((p) => p.status === 'running')).toBe(true);
    expect(client.events.some((e) => e.name === 'batches.changed')).toBe(true);
    // And the desk lists it, decoded.
    const listed = (await client.invoke('batches.list', {})).value as Array<{ id: number; status: string }>;
    expect(listed).toEqual([expect.objectContaining({ id: batch.id, status: 'done' })]);
  }, 180_000);
});
