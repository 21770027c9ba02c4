import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES, startCli, waitFor } from './helpers';

/** `scandesk watch` as a person runs it: start, drop a real photo in, see it decoded and moved, Ctrl-C. */
const tmp = mkdtempSync(join(tmpdir(), 'scandesk-cli-watch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scandesk watch', { timeout: 180_000 }, () => {
  it('feeds a continuous batch from the folder, moves processed files to --done, and stops on Ctrl-C', async () => {
    const inbox = join(tmp, 'inbox');
    mkdirSync(inbox);
    const db = join(tmp, 'w.sqlite');
    const { child, done } = startCli(['watch', inbox, '--db', db, '--done', join(tmp, 'done'), '--failed', join(tmp, 'failed'), '--jobs', '1', '--stability', '300']);
    let out = '';
    let err = '';
    child.stdout!.on('data', (s: string) => (out += s));
    child.stderr!.on('data', (s: string) => (err += s));
    await waitFor(() => err.includes('Watching'), 90_000, 'the watcher to start');
    expect(err).toContain(`Created the folder ${join(tmp, 'done')} (--done).`);
    copyFileSync(join(SAMPLES, 'zxing/ean13-1/1.png'), join(inbox, 'parcel.png'));
    await waitFor(() => /done\s+parcel\.png -> /.test(out), 90_000, 'the file to be processed');
    expect(out).toMatch(/added\s+parcel\.png \(1 page\)/);
    expect(existsSync(join(tmp, 'done', 'parcel.png'))).toBe(true);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(0);
    expect(out).toMatch(/Batch \d+ "Hot folder inbox": 1 pages, 1 done, 0 failed, \d+ codes; files: 1 done, 0 failed, 0 gone, 0 waiting\./);
    // The batch is in the database for the app to show, settled now that nobody watches.
    const raw = new Database(db, { readonly: true });
    const rows = raw.prepare(`SELECT b.status, i.path FROM batches b JOIN items i ON i.batch_id = b.id`).all();
    raw.close();
    expect(rows).toEqual([{ status: 'done', path: join(tmp, 'done', 'parcel.png') }]);
  });
});
