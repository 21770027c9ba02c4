import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { startPostgres, type PgCluster } from '../support/postgres';
import { SAMPLES, copySamples, runCli, startCli } from './helpers';

/**
 * Two `scandesk worker` processes sending one batch to the Tencent emulator through a shared
 * PostgreSQL queue: the account's rate limit, a 429 and an auth failure hold for both together
 * (one bucket per vendor operation in the database, limits/shared-rate.ts).
 *
 * The pages are small real images (a few KB), so that preparing and decoding them costs little
 * CPU next to the slot interval: the workers always have a page ready when a slot comes, even on
 * a loaded machine, and the figures measure the limiter, not the machine. Rates come from the
 * emulator's own arrival log.
 */
const SECRET_ID = 'AKIDqueueTwoWorkersTest0000EXAMPLE';
const SECRET_KEY = 'queueTwoWorkersSecretKey000EXAMPLE';

let tmp: string;
let cluster: PgCluster;
let emu: TencentEmulator;

/** Every real sample image under 8 KB, in a stable order (distinct bytes: one call each). */
function smallImages(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(join(SAMPLES, 'zxing')).sort()) {
    const full = join(SAMPLES, 'zxing', dir);
    if (!statSync(full).isDirectory()) continue;
    for (const f of readdirSync(full).sort()) if (/\.(png|jpe?g)$/i.test(f) && statSync(join(full, f)).size < 8192) out.push(`zxing/${dir}/${f}`);
  }
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pg-vendor-workers-'));
  cluster = await startPostgres();
  emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 5 } });
});
afterAll(async () => {
  await emu?.close();
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  db: pg.Client;
  batchId: number;
  /** Lease owners seen holding pages of the batch. */
  owners(): Promise<string[]>;
  /** Waits until no page of the batch is pending or running any more. */
  settled(): Promise<void>;
  jobs(): Promise<Array<{ status: string; error_code: string | null; n: number }>>;
  stop(): Promise<void>;
}

/** Submits `pages` small images to a fresh queue and starts two workers on it at `rate` QrcodeOCR/s. */
async function twoWorkers(name: string, pages: number, rate: number): Promise<Run> {
  const url = await cluster.createDatabase();
  const dir = join(tmp, name);
  const input = join(dir, 'in');
  mkdirSync(input, { recursive: true });
  const files = smallImages().slice(0, pages);
  expect(files).toHaveLength(pages);
  copySamples(input, files.map((f) => ({ from: f, to: f.replace(/\//g, '_') })));
  const profile = join(dir, 'profile.sqlite');
  writeFileSync(join(dir, 'vendor-settings.json'), JSON.stringify({ tencent: { rateLimits: { QrcodeOCR: rate }, timeoutMs: 20_000 } }));
  const env = {
    SCANDESK_TENCENT_ENDPOINT: `http://127.0.0.1:${emu.port}`,
    TENCENTCLOUD_SECRET_ID: SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
  };
  const init = await runCli(['queue', 'init', url]);
  expect(init.code, init.stderr).toBe(0);
  const sub = await runCli(['scan', input, '--queue', url, '--submit-only', '--engine', 'tencent', '--yes', '--db', profile], env);
  expect(sub.code, sub.stderr).toBe(0);
  const batchId = Number(/Batch (\d+) is in/.exec(sub.stdout)?.[1]);
  expect(batchId).toBeGreaterThan(0);
  emu.resetStats();

  const workers = [0, 1].map(() => startCli(['worker', '--queue', url, '--engines', 'tencent', '--db', profile], env));
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const seen = new Set<string>();
  const owners = async () => {
    const r = await db.query(`SELECT DISTINCT lease_owner FROM jobs WHERE batch_id = $1 AND status = 'running'`, [batchId]);
    for (const o of r.rows) seen.add(o.lease_owner as string);
    return [...seen];
  };
  return {
    db,
    batchId,
    owners,
    async settled() {
      for (;;) {
        await owners();
        const r = await db.query(`SELECT count(*)::int AS n FROM jobs WHERE batch_id = $1 AND status IN ('pending', 'running')`, [batchId]);
        if (r.rows[0].n === 0) return;
        await new Promise((res) => setTimeout(res, 100));
      }
    },
    async jobs() {
      const r = await db.query(`SELECT status, error_code, count(*)::int AS n FROM jobs WHERE batch_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [batchId]);
      return r.rows as Array<{ status: string; error_code: string | null; n: number }>;
    },
    async stop() {
      await db.end();
      for (const w of workers) w.child.kill('SIGTERM');
      const ends = await Promise.all(workers.map((w) => w.done));
      for (const e of ends) expect(e.code, e.stderr).toBe(0);
    },
  };
}

/** Both workers hold pages of the batch (each claims up to the engine's concurrency). */
async function bothHoldPages(run: Run): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await run.owners()).length < 2) {
    if (Date.now() > until) throw new Error('timed out waiting for both workers to hold pages');
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('vendor calls from two workers on a shared queue', () => {
  it('stay under the account rate limit together, and use at least 0.9 of it', async () => {
    const RATE = 4; // configured requests/s; the emulator allows 5 (the account's real limit)
    const PAGES = 48; // about 12 s of calls at the rate
    const run = await twoWorkers('rate', PAGES, RATE);
    try {
      await run.settled();
      expect(await run.jobs()).toEqual([{ status: 'done', error_code: null, n: PAGES }]);
      expect(await run.owners()).toHaveLength(2);
    } finally {
      await run.stop();
    }
    // The emulator's own log: every QrcodeOCR request it received, when.
    const arrivals = emu.stats.arrivals;
    expect(emu.stats.errors['RequestLimitExceeded'] ?? 0).toBe(0);
    // One request per page (distinct bytes): nothing sent twice.
    expect(arrivals).toHaveLength(PAGES);
    const achieved = (arrivals.length - 1) / ((arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000);
    const gaps = arrivals.slice(1).map((a, i) => Math.round(a - arrivals[i]!));
    // (2% above: the arrival log is stamped when a request's body is in, a few ms after its slot.)
    expect(achieved, `gaps ${gaps.join(' ')}`).toBeLessThanOrEqual(RATE * 1.02);
    expect(achieved, `gaps ${gaps.join(' ')}`).toBeGreaterThanOrEqual(RATE * 0.9);
  }, 180_000);

  it('a 429 seen by one worker holds both: no request for the Retry-After that follows it', async () => {
    // A slot every 625 ms: the worker that did not hear the 429 has one reserved inside the
    // 1 s hold (early enough that, sent, it would arrive within it whatever the jitter), and the
    // one that heard it has 625 ms to record the hold before that slot comes.
    const RATE = 1.6;
    const run = await twoWorkers('429', 12, RATE);
    try {
      await bothHoldPages(run);
      // Both workers have calls waiting for their slots once a few went out.
      while (emu.stats.arrivals.length < 3) await new Promise((res) => setTimeout(res, 10));
      // The next request to arrive is answered RequestLimitExceeded (Tencent: retry after 1 s).
      emu.injectNext({ kind: 'error', code: 'RequestLimitExceeded' });
      const before = emu.stats.arrivals.length;
      await run.settled();
      const arrivals = emu.stats.arrivals;
      const gaps = `429 at arrival ${before}; gaps ${arrivals
        .slice(1)
        .map((a, i) => Math.round(a - arrivals[i]!))
        .join(' ')}`;
      expect(await run.jobs(), gaps).toEqual([{ status: 'done', error_code: null, n: 12 }]);
      expect(emu.stats.errors['RequestLimitExceeded'], gaps).toBe(1);
      expect(arrivals, gaps).toHaveLength(13); // the refused call was sent again
      // The worker that heard it holds the bucket from when it heard it: nobody sends for 1 s.
      expect(arrivals[before + 1]! - arrivals[before]!, gaps).toBeGreaterThanOrEqual(990);
    } finally {
      await run.stop();
    }
  }, 180_000);

  it('an auth failure seen by one worker stops the vendor for the batch on both', async () => {
    const RATE = 0.5; // a slot every 2 s: the stop is recorded long before the next slot
    const PAGES = 20;
    const run = await twoWorkers('auth', PAGES, RATE);
    try {
      await bothHoldPages(run);
      // The next request to arrive fails authentication; the account works again right after
      // (so any later call would succeed: only the shared stop keeps the workers from sending).
      emu.injectNext({ kind: 'error', code: 'AuthFailure.SecretIdNotFound' });
      const before = emu.stats.arrivals.length;
      await run.settled();
      expect(emu.stats.errors['AuthFailure.SecretIdNotFound']).toBe(1);
      // Exactly one request after the fault: the failing one. Both workers' pages in hand and
      // every page still waiting are blocked with the auth error, none sent.
      expect(emu.stats.arrivals).toHaveLength(before + 1);
      expect(await run.jobs()).toEqual([
        { status: 'blocked', error_code: 'VENDOR_AUTH', n: PAGES - before },
        ...(before > 0 ? [{ status: 'done', error_code: null, n: before }] : []),
      ]);
      expect(await run.owners()).toHaveLength(2);
    } finally {
      await run.stop();
    }
  }, 180_000);
});
