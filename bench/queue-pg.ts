/**
 * The shared queue on PostgreSQL (issue 7, `npm run bench -- queue-pg`), on a throwaway local
 * cluster (tests/support/postgres.ts; fsync off, as in the tests):
 * 1. Queue overhead per page: the runner's path per job (claim with its cache lookup, the mark
 *    that its decode started, finish with that page's real detections, then the service's settle
 *    look beside the next claim, as the runner does) against the local engine's cost per image (real decodes of real sample
 *    images), measured in interleaved rounds so that both see the same machine load. Target <= 2%.
 * 2. Claim throughput: jobs claimed and finished per second by 8 connections at once on empty
 *    work (SKIP LOCKED claims, fenced finishes, items derived), printed as a figure, beside the
 *    design prototype's bare two-statement loop on the same cluster (what the product adds).
 * 3. Vendor throughput of 1, 2 and 4 worker processes sharing one rate limit
 *    (queue-pg-workers.ts; run `npm run build` first: the workers are the built CLI).
 *
 * Run alone: node --import tsx bench/queue-pg.ts
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { RecognizeResult } from '../electron/core/engines/engine';
import { LocalEngine } from '../electron/core/engines/local';
import { expandPaths } from '../electron/core/intake';
import type { IntakeItem } from '../electron/core/intake/types';
import { PgStore } from '../electron/core/store/pg-store';
import { startPostgres } from '../tests/support/postgres';
import { images } from './queue';
import { vendorWorkerRows } from './queue-pg-workers';
import type { Bench } from './types';

const JOBS = 2000;
const ROUNDS = 4;
const CLAIM_JOBS = 4000;
const CONNECTIONS = 8;
const load = () => `load average ${loadavg()[0]!.toFixed(1)}`;

/**
 * The design prototype's loop, as the baseline for claim throughput: a bare jobs table, a
 * SKIP LOCKED claim and a fenced finish, two statements per job, nothing else (no items, no
 * results, no batch, no notifications). What the product adds per job shows as the ratio.
 */
async function bareClaims(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
  try {
    await pool.query(`CREATE TABLE bare (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status text NOT NULL, allocation_id text);
                      CREATE INDEX bare_pending ON bare(id) WHERE status = 'pending';
                      INSERT INTO bare (status) SELECT 'pending' FROM generate_series(1, ${CLAIM_JOBS})`);
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        for (let n = 0; ; n++) {
          const alloc = `w${w}-${n}`;
          const r = await pool.query(
            `UPDATE bare SET status = 'running', allocation_id = $1
             WHERE id = (SELECT id FROM bare WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id`,
            [alloc],
          );
          if (r.rowCount === 0) return;
          const f = await pool.query(`UPDATE bare SET status = 'done' WHERE id = $1 AND allocation_id = $2 AND status = 'running'`, [r.rows[0].id, alloc]);
          if (f.rowCount !== 1) throw new Error('bare finish refused');
          done++;
        }
      }),
    );
    if (done !== CLAIM_JOBS) throw new Error(`bare: claimed ${done} of ${CLAIM_JOBS}`);
    return done / ((performance.now() - t0) / 1000);
  } finally {
    await pool.end();
  }
}

function fakeItems(base: IntakeItem[], n: number, tag: string): IntakeItem[] {
  return Array.from({ length: n }, (_, i) => {
    const src = base[i % base.length]!;
    return { ...src, path: `${src.path}#${tag}${i}`, sha256: `${src.sha256}-${tag}${i}` };
  });
}

export const run: Bench = async () => {
  const cluster = await startPostgres();
  const engine = new LocalEngine();
  try {
    // 1. The work (real decodes, one at a time) and 2. the queue's cost per job on PostgreSQL
    // (one worker), in interleaved rounds so that both sides see the same machine load.
    const { items } = await expandPaths(images());
    const pages = items.filter((i) => i.error === null && i.format && i.sha256);
    const decode = (p: IntakeItem) => engine.recognize({ source: { path: p.path, page: p.page, format: p.format!, sha256: p.sha256! }, task: 'codes' });
    const results: RecognizeResult[] = [];
    for (const p of pages) results.push(await decode(p)); // warms the workers; the results the queue stores
    const store = await PgStore.open(await cluster.createDatabase(), { max: CONNECTIONS });
    const plan = { engine: 'local' as const, task: 'codes' as const };
    const tInsert = performance.now();
    await store.createBatch({ name: 'bench', plan, createdAt: new Date().toISOString(), items: fakeItems(pages, JOBS, 'a'), skipped: [] });
    const insertMs = (performance.now() - tInsert) / JOBS;
    const lease = { leaseMs: 30_000, owner: 'bench:1' };
    let decodeTotal = 0;
    let queueTotal = 0;
    let i = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now();
      for (const p of pages) await decode(p);
      decodeTotal += performance.now() - t0;
      const t1 = performance.now();
      const end = ((round + 1) * JOBS) / ROUNDS;
      let job = await store.claim('local', lease);
      while (job) {
        const key = { sha256: job.sha256, page: job.page, engine: job.engine, task: job.task, optionsKey: '{}' };
        // As the runner: the claim looked the cache up already when the store does that.
        const cached = job.cachedResultId !== undefined ? job.cachedResultId : await store.findCached(key);
        if (cached !== null) throw new Error('unexpected cache hit');
        // As the runner right before it calls the engine: the crash quarantine's mark.
        if (!(await store.startDecode(job))) throw new Error('decode start refused');
        if (!(await store.finish(job, { fresh: results[i % results.length]! }, key)).ok) throw new Error('finish refused');
        // As the runner after every page: the service's settle look and the next claim, at once.
        const settled = store.changeBatch(job.batchId, { action: 'settle', holdOpen: false });
        job = ++i < end ? await store.claim('local', lease) : null;
        await settled;
        if (i < end && !job) throw new Error(`no job to claim at ${i}`);
      }
      queueTotal += performance.now() - t1;
    }
    const decodeMs = decodeTotal / (ROUNDS * pages.length);
    const queueMs = queueTotal / JOBS;
    if ((await store.getBatch((await store.runningBatchIds())[0] ?? -1).catch(() => null)) !== null) throw new Error('the batch did not settle');

    // 3. Claim throughput: 8 connections claiming and finishing empty work at once.
    await store.createBatch({ name: 'claims', plan, createdAt: new Date().toISOString(), items: fakeItems(pages, CLAIM_JOBS, 'b'), skipped: [] });
    const empty = (sha: string): RecognizeResult => ({ detections: [], pageWidth: 100, pageHeight: 100, decodedSha256: sha, engineVersion: 'bench' });
    let done = 0;
    const t2 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        for (let job = await store.claim('local', { leaseMs: 30_000, owner: `bench:w${w}` }); job; job = await store.claim('local', { leaseMs: 30_000, owner: `bench:w${w}` })) {
          const key = { sha256: job.sha256, page: job.page, engine: job.engine, task: job.task, optionsKey: '{}' };
          if (!(await store.finish(job, { fresh: empty(job.sha256) }, key)).ok) throw new Error('finish refused');
          done++;
        }
      }),
    );
    const perSecond = done / ((performance.now() - t2) / 1000);
    await store.close();
    if (done !== CLAIM_JOBS) throw new Error(`claimed ${done} of ${CLAIM_JOBS}`);
    const bare = await bareClaims(await cluster.createDatabase());

    const ratio = queueMs / decodeMs;
    const vendorRows = await vendorWorkerRows(cluster);
    return [
      {
        name: 'queue-pg: cost per job / local decode per image',
        value: ratio,
        unit: 'x',
        target: '<= 0.02',
        ok: ratio <= 0.02,
        detail: `queue ${queueMs.toFixed(3)} ms/job (claim with cache lookup, finish, then the settle look beside the next claim as the runner does; ${JOBS} jobs, one worker); decode ${decodeMs.toFixed(1)} ms/image (${pages.length} real images x ${ROUNDS}, interleaved with the queue's rounds); batch insert ${(insertMs * 1000).toFixed(1)} us/page; ${load()}`,
      },
      {
        name: `queue-pg: jobs claimed+finished per second, ${CONNECTIONS} connections`,
        value: perSecond,
        unit: 'jobs/s',
        detail: `${CLAIM_JOBS} jobs on empty work; every job claimed exactly once; ${load()}`,
      },
      {
        name: `queue-pg: the same / bare SKIP LOCKED claim+finish (prototype)`,
        value: perSecond / bare,
        unit: 'x',
        detail: `bare: ${bare.toFixed(0)} jobs/s (one table, two statements per job, ${CONNECTIONS} connections, same cluster); ${load()}`,
      },
      ...vendorRows,
    ];
  } finally {
    await engine.close();
    await cluster.stop();
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(4)}${r.unit === 'x' ? 'x' : ` ${r.unit}`}${r.target ? ` (target ${r.target}, ${r.ok ? 'ok' : 'BELOW TARGET'})` : ''}\n  ${r.detail}`);
}
