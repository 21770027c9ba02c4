/**
 * Part of `npm run bench -- queue-pg` (issue 7): vendor throughput of 1, 2 and 4 `scandesk
 * worker` PROCESSES (the built CLI) on one shared PostgreSQL queue, against the Tencent emulator
 * answering after 200 ms with the account's limit of 20 requests/s, the workers configured at
 * that limit (one bucket in the database for all of them).
 *
 * Each worker allows 3 requests in flight (vendor-settings concurrency), so one worker is bound
 * by the latency (at most 15/s) and more workers add throughput until the shared limit binds;
 * from there the achieved rate must stay >= 0.9 of the limit and never above it (no 429). The
 * baseline is the limit itself: achieved / limit, 1.0 is perfect. Rates come from the emulator's
 * own arrival log, after the first 20% of arrivals (the workers are started and idle before the
 * batch is submitted; the first pages still start their image threads).
 *
 * Pages are distinct files (copies of small real PNGs, each with its own tEXt chunk: identical
 * pages would be sent once), so that preparing one costs little CPU next to the slot interval.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { expandPaths } from '../electron/core/intake';
import { PgStore } from '../electron/core/store/pg-store';
import { startTencentEmulator } from '../tests/emulators/tencent/server';
import { SAMPLES } from '../tests/fixtures/samples';
import type { PgCluster } from '../tests/support/postgres';
import type { BenchRow } from './types';

const LIMIT = 20; // requests/s, the account's and the configured rate
const LATENCY_MS = 200;
const IN_FLIGHT = 3; // per worker: 3 / 0.2 s = 15/s at most for one worker
const SECONDS = 8; // of calls at the limit, per run
/** QUEUE_PG_WORKERS=1,2 runs only those counts (0: none). */
const WORKERS = (process.env.QUEUE_PG_WORKERS ?? '1,2,4').split(',').map(Number).filter((n) => n > 0);
const WARM_UP = 0.2; // share of arrivals left out of the rate (start-up)
const SECRET_ID = 'AKIDbenchQueueWorkers00000000EXAMPLE';
const SECRET_KEY = 'benchQueueWorkersSecretKey0000EXAMPLE';
const BIN = resolve(import.meta.dirname, '..', 'bin', 'scandesk.mjs');

/** A PNG with a tEXt chunk inserted before IEND: the same pixels, other bytes (another sha256). */
function pngWithText(png: Buffer, text: string): Buffer {
  const iend = png.length - 12;
  if (png.toString('latin1', iend + 4, iend + 8) !== 'IEND') throw new Error('PNG does not end with IEND');
  const data = Buffer.from(`Comment\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

/**
 * `count` distinct page files in `dir`, copies of a few small real PNG samples in turn (few, so
 * that the emulator decodes each picture once: its decoding is not what is measured).
 */
function pages(dir: string, count: number): string[] {
  const bases: Buffer[] = [];
  for (const sub of ['qrcode-2', 'datamatrix-1', 'ean8-1', 'code128-1']) {
    const full = join(SAMPLES, 'zxing', sub);
    const small = readdirSync(full).filter((f) => f.endsWith('.png') && statSync(join(full, f)).size < 8192);
    for (const f of small.sort().slice(0, 2)) bases.push(readFileSync(join(full, f)));
  }
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `page-${String(i).padStart(4, '0')}.png`);
    writeFileSync(path, pngWithText(bases[i % bases.length]!, `bench copy ${i}`));
    return path;
  });
}

interface RunResult {
  workers: number;
  achieved: number;
  requests: number;
  limited: number;
  load: number;
  /** CPU time of the worker processes on the batch, start-up left out (Linux /proc; 0 elsewhere). */
  cpuMs: number;
}

/** User + system CPU of a process so far, in ms (Linux); 0 where /proc is not there. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return 0;
  }
}

async function runWorkers(cluster: PgCluster, root: string, workers: number): Promise<RunResult> {
  const emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: LIMIT }, latencyMs: LATENCY_MS });
  const dir = join(root, `w${workers}`);
  const count = Math.round(LIMIT * SECONDS * (1 + WARM_UP));
  const files = pages(join(dir, 'in'), count);
  const url = await cluster.createDatabase();
  const store = await PgStore.open(url);
  const children: ReturnType<typeof spawn>[] = [];
  try {
    const { items } = await expandPaths(files);
    writeFileSync(join(dir, 'vendor-settings.json'), JSON.stringify({ tencent: { rateLimits: { QrcodeOCR: LIMIT }, concurrency: IN_FLIGHT } }));
    const env = {
      ...process.env,
      SCANDESK_TENCENT_ENDPOINT: `http://127.0.0.1:${emu.port}`,
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
    };
    const stderr: string[] = [];
    for (let w = 0; w < workers; w++) {
      const child = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--engines', 'tencent', '--db', join(dir, 'profile.sqlite')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      stderr[w] = '';
      child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr[w] += s));
      children.push(child);
    }
    // Every worker up (it says so once its profile is open) before the batch arrives: the
    // figures are of workers at work, not of processes starting on a loaded machine.
    const upBy = Date.now() + 120_000;
    while (!stderr.every((e) => e.startsWith('Worker '))) {
      if (Date.now() > upBy || children.some((c) => c.exitCode !== null)) throw new Error(`workers did not start: ${stderr.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpuIdle = children.reduce((sum, c) => sum + cpuMsOf(c.pid), 0);
    const batchId = await store.createBatch({ name: `bench ${workers}`, plan: { engine: 'tencent', task: 'codes' }, createdAt: new Date().toISOString(), items, skipped: [] });
    const deadline = Date.now() + 300_000;
    for (;;) {
      const left = (await store.getBatch(batchId)).counts;
      if (left.done + left.failed >= count) break;
      if (Date.now() > deadline) throw new Error(`${workers} workers: batch not done in 5 min (${JSON.stringify(left)}): ${stderr.join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const load = loadavg()[0]!;
    const cpuMs = children.reduce((sum, c) => sum + cpuMsOf(c.pid), 0) - cpuIdle;
    const arrivals = emu.stats.arrivals;
    const from = Math.floor(arrivals.length * WARM_UP);
    const achieved = (arrivals.length - 1 - from) / ((arrivals[arrivals.length - 1]! - arrivals[from]!) / 1000);
    return { workers, achieved, requests: arrivals.length, limited: emu.stats.errors.RequestLimitExceeded ?? 0, load, cpuMs };
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null) return done();
            c.on('close', () => done());
            c.kill('SIGTERM');
          }),
      ),
    );
    await store.close();
    await emu.close();
  }
}

export async function vendorWorkerRows(cluster: PgCluster): Promise<BenchRow[]> {
  const root = join(tmpdir(), `scandesk-bench-queue-workers-${process.pid}`);
  try {
    const runs: RunResult[] = [];
    for (const w of WORKERS) runs.push(await runWorkers(cluster, root, w));
    // The limit binds where the workers' own capacity (in flight / latency) reaches it.
    const binds = (w: number) => (w * IN_FLIGHT * 1000) / LATENCY_MS >= LIMIT;
    return runs.map((r, i) => {
      const ratio = r.achieved / LIMIT;
      const grew = i === 0 || r.achieved > runs[i - 1]!.achieved || ratio >= 0.9;
      const ok = r.limited === 0 && ratio <= 1.02 && (binds(r.workers) ? ratio >= 0.9 : grew);
      return {
        name: `queue-pg: vendor rate, ${r.workers} worker process${r.workers > 1 ? 'es' : ''} / ${LIMIT} req/s limit`,
        value: ratio,
        unit: 'x',
        target: binds(r.workers) ? '>= 0.9' : 'grows',
        ok,
        detail: `${r.achieved.toFixed(2)} req/s achieved (emulator's log, ${r.requests} requests, first ${WARM_UP * 100}% left out); emulator answers after ${LATENCY_MS} ms; ${IN_FLIGHT} in flight per worker (at most ${((r.workers * IN_FLIGHT * 1000) / LATENCY_MS).toFixed(0)}/s by latency); RequestLimitExceeded ${r.limited}; workers' CPU ${(r.cpuMs / r.requests).toFixed(0)} ms/request; load average ${r.load.toFixed(1)}`,
      };
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
