/**
 * Queue overhead against the work it schedules: the queue's cost per job (cache lookup + claim +
 * finish with that page's real detections, each a transaction in a real WAL SQLite file holding
 * a 5,000-page batch) divided by the local engine's cost per image (real decodes of real sample
 * images), both measured in this run. Target: the queue adds <= 2% to a page.
 *
 * Run alone: node --import tsx bench/queue.ts
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecognizeResult } from '../electron/core/engines/engine';
import { LocalEngine } from '../electron/core/engines/local';
import { expandPaths } from '../electron/core/intake';
import { claim, enqueue, finish } from '../electron/core/queue/jobs';
import { findCached } from '../electron/core/store/results';
import { insertBatchRow, insertItem } from '../electron/core/store/batches';
import { openDatabase } from '../electron/core/store/db';
import type { Bench, BenchRow } from './types';
import { SAMPLES as SAMPLES_ROOT } from '../tests/fixtures/samples';

const SAMPLES = SAMPLES_ROOT;
const FOLDERS = ['zxing/qrcode-2', 'zxing/ean13-1', 'zxing/datamatrix-1', 'zxing/code128-1', 'zxing/pdf417-1', 'zxing-cpp/falsepositives-1'];
const PER_FOLDER = 5;
const JOBS = 5000;

/** The real sample images both queue benchmarks decode for their baseline. */
export function images(): string[] {
  return FOLDERS.flatMap((f) =>
    readdirSync(join(SAMPLES, f))
      .filter((n) => /\.(png|jpe?g|webp)$/i.test(n))
      .sort()
      .slice(0, PER_FOLDER)
      .map((n) => join(SAMPLES, f, n)),
  );
}

export const run: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-bench-queue-'));
  const engine = new LocalEngine();
  try {
    // 1. The work: real decodes, one at a time (the cost of one page on one core).
    const { items } = await expandPaths(images());
    const pages = items.filter((i) => i.error === null && i.format && i.sha256);
    const results: RecognizeResult[] = [];
    await engine.recognize({ source: { path: pages[0]!.path, page: 1, format: pages[0]!.format!, sha256: pages[0]!.sha256! }, task: 'codes' }); // warm the workers
    const t0 = performance.now();
    for (const p of pages) {
      results.push(await engine.recognize({ source: { path: p.path, page: p.page, format: p.format!, sha256: p.sha256! }, task: 'codes' }));
    }
    const decodeMs = (performance.now() - t0) / pages.length;
    const detections = results.reduce((n, r) => n + r.detections.length, 0);

    // 2. The queue: a 5,000-page batch in a real WAL file; per job the runner's path.
    const db = openDatabase(join(dir, 'queue.sqlite'));
    const plan = { engine: 'local' as const, task: 'codes' as const };
    const tInsert = performance.now();
    db.transaction(() => {
      const batchId = insertBatchRow(db, 'bench', plan, new Date().toISOString());
      for (let i = 0; i < JOBS; i++) {
        const src = pages[i % pages.length]!;
        const { id } = insertItem(db, batchId, { ...src, path: `${src.path}#${i}`, sha256: `${src.sha256}-${i}` });
        enqueue(db, { batchId, itemId: id, engine: 'local', task: 'codes', role: 'primary' });
      }
    })();
    const insertMs = (performance.now() - tInsert) / JOBS;
    const t1 = performance.now();
    for (let i = 0; i < JOBS; i++) {
      const job = claim(db, 'local', { now: Date.now(), leaseMs: 30_000, owner: 'bench:1' });
      if (!job) throw new Error(`no job to claim at ${i}`);
      const key = { sha256: job.sha256, page: job.page, engine: job.engine, task: job.task, optionsKey: '{}' };
      if (findCached(db, key) !== null) throw new Error('unexpected cache hit');
      const r = finish(db, job, { fresh: results[i % results.length]! }, key, Date.now());
      if (!r.ok) throw new Error('finish refused');
    }
    const queueMs = (performance.now() - t1) / JOBS;
    db.close();

    const ratio = queueMs / decodeMs;
    const row: BenchRow = {
      name: 'queue: cost per job / local decode per image',
      value: ratio,
      unit: 'x',
      target: '<= 0.02',
      ok: ratio <= 0.02,
      detail: `queue ${queueMs.toFixed(3)} ms/job (cache lookup + claim + finish, ${JOBS} jobs, WAL file); decode ${decodeMs.toFixed(1)} ms/image (${pages.length} real images, ${detections} codes); batch insert ${(insertMs * 1000).toFixed(1)} us/page`,
    };
    return [row];
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(4)}${r.unit} (target ${r.target}, ${r.ok ? 'ok' : 'BELOW TARGET'})\n  ${r.detail}`);
}
