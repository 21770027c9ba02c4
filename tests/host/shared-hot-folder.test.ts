import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProfile, type Profile } from '../../electron/core/profile';
import { startHost, type RunningHost } from '../../electron/host';
import { startPostgres, type PgCluster } from '../support/postgres';
import { Z } from '../fixtures/samples';
import { okValue as ok, openWs, sessionCookie, WsClient } from './helpers';

/**
 * Issue 7, hot folders from a desk on a shared queue: the browser host opens the queue through
 * Settings → Shared queue and saves a hot folder there; the desk watches it (it has no decoder:
 * files are copied to the blob store and submitted), a headless worker decodes the pages, and
 * the desk, hearing the queue's progress, moves each file to its done folder. A folder of the
 * queue that this machine cannot see is left to the machines that can.
 */
let dir: string;
let pgc: PgCluster;
let host: RunningHost;
let client: WsClient;
let worker: Profile | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-shared-hot-'));
  pgc = await startPostgres();
}, 60_000);

afterAll(async () => {
  client?.ws.close();
  await host?.close();
  await worker?.close();
  await pgc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a desk on a shared queue', () => {
  it('watches a hot folder saved in the queue; a worker decodes its files and the desk moves them on', async () => {
    const url = await pgc.createDatabase();
    const blobs = join(dir, 'blobs');
    const inbox = join(dir, 'inbox');
    const done = join(dir, 'done');
    for (const d of [blobs, inbox, done]) mkdirSync(d);
    // Another machine's folder, already in the queue: this desk cannot see it and leaves it alone.
    const sql = new pg.Client({ connectionString: url });
    worker = await openProfile({ dbPath: join(dir, 'worker', 'profile.db'), queue: url, blobs, engines: { include: ['local'], localJobs: 1 } });
    await sql.connect();
    try {
      await sql.query(`INSERT INTO hot_folders (path, plan_json) VALUES ('/elsewhere/inbox', '{"engine":"local","task":"codes"}')`);

      host = await startHost({ dbPath: join(dir, 'desk', 'profile.db'), rendererDir: join(dir, 'no-renderer') });
      const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie: await sessionCookie(host) });
      if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
      client = new WsClient(opened.ws);
      await ok(client.invoke('sharedQueue.save', { url, blobs }));
      await expect.poll(async () => (await ok<{ state: string }>(client.invoke('sharedQueue.status', {}))).state, { timeout: 30_000 }).toBe('connected');
      await ok(client.invoke('sharedQueue.show', { source: 'shared' }));

      const saved = await ok<{ id: number; path: string; live: boolean }>(client.invoke('hotFolders.save', { path: inbox, doneDir: done, failedDir: null }));
      expect(saved.path).toBe(inbox);
      // In the queue, watched by this desk (the host's process); the other machine's folder is not.
      const owners = async () => (await sql.query(`SELECT path, owner FROM hot_folders ORDER BY id`)).rows as Array<{ path: string; owner: string | null }>;
      await expect.poll(async () => (await owners()).map((r) => [r.path, r.owner !== null]), { timeout: 30_000 }).toEqual([
        ['/elsewhere/inbox', false],
        [inbox, true],
      ]);
      expect((await owners())[1]!.owner).toMatch(new RegExp(`:${process.pid}$`));

      copyFileSync(Z + 'ean13-1/1.png', join(inbox, 'parcel.png'));
      // The worker decodes it from the blob store; the desk moves it on and its page follows.
      await expect.poll(() => existsSync(join(done, 'parcel.png')), { timeout: 120_000 }).toBe(true);
      const batches = await ok<Array<{ id: number; name: string }>>(client.invoke('batches.list', {}));
      const batch = batches.find((b) => b.name === 'Hot folder inbox')!;
      const { items } = await ok<{ items: Array<{ path: string; status: string; detectionCount: number }> }>(client.invoke('items.list', { batchId: batch.id }));
      expect(items).toMatchObject([{ path: join(done, 'parcel.png'), status: 'done' }]);
      expect(items[0]!.detectionCount).toBeGreaterThan(0);
      const folders = await ok<Array<{ path: string; live: boolean; files: { done: number } }>>(client.invoke('hotFolders.list', {}));
      expect(folders.find((f) => f.path === inbox)).toMatchObject({ live: true, files: { done: 1 } });
    } finally {
      await sql.end();
    }
  });
});
