import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { DecodePool } from '../electron/core/engines/local/pool';
import type { ImageSource } from '../electron/core/intake/types';
import { listSamples } from '../tests/quality/samples';
import type { Bench, BenchRow } from './types';

/**
 * Local decoding throughput: the worker pool sized to the machine against a single worker, on
 * the same images in the same run (both warmed up first, so start-up is not measured).
 */
const IMAGES = Number(process.env.BENCH_LOCAL_IMAGES ?? 160);

function pickImages(n: number): ImageSource[] {
  const all = listSamples().filter((s) => s.expected !== null);
  // an even spread over every folder, not the first folder n times
  const step = Math.max(1, Math.floor(all.length / n));
  return all
    .filter((_, i) => i % step === 0)
    .slice(0, n)
    .map((s) => ({ path: s.path, page: 1, format: /\.webp$/.test(s.path) ? 'webp' : /\.jpe?g$/.test(s.path) ? 'jpeg' : 'png' }));
}

interface Measure {
  perSecond: number;
  /** CPU seconds of the whole process (all threads) per wall second: how many cores it kept busy. */
  coresBusy: number;
}

async function throughput(pool: DecodePool, images: ImageSource[]): Promise<Measure> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(images.map((src) => pool.run(src)));
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  return { perSecond: images.length / wall, coresBusy: (c.user + c.system) / 1e6 / wall };
}

export const run: Bench = async () => {
  const images = pickImages(IMAGES);
  const cores = availableParallelism();
  const many = new DecodePool({ size: cores });
  const one = new DecodePool({ size: 1 });
  try {
    // warm up every worker (thread start, tsx, wasm compile) on a few pages
    await Promise.all([throughput(many, images.slice(0, cores * 2)), throughput(one, images.slice(0, 2))]);
    // interleave two rounds so a noisy neighbour hurts both sides alike
    let single = 0;
    let pooled = 0;
    let singleCores = 0;
    let pooledCores = 0;
    for (let round = 0; round < 2; round++) {
      const a = await throughput(one, images);
      const b = await throughput(many, images);
      single += a.perSecond / 2;
      singleCores += a.coresBusy / 2;
      pooled += b.perSecond / 2;
      pooledCores += b.coresBusy / 2;
    }
    const ratio = pooled / single;
    const row: BenchRow = {
      name: `local decode: pool of ${cores} workers vs 1 worker`,
      value: Math.round(ratio * 100) / 100,
      unit: 'x',
      target: '>= 1.7 (2 cores)',
      ok: cores < 2 ? undefined : ratio >= 1.7,
      // cores busy tells a slow pool from a busy machine (other processes taking the CPU)
      detail:
        `${images.length} sample images, ${pooled.toFixed(1)} images/s pooled vs ${single.toFixed(1)} images/s single ` +
        `(mean of 2 rounds); cores busy ${pooledCores.toFixed(2)} vs ${singleCores.toFixed(2)}, images per CPU-second ` +
        `${(pooled / pooledCores).toFixed(1)} vs ${(single / singleCores).toFixed(1)}; load average ${loadavg()[0]!.toFixed(1)}`,
    };
    return [row];
  } finally {
    await Promise.all([many.close(), one.close()]);
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await run();
  for (const r of rows) console.log(`${r.name}: ${r.value}${r.unit} (target ${r.target}) ${r.ok === false ? 'BELOW TARGET' : 'ok'} - ${r.detail}`);
}
