/**
 * `npm run bench`: every benchmark, one after the other (never in parallel: each compares the
 * product with a baseline side by side on the same machine state), then one table of ratios.
 *
 * Usage: npm run bench [-- name ...]   e.g. `npm run bench -- prepare export`
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchRow } from './types';

const HERE = dirname(fileURLToPath(import.meta.url));

/** In the order the product's data flows: imaging, decoding, queue, export, vendors, UI. */
const BENCHES = ['prepare', 'local-decode', 'pages', 'queue', 'queue-pg', 'export', 'vendor-rate', 'ui'];

function formatRow(r: BenchRow): string {
  const value = r.unit === 'x' ? `${r.value.toFixed(3)}x` : `${r.value.toFixed(1)} ${r.unit}`;
  const verdict = r.ok === undefined ? '' : r.ok ? 'ok' : 'BELOW TARGET';
  return [r.name.padEnd(58), value.padStart(14), (r.target ?? '').padStart(10), verdict.padStart(13), r.detail ? `  ${r.detail}` : ''].join(' ');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const name of BENCHES) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const file = join(HERE, `${name}.ts`);
    if (!existsSync(file)) {
      console.log(`[${name}] not present, skipped`);
      continue;
    }
    console.log(`[${name}] running...`);
    const mod = (await import(pathToFileURL(file).href)) as { run: Bench };
    const got = await mod.run();
    for (const r of got) console.log(`  ${formatRow(r)}`);
    rows.push(...got);
  }
  console.log('\nScanDesk benchmarks (ratios against a baseline measured side by side in this run)');
  for (const r of rows) console.log(formatRow(r));
  const out = join(HERE, '.results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
