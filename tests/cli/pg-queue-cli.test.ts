import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobPath } from '../../electron/core/queue/blobs';
import { findSecrets } from '../integration/support/find-secrets';
import { BUCKET, CREDENTIAL_ENV, CREDS, OSS_REGION, startEmulators, type Emulators } from '../integration/support/vendors';
import { postgresBinDir, startPostgres, type PgCluster } from '../support/postgres';
import { sampleImages } from '../queue/support/samples';
import { copySamples, runCli, startCli } from './helpers';

/**
 * Issue 7's command line on a real PostgreSQL, each command as the issue words it:
 * - `queue init <url> --blobs <dir>` records the blob root; `scan --queue --submit-only` copies
 *   the files there;
 * - a headless `worker --queue --engines tencent,wechat,alioss` takes each vendor's credentials
 *   from the environment (TENCENTCLOUD_SECRET_ID/KEY, SCANDESK_WECHAT_APPID/SECRET,
 *   OSS_ACCESS_KEY_ID/SECRET; no keychain, no D-Bus) against the vendors' emulators, and no
 *   secret reaches the database (a pg_dump of it), the profiles or any output;
 * - `status --queue [--batch ID] [--json]` and `export --queue --batch ID --out FILE`;
 * - SIGTERM finishes the pages a worker has in hand (they end done by it, not lost), then
 *   `scan --queue --out` with the same paths resumes that same batch, works on it with this
 *   machine's decoder and exports it.
 */
let tmp: string;
let cluster: PgCluster;
let emu: Emulators;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pg-cli-'));
  cluster = await startPostgres();
  emu = await startEmulators();
}, 60_000);
afterAll(async () => {
  await emu?.close();
  await cluster?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function waitForBatch(db: pg.Client, batchId: number, done: (status: string) => boolean, what: string): Promise<string> {
  const until = Date.now() + 180_000;
  for (;;) {
    const status = (await db.query(`SELECT status FROM batches WHERE id = $1`, [batchId])).rows[0]?.status as string;
    if (done(status)) return status;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (batch ${batchId} is ${status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function jsonItems(file: string): Array<{ path: string; status: string; detections: Array<{ text: string; engine: string }> }> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { items: Array<{ path: string; status: string; detections: Array<{ text: string; engine: string }> }> }).items;
}

describe('the shared queue from the command line', () => {
  it('init --blobs, submit, a worker for three vendors with credentials from the environment, status and export', async () => {
    const url = await cluster.createDatabase();
    const blobs = join(tmp, 'blobs');
    const init = await runCli(['queue', 'init', url, '--blobs', blobs]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`Submitted files are copied to ${blobs}`);

    const pages = join(tmp, 'vendor-pages');
    mkdirSync(pages);
    const expected = copySamples(pages, [
      { from: 'zxing/qrcode-2/10.png', to: 'qr.png' },
      { from: 'zxing/qrcode-2/2.png', to: 'qr2.png' },
    ]);
    // The submitting desk has no credentials: it only submits (one batch per vendor).
    for (const dir of ['desk', 'worker']) {
      mkdirSync(join(tmp, dir), { recursive: true });
      writeFileSync(join(tmp, dir, 'vendor-settings.json'), JSON.stringify({ alioss: { bucket: BUCKET, region: OSS_REGION } }));
    }
    const submit = (engine: string) => runCli(['scan', pages, '--queue', url, '--submit-only', '--engine', engine, '--yes', '--db', join(tmp, 'desk', 'p.sqlite')], emu.env);
    const sub = await submit('tencent');
    expect(sub.code, sub.stderr).toBe(0);
    const batchId = Number(/Batch (\d+) is in/.exec(sub.stdout)?.[1]);
    expect(batchId).toBeGreaterThan(0);
    for (const f of expected.keys()) expect(existsSync(blobPath(blobs, sha256(f)))).toBe(true);
    const others = new Map<string, number>();
    for (const engine of ['wechat', 'alioss']) {
      const r = await submit(engine);
      expect(r.code, r.stderr).toBe(0);
      others.set(engine, Number(/Batch (\d+) is in/.exec(r.stdout)?.[1]));
    }

    const empty = await runCli(['status', '--queue', url, '--batch', String(batchId), '--json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ batch: { id: batchId, status: 'running', plan: { engine: 'tencent' }, counts: { total: 2, done: 0 } }, failed: [] });

    // A headless worker: no session bus, so no keychain; Tencent's keys from the environment.
    const workerEnv = { ...emu.env, ...CREDENTIAL_ENV, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmp, 'no-such-bus')}`, HOME: tmp };
    const worker = startCli(['worker', '--queue', url, '--engines', 'tencent,wechat,alioss', '--jobs', '1', '--db', join(tmp, 'worker', 'p.sqlite')], workerEnv);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      for (const id of [batchId, ...others.values()]) expect(await waitForBatch(db, id, (s) => s !== 'running', 'the vendor worker')).toBe('done');
    } finally {
      await db.end();
      worker.child.kill('SIGTERM');
    }
    const w = await worker.done;
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toContain('tencent');
    expect(w.stderr).toContain('Stopped. 6 pages decoded here.');

    const status = await runCli(['status', '--queue', url, '--batch', String(batchId)]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`Batch ${batchId} in the shared queue`);
    expect(status.stdout).toMatch(/2 done, 0 to do, 0 failed/);
    const all = await runCli(['status', '--queue', url, '--json']);
    const listed = JSON.parse(all.stdout) as { batches: Array<{ id: number; status: string }>; workers: unknown[] };
    expect(listed.batches.map((b) => [b.id, b.status]).sort()).toEqual([batchId, ...others.values()].map((id) => [id, 'done']).sort());
    expect(listed.workers).toEqual([]);
    const missing = await runCli(['status', '--queue', url, '--batch', '999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no batch 999');

    const out = join(tmp, 'vendor.json');
    const exported = await runCli(['export', '--queue', url, '--batch', String(batchId), '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`Wrote 2 codes on 2 pages of batch ${batchId}`);
    const items = jsonItems(out);
    for (const [path, text] of expected) {
      expect(items.find((i) => i.path === path)?.detections).toEqual([expect.objectContaining({ text, engine: 'tencent' })]);
    }
    for (const [engine, id] of others) {
      const file = join(tmp, `${engine}.json`);
      const r = await runCli(['export', '--queue', url, '--batch', String(id), '--out', file]);
      expect(r.code, r.stderr).toBe(0);
      for (const [path, text] of expected) {
        expect(jsonItems(file).find((i) => i.path === path)?.detections, `${engine} ${path}`).toEqual([expect.objectContaining({ text, engine })]);
      }
    }
    const bad = await runCli(['export', '--queue', url, '--batch', String(batchId), '--out', join(tmp, 'x.txt')]);
    expect(bad.code).toBe(2);

    // The keys went to the emulator only: not into the database, the outputs or any message.
    const dump = spawnSync(join(postgresBinDir(), 'pg_dump'), ['--data-only', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('tencent');
    const texts = { dump: dump.stdout, worker: w.stdout + w.stderr, submit: sub.stdout + sub.stderr, status: status.stdout + all.stdout, export: exported.stdout };
    const secrets = {
      tencentId: CREDS.tencent.secretId,
      tencentKey: CREDS.tencent.secretKey,
      wechatSecret: CREDS.wechat.appSecret,
      ossId: CREDS.alioss.accessKeyId,
      ossSecret: CREDS.alioss.accessKeySecret,
    };
    expect(findSecrets({ secrets, texts, files: [out, join(tmp, 'wechat.json'), join(tmp, 'alioss.json')], dirs: [join(tmp, 'worker'), join(tmp, 'desk'), blobs] })).toEqual([]);
  }, 300_000);

  it('SIGTERM finishes the pages in hand; scan --queue --out resumes the same batch and exports it', async () => {
    const url = await cluster.createDatabase();
    expect((await runCli(['queue', 'init', url])).code).toBe(0);
    const pages = join(tmp, 'local-pages');
    mkdirSync(pages);
    const files = sampleImages('zxing/qrcode-2', 10);
    const names = files.map((f) => basename(f));
    for (const f of files) copyFileSync(f, join(pages, basename(f)));
    const profile = join(tmp, 'station', 'p.sqlite');
    const sub = await runCli(['scan', pages, '--queue', url, '--submit-only', '--db', profile]);
    expect(sub.code, sub.stderr).toBe(0);
    const batchId = Number(/Batch (\d+) is in/.exec(sub.stdout)?.[1]);

    const worker = startCli(['worker', '--queue', url, '--jobs', '1', '--db', join(tmp, 'w', 'p.sqlite')]);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      // Freeze the worker while it is decoding a page (a started decode), and read what it holds.
      const pid = worker.child.pid!;
      let held: string[] = [];
      for (let i = 0; i < 400 && held.length === 0; i++) {
        worker.child.kill('SIGSTOP');
        await idle(db);
        held = (
          await db.query(
            `SELECT id FROM jobs WHERE status = 'running' AND decode_started_by = allocation_id AND lease_owner LIKE '%:' || $1::text`,
            [pid],
          )
        ).rows.map((r: { id: string }) => r.id);
        if (held.length === 0) {
          worker.child.kill('SIGCONT');
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      expect(held.length, 'the worker holding a page it is decoding').toBeGreaterThan(0);
      const doneBefore = Number((await db.query(`SELECT count(*) FROM jobs WHERE batch_id = $1 AND status = 'done'`, [batchId])).rows[0].count);
      // SIGTERM while frozen: it is handled the moment the worker runs again.
      worker.child.kill('SIGTERM');
      worker.child.kill('SIGCONT');
      const w = await worker.done;
      expect(w.code, w.stderr).toBe(0);
      expect(w.stderr).toContain('finishing the pages in hand');
      const after = (await db.query(`SELECT id, status, lease_losses FROM jobs WHERE id = ANY($1::bigint[])`, [held])).rows;
      expect(after).toEqual(held.map((id) => ({ id, status: 'done', lease_losses: 0 })));
      const counts = (await db.query(`SELECT status, count(*)::int AS n FROM jobs WHERE batch_id = $1 GROUP BY status ORDER BY status`, [batchId])).rows;
      // Nothing left held, nothing claimed after the signal: the rest waits for the next worker.
      expect(counts.find((c: { status: string }) => c.status === 'running')).toBeUndefined();
      const done = counts.find((c: { status: string }) => c.status === 'done')?.n ?? 0;
      expect(done).toBe(doneBefore + held.length);
      expect(done).toBeLessThan(names.length);
    } finally {
      await db.end();
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    }

    // The same command from the same profile finds the same batch, finishes it here, exports it.
    const out = join(tmp, 'resumed.json');
    const resumed = await runCli(['scan', pages, '--queue', url, '--out', out, '--db', profile, '--jobs', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('already finished');
    const all = await runCli(['status', '--queue', url, '--json']);
    expect(JSON.parse(all.stdout).batches).toEqual([expect.objectContaining({ id: batchId, status: 'done', counts: expect.objectContaining({ total: 10, done: 10 }) })]);
    const items = jsonItems(out);
    expect(items.map((i) => i.path).sort()).toEqual(names.map((n) => join(pages, n)).sort());
    expect(items.every((i) => i.status === 'done')).toBe(true);
    expect(items.filter((i) => i.detections.length > 0).length).toBeGreaterThan(0);
  }, 300_000);
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Until no statement of another session runs (one a frozen process sent before it stopped completes on the server). */
async function idle(db: pg.Client): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`);
    if ((r.rows[0] as { n: number }).n === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
