/**
 * The shared queue on PostgreSQL (issue 7, `npm run bench -- queue-pg`), on a throwaway local
 * cluster (tests/support/postgres.ts; fsync off, as in the tests):
 * 1. Queue overhead per page: the runner's path per job (cache lookup + claim + finish with that
 *    page's real detections, each its own transaction) against the local engine's cost per
 *    image (real decodes of real sample images), both measured in this run. Target <= 2%.
 * 2. Claim throughput: jobs claimed and finished per second by 8 connections at once on empty
 *    work (SKIP LOCKED claims, fenced finishes, items derived), printed as a figure.
 *
 * Run alone: node --import tsx bench/queue-pg.ts
 */
import { fileURLToPath } from 'node:url';
import type { RecognizeResult } from '../electron/core/engines/engine';
import { LocalEngine } from '../electron/core/engines/local';
import { expandPaths } from '../electron/core/intake';
import type { IntakeItem } from '../electron/core/intake/types';
import { PgStore } from '../electron/core/store/pg-store';
import { startPostgres } from '../tests/support/postgres';
import { images } from './queue';
import type { Bench } from './types';

const JOBS = 2000;
const CLAIM_JOBS = 4000;
const CONNECTIONS = 8;

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
    // 1. The work: real decodes, one at a time.
    const { items } = await expandPaths(images());
    const pages = items.filter((i) => i.error === null && i.format && i.sha256);
    const results: RecognizeResult[] = [];
    await engine.recognize({ source: { path: pages[0]!.path, page: 1, format: pages[0]!.format!, sha256: pages[0]!.sha256! }, task: 'codes' });
    const t0 = performance.now();
    for (const p of pages) {
      results.push(await engine.recognize({ source: { path: p.path, page: p.page, format: p.format!, sha256: p.sha256! }, task: 'codes' }));
    }
    const decodeMs = (performance.now() - t0) / pages.length;

    // 2. The queue's cost per job on PostgreSQL, one worker.
    const store = await PgStore.open(await cluster.createDatabase(), { max: CONNECTIONS });
    const plan = { engine: 'local' as const, task: 'codes' as const };
    const tInsert = performance.now();
    await store.createBatch({ name: 'bench', plan, createdAt: new Date().toISOString(), items: fakeItems(pages, JOBS, 'a'), skipped: [] });
    const insertMs = (performance.now() - tInsert) / JOBS;
    const lease = { leaseMs: 30_000, owner: 'bench:1' };
    const t1 = performance.now();
    for (let i = 0; i < JOBS; i++) {
      const job = await store.claim('local', lease);
      if (!job) throw new Error(`no job to claim at ${i}`);
      const key = { sha256: job.sha256, page: job.page, engine: job.engine, task: job.task, optionsKey: '{}' };
      if ((await store.findCached(key)) !== null) throw new Error('unexpected cache hit');
      if (!(await store.finish(job, { fresh: results[i % results.length]! }, key)).ok) throw new Error('finish refused');
    }
    const queueMs = (performance.now() - t1) / JOBS;

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

    const ratio = queueMs / decodeMs;
    return [
      {
        name: 'queue-pg: cost per job / local decode per image',
        value: ratio,
        unit: 'x',
        target: '<= 0.02',
        ok: ratio <= 0.02,
        detail: `queue ${queueMs.toFixed(3)} ms/job (cache lookup + claim + finish, ${JOBS} jobs, one connection); decode ${decodeMs.toFixed(1)} ms/image (${pages.length} real images); batch insert ${(insertMs * 1000).toFixed(1)} us/page`,
      },
      {
        name: `queue-pg: jobs claimed+finished per second, ${CONNECTIONS} connections`,
        value: perSecond,
        unit: 'jobs/s',
        detail: `${CLAIM_JOBS} jobs on empty work; every job claimed exactly once`,
      },
    ];
  } finally {
    await engine.close();
    await cluster.stop();
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(4)}${r.unit === 'x' ? 'x' : ` ${r.unit}`}${r.target ? ` (target ${r.target}, ${r.ok ? 'ok' : 'BELOW TARGET'})` : ''}\n  ${r.detail}`);
}
