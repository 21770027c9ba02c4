import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgCluster } from '../support/postgres';
import { SAMPLES, copySamples, logLines, runCli, startCli, waitFor } from './helpers';

/**
 * Headless workers on one shared PostgreSQL queue, as separate processes (the real CLI): a
 * batch submitted with `scan --queue --submit-only`, two `scandesk worker` processes, one of
 * them killed (SIGKILL) while it holds a page. Every page ends done exactly once (one stored
 * result each), the killed worker's page is taken over (its lease counted lost), and the
 * results equal a single-desk run of the same files.
 */
let tmp: string;
let cluster: PgCluster;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pg-workers-'));
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function items(jsonFile: string): Array<{ path: string; status: string; codes: string[] }> {
  const out = JSON.parse(readFileSync(jsonFile, 'utf8')) as { items: Array<{ path: string; status: string; detections: Array<{ text: string }> }> };
  return out.items.map((i) => ({ path: i.path, status: i.status, codes: i.detections.map((d) => d.text).sort() })).sort((a, b) => a.path.localeCompare(b.path));
}

describe('scandesk worker on a shared PostgreSQL queue', () => {
  it('two workers finish a batch, one killed mid-page: no page lost, none done twice, same results as one desk', async () => {
    const url = await cluster.createDatabase();
    const input = join(tmp, 'in');
    mkdirSync(input);
    const files = readdirSync(join(SAMPLES, 'zxing/ean13-1'))
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .slice(0, 16);
    copySamples(input, files.map((f) => ({ from: `zxing/ean13-1/${f}`, to: f })));
    const profile = join(tmp, 'profile.sqlite');

    const init = await runCli(['queue', 'init', url]);
    expect(init.code, init.stderr).toBe(0);
    const sub = await runCli(['scan', input, '--queue', url, '--submit-only', '--db', profile]);
    expect(sub.code, sub.stderr).toBe(0);
    const batchId = Number(/Batch (\d+) is in/.exec(sub.stdout)?.[1]);
    expect(batchId).toBeGreaterThan(0);

    const log1 = join(tmp, 'w1.log');
    const log2 = join(tmp, 'w2.log');
    const worker = (log: string) =>
      startCli(['worker', '--queue', url, '--jobs', '1', '--lease-seconds', '3', '--db', profile], { SCANDESK_DECODE_LOG: log });
    const w1 = worker(log1);
    const w2 = worker(log2);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      // A page worker 1 holds and has started decoding (only such a loss counts toward the crash quarantine).
      const held = async (pid: number) =>
        (await db.query(`SELECT id FROM jobs WHERE status = 'running' AND decode_started_by = allocation_id AND lease_owner LIKE '%:' || $1::text`, [pid]))
          .rows as Array<{ id: string }>;
      // Both at work; then freeze worker 1 while it holds a page, and kill it.
      await waitFor(() => logLines(log1).length >= 2 && logLines(log2).length >= 1, 120_000, 'both workers to decode pages');
      // A statement a worker sent just before it was stopped still completes on the server (a
      // finish in flight would make its page done, not lost): with both workers stopped, wait
      // until no statement of theirs is running, and only then read what worker 1 holds.
      const settled = async () => {
        for (let i = 0; i < 100; i++) {
          const active = await db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
          );
          if ((active.rows[0] as { n: number }).n === 0) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      let taken: string | undefined;
      for (let i = 0; i < 200 && taken === undefined; i++) {
        w1.child.kill('SIGSTOP');
        w2.child.kill('SIGSTOP');
        await settled();
        taken = (await held(w1.child.pid!))[0]?.id;
        w2.child.kill('SIGCONT');
        if (taken === undefined) {
          w1.child.kill('SIGCONT');
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(taken, 'worker 1 holding a page').toBeDefined();
      w1.child.kill('SIGKILL');
      expect((await w1.done).signal).toBe('SIGKILL');

      // Worker 2 sees worker 1's process gone (same machine) and takes its page over.
      let status = '';
      const until = Date.now() + 180_000;
      while (status !== 'done') {
        if (Date.now() > until) throw new Error(`batch not done: ${status}; worker 2 said: ${await Promise.race([w2.done.then((r) => r.stderr), Promise.resolve('(running)')])}`);
        status = (await db.query(`SELECT status FROM batches WHERE id = $1`, [batchId])).rows[0].status as string;
        if (status !== 'done') await new Promise((r) => setTimeout(r, 200));
      }
      w2.child.kill('SIGTERM');
      const r2 = await w2.done;
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stderr).toContain('Stopped.');

      // Each page: done, one job, one stored result; the killed worker's page was taken over.
      const pages = (
        await db.query(
          `SELECT i.status, (SELECT count(*) FROM jobs j WHERE j.item_id = i.id) AS jobs, (SELECT count(*) FROM results r WHERE r.item_id = i.id) AS results
           FROM items i WHERE i.batch_id = $1`,
          [batchId],
        )
      ).rows as Array<{ status: string; jobs: string; results: string }>;
      expect(pages).toHaveLength(files.length);
      expect(pages.every((p) => p.status === 'done' && Number(p.jobs) === 1 && Number(p.results) === 1)).toBe(true);
      const lost = (await db.query(`SELECT status, lease_losses FROM jobs WHERE id = $1`, [taken])).rows[0] as { status: string; lease_losses: number };
      expect(lost).toEqual({ status: 'done', lease_losses: 1 });
      // Decoded at least once each; only the page the killed worker held may have been decoded twice.
      const decoded = [...logLines(log1), ...logLines(log2)].map((l) => l.split('\t')[1]!);
      expect(new Set(decoded)).toEqual(new Set(files.map((f) => join(input, f))));
      expect(decoded.length - new Set(decoded).size).toBeLessThanOrEqual(1);
      expect(logLines(log2).length).toBeGreaterThan(0);
    } finally {
      await db.end();
      for (const w of [w1, w2]) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    }

    // The same batch exported from the queue equals one desk's run of the same files.
    const fromQueue = await runCli(['scan', input, '--queue', url, '--out', join(tmp, 'queue.json'), '--db', profile, '--jobs', '1']);
    expect(fromQueue.code, fromQueue.stderr).toBe(0);
    expect(fromQueue.stderr).toContain('already finished');
    const single = await runCli(['scan', input, '--out', join(tmp, 'single.json'), '--db', join(tmp, 'single.sqlite'), '--jobs', '1']);
    expect(single.code, single.stderr).toBe(0);
    expect(items(join(tmp, 'queue.json'))).toEqual(items(join(tmp, 'single.json')));

    const status = await runCli(['queue', 'status', url, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const st = JSON.parse(status.stdout) as { batches: Array<{ id: number; status: string; counts: { done: number } }>; workers: unknown[] };
    expect(st.batches.find((b) => b.id === batchId)).toMatchObject({ status: 'done', counts: { done: files.length } });
    expect(st.workers).toEqual([]);
  }, 420_000);
});
