import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgCluster } from '../support/postgres';
import { SAMPLES, runCli, startCli, waitFor } from './helpers';

/**
 * `scandesk watch --queue`: a hot folder feeding a shared PostgreSQL queue, as separate
 * processes of the real CLI. Files dropped in are copied to the blob store, decoded and moved
 * to --done; a second process on the same folder is refused while the first watches; after the
 * first stops, a new process takes the folder over and adds only the file dropped meanwhile.
 */
let tmp: string;
let cluster: PgCluster;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pg-watch-'));
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function watch(args: string[]) {
  const run = startCli(['watch', ...args]);
  const io = { out: '', err: '' };
  run.child.stdout!.on('data', (s: string) => (io.out += s));
  run.child.stderr!.on('data', (s: string) => (io.err += s));
  return { ...run, io };
}

describe('scandesk watch --queue', { timeout: 240_000 }, () => {
  it('feeds the shared queue from a folder, one watcher at a time, each file once', async () => {
    const url = await cluster.createDatabase();
    const inbox = join(tmp, 'inbox');
    const blobs = join(tmp, 'blobs');
    mkdirSync(inbox);
    mkdirSync(blobs);
    expect((await runCli(['queue', 'init', url, '--blobs', blobs])).code).toBe(0);
    const args = [inbox, '--queue', url, '--done', join(tmp, 'done'), '--jobs', '1', '--stability', '300'];

    const first = watch([...args, '--db', join(tmp, 'a.sqlite')]);
    await waitFor(() => first.io.err.includes('Watching'), 90_000, 'the first watcher to start');
    expect(first.io.err).toContain(`in the shared queue ${url}`);
    const second = await runCli(['watch', ...args, '--db', join(tmp, 'b.sqlite')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`${inbox.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is already being watched by .+:${first.child.pid}`));

    copyFileSync(join(SAMPLES, 'zxing/ean13-1/1.png'), join(inbox, 'parcel-1.png'));
    copyFileSync(join(SAMPLES, 'zxing/ean13-1/2.png'), join(inbox, 'parcel-2.png'));
    await waitFor(() => /done\s+parcel-1\.png -> /.test(first.io.out) && /done\s+parcel-2\.png -> /.test(first.io.out), 120_000, 'both files to be processed');
    expect(readdirSync(blobs).length).toBeGreaterThan(0);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(0);
    expect(first.io.out).toMatch(/Batch \d+ "Hot folder inbox": 2 pages, 2 done, 0 failed, \d+ codes; files: 2 done, 0 failed, 0 gone, 0 waiting\./);

    // Dropped while nobody watches: the next watcher (another profile, same queue) adds only it, to the same batch.
    copyFileSync(join(SAMPLES, 'zxing/ean13-1/3.png'), join(inbox, 'parcel-3.png'));
    const third = watch([...args, '--db', join(tmp, 'c.sqlite')]);
    await waitFor(() => /done\s+parcel-3\.png -> /.test(third.io.out), 120_000, 'the file dropped meanwhile to be processed');
    third.child.kill('SIGINT');
    expect((await third.done).code).toBe(0);
    expect(third.io.out).not.toMatch(/added\s+parcel-[12]/);
    expect(existsSync(join(tmp, 'done', 'parcel-3.png'))).toBe(true);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const rows = (await db.query(`SELECT b.status, i.path FROM batches b JOIN items i ON i.batch_id = b.id ORDER BY i.path`)).rows;
      expect(rows).toEqual(['parcel-1.png', 'parcel-2.png', 'parcel-3.png'].map((n) => ({ status: 'done', path: join(tmp, 'done', n) })));
      expect((await db.query(`SELECT state, count(*)::int AS n FROM hot_folder_files GROUP BY state`)).rows).toEqual([{ state: 'done', n: 3 }]);
    } finally {
      await db.end();
    }
  });
});
