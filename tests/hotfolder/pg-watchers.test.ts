import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotFolderWatcher, type WatchEvent } from '../../electron/core/hotfolder/watcher';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { PgStore } from '../../electron/core/store/pg-store';
import { SAMPLES } from '../fixtures/samples';
import { closeRealEngines, realEngine } from '../queue/support/parts';
import { tempDir } from '../queue/support/tmp';
import { startPostgres, type PgCluster } from '../support/postgres';

/**
 * A hot folder on a shared PostgreSQL queue, watched from two desks (two services, each its own
 * connections; one decodes, the other has no engine): one watches at a time; when the first
 * one's heartbeat goes stale the second takes over while the first still runs, and every file
 * dropped then joins the batch once (each file claimed in the database). The first learns that
 * it lost the folder at its next heartbeat, or before it moves a file on, and stops. Pages are
 * decoded from the blob store. Waits are on events and states, never on the clock.
 */
const tmp = tempDir('pg-hotfolder');
const IN = join(tmp.dir, 'in');
const DONE = join(tmp.dir, 'done');
const BLOBS = join(tmp.dir, 'blobs');
const EAN = ['1', '2', '3', '4', '5', '6', '7'].map((n) => join(SAMPLES, 'zxing', 'ean13-1', `${n}.png`));
let cluster: PgCluster;
let url: string;
const services: ScanService[] = [];
const watchers: HotFolderWatcher[] = [];
let sql: pg.Client;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const hit = await probe();
    if (hit !== undefined && hit !== false) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  for (const d of [IN, DONE, BLOBS]) mkdirSync(d);
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
}, 60_000);

afterAll(async () => {
  for (const w of watchers) await w.stop();
  for (const s of services) await s.close();
  await sql?.end();
  await closeRealEngines();
  await cluster?.stop();
  tmp.cleanup();
});

describe('hot folder on a shared queue', { timeout: 180_000 }, () => {
  it('two desks on one folder: one watches, the other takes over a stale watch, and no file joins twice', async () => {
    const deskA = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [realEngine()], blobs: BLOBS, pollMs: 3_600_000 });
    const deskB = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [], blobs: BLOBS, pollMs: 3_600_000 });
    services.push(deskA, deskB);
    const folder = await deskA.hotFolders.save({ path: IN, plan: { engine: 'local', task: 'codes' }, doneDir: DONE });
    // The folder saved by one desk is the other's too.
    expect(await deskB.hotFolders.list()).toMatchObject([{ id: folder.id, path: IN, doneDir: DONE, live: false }]);

    const eventsA: WatchEvent[] = [];
    const eventsB: WatchEvent[] = [];
    const a = new HotFolderWatcher(deskA, deskA.hotFolders.runtime, folder, { owner: 'desk-a:1', stabilityMs: 300, heartbeatMs: 3_600_000, onEvent: (e) => eventsA.push(e) });
    watchers.push(a);
    await a.start();
    expect((await deskB.hotFolders.get(folder.id)).live).toBe(true);
    // A first file starts the folder's batch, decoded from the blob store and moved to done/.
    copyFileSync(EAN[0]!, join(IN, 'p0.png'));
    await until('p0 moved', () => eventsA.find((e) => e.type === 'moved' && e.path === join(IN, 'p0.png')));
    const batchId = (await deskB.hotFolders.get(folder.id)).batchId!;
    expect(batchId).toBeGreaterThan(0);
    expect(readdirSync(BLOBS)).not.toHaveLength(0);

    // Desk B is refused while A's heartbeat is fresh.
    const refused = new HotFolderWatcher(deskB, deskB.hotFolders.runtime, await deskB.hotFolders.get(folder.id), { owner: 'desk-b:2' });
    await expect(refused.start()).rejects.toThrow(/already being watched by desk-a:1/);

    // A's heartbeat goes stale (a stalled machine): B takes over while A still watches.
    await sql.query(`UPDATE hot_folders SET heartbeat_at = now() - interval '1 minute' WHERE id = $1`, [folder.id]);
    const b = new HotFolderWatcher(deskB, deskB.hotFolders.runtime, await deskB.hotFolders.get(folder.id), {
      owner: 'desk-b:2',
      stabilityMs: 300,
      heartbeatMs: 3_600_000,
      onEvent: (e) => eventsB.push(e),
    });
    watchers.push(b);
    await b.start();
    expect(b.currentBatch).toBe(batchId);

    // Both see every new file; each file is claimed, added and moved once.
    const names = EAN.slice(1).map((_, i) => `p${i + 1}.png`);
    EAN.slice(1).forEach((src, i) => copyFileSync(src, join(IN, names[i]!)));
    const moved = (name: string) => [...eventsA, ...eventsB].some((e) => e.type === 'moved' && e.path === join(IN, name));
    await until('every file moved on', () => names.every(moved));
    await a.idle();
    await b.idle();
    const added = [...eventsA, ...eventsB].filter((e) => e.type === 'added').map((e) => (e as { path: string }).path);
    expect(added.sort()).toEqual(['p0.png', ...names].map((n) => join(IN, n)).sort());
    const items = (await deskB.listItems(batchId)).items;
    expect(items.map((i) => i.path).sort()).toEqual(['p0.png', ...names].map((n) => join(DONE, n)).sort());
    expect(items.every((i) => i.status === 'done' && i.detectionCount > 0)).toBe(true);
    expect(readdirSync(DONE).sort()).toEqual(['p0.png', ...names].sort());
    expect((await deskA.hotFolders.get(folder.id)).files).toEqual({ queued: 0, done: 7, failed: 0, gone: 0 });
    // A learnt it lost the folder when it next looked (before moving a file on) and stopped.
    expect(eventsB.filter((e) => e.type === 'error')).toEqual([]);
    expect(eventsA.filter((e) => e.type === 'error')).toEqual([{ type: 'error', path: null, message: `${IN} is now watched by another process: this one stopped watching it.` }]);
  });

  it('a watcher that lost its folder stops at its next heartbeat; the new one goes on alone', async () => {
    const [deskA, deskB] = services as [ScanService, ScanService];
    const [folder] = await deskA.hotFolders.list();
    const eventsA: WatchEvent[] = [];
    const eventsB: WatchEvent[] = [];
    for (const w of watchers.splice(0)) await w.stop();
    const a = new HotFolderWatcher(deskA, deskA.hotFolders.runtime, folder!, { owner: 'desk-a:3', stabilityMs: 300, heartbeatMs: 200, onEvent: (e) => eventsA.push(e) });
    watchers.push(a);
    await a.start();
    await sql.query(`UPDATE hot_folders SET heartbeat_at = now() - interval '1 minute' WHERE id = $1`, [folder!.id]);
    const b = new HotFolderWatcher(deskB, deskB.hotFolders.runtime, (await deskB.hotFolders.get(folder!.id))!, { owner: 'desk-b:4', stabilityMs: 300, onEvent: (e) => eventsB.push(e) });
    watchers.push(b);
    await b.start();
    const lost = await until('A to notice', () => eventsA.find((e) => e.type === 'error'));
    expect(lost).toMatchObject({ message: expect.stringContaining('now watched by another process') });
    copyFileSync(EAN[0]!, join(IN, 'late.png'));
    await until('late.png moved', () => eventsB.find((e) => e.type === 'moved' && e.path === join(IN, 'late.png')));
    expect(eventsA.filter((e) => e.type === 'added')).toEqual([]);
    expect(await deskA.hotFolders.get(folder!.id)).toMatchObject({ live: true, files: { done: 8 } });
  });

  it("adds a file whose claimant died before adding it, once that claim is stale, without other activity", async () => {
    const [deskA] = services as [ScanService, ScanService];
    const [folder] = await deskA.hotFolders.list();
    for (const w of watchers.splice(0)) await w.stop();
    // A watcher on another machine claimed orphan.png and died before adding it; its claim is
    // still fresh when the next watcher starts, and goes stale a few seconds later.
    copyFileSync(EAN[1]!, join(IN, 'orphan.png'));
    const { rowCount } = await sql.query(
      `INSERT INTO hot_folder_files (folder_id, path, size, mtime_ms, state, claimed_by, claimed_at)
       VALUES ($1, $2, 1, 1, 'queued', 'gone-host:1', now() - interval '27 seconds')`,
      [folder!.id, join(IN, 'orphan.png')],
    );
    expect(rowCount).toBe(1);
    const events: WatchEvent[] = [];
    const c = new HotFolderWatcher(deskA, deskA.hotFolders.runtime, (await deskA.hotFolders.get(folder!.id))!, { owner: 'desk-a:5', stabilityMs: 300, heartbeatMs: 300, onEvent: (e) => events.push(e) });
    watchers.push(c);
    await c.start();
    await until('orphan.png moved on', () => events.find((e) => e.type === 'moved' && e.path === join(IN, 'orphan.png')));
    expect(events.filter((e) => e.type === 'added').map((e) => (e as { path: string }).path)).toEqual([join(IN, 'orphan.png')]);
    expect((await deskA.listItems(folder!.batchId!)).items.filter((i) => i.path.endsWith('orphan.png'))).toHaveLength(1);
  });
});
