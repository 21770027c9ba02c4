/**
 * XLSX export of 10,000 and 100,000 detections (one per page, so the Pages sheet is as long),
 * each size in its own child process so its peak memory is its own: rows/s, and peak RSS
 * (the kernel's maxrss) and peak JS heap+external (sampled during the write) side by side.
 * Streaming means memory must not grow with rows: the ratio 100k/10k should stay near 1.
 *
 * Run alone: node --import tsx bench/export.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExportItem, ExportSource } from '../electron/core/export/types';
import type { Bench, BenchRow } from './types';

const SELF = fileURLToPath(import.meta.url);
const SMALL = 10_000;
const LARGE = 100_000;

interface ChildResult {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  peakHeapMb: number;
  retainedMb: number;
  retainedMaxMb: number;
  bytes: number;
}

function* syntheticItems(n: number, checkpoint: () => void): Generator<ExportItem> {
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % (n / 10) === 0) checkpoint();
    const kind = i % 10;
    const text =
      kind === 0 ? `https://example.com/track?id=${i}` : kind === 1 ? `发票号码 ${i} 合计` : String(i).padStart(13, '0');
    yield {
      path: `/data/scans/folder-${Math.floor(i / 1000)}/scan-${i}.jpg`,
      page: 1,
      status: 'done',
      error: null,
      detections: [
        {
          kind: 'code',
          symbology: kind === 0 ? 'QRCode' : 'EAN-13',
          text,
          geometry: { kind: 'quad', points: [{ x: 10, y: 20 }, { x: 310.5, y: 20 }, { x: 310.5, y: 120 }, { x: 10, y: 120.25 }] },
          engine: 'local',
          review: 'pending',
          correctedText: null,
        },
      ],
    };
  }
}

async function child(n: number, out: string): Promise<void> {
  const { writeExport } = await import('../electron/core/export');
  const source: ExportSource = {
    batch: {
      id: 1,
      name: 'bench',
      createdAt: new Date().toISOString(),
      status: 'done',
      plan: { engine: 'local', task: 'codes' },
      counts: { total: n, pending: 0, done: n, failed: 0, cancelled: 0, skipped: 0, codes: n },
      stopped: [],
      engines: ['local'],
    },
    items: () => syntheticItems(n, retainedCheckpoint),
  };
  // Memory still referenced at nine points of the write (after a full GC): what streaming
  // must keep flat, free of the noise of garbage not yet collected.
  // The median of the checkpoints: growth with rows moves it, one transient (a burst in
  // flight to the compressor when the machine stalls) does not.
  const retained: number[] = [];
  function retainedCheckpoint(): void {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    retained.push(m.heapUsed + m.external); // external includes arrayBuffers
  }
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external);
  };
  const timer = setInterval(sample, 5);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { codes: rows } = await writeExport('xlsx', out, source); // one detection row per code
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  sample();
  const result: ChildResult = {
    rows,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
    retainedMb: median(retained) / 1024 / 1024,
    retainedMaxMb: Math.max(...retained) / 1024 / 1024,
    bytes: statSync(out).size,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function measure(n: number, dir: string): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', String(n), join(dir, `bench-${n}.xlsx`)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`export bench child (${n} rows) failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

export const run: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-bench-export-'));
  try {
    const small = measure(SMALL, dir);
    const large = measure(LARGE, dir);
    const rssRatio = large.maxRssMb / small.maxRssMb;
    const heapRatio = large.peakHeapMb / small.peakHeapMb;
    const retainedRatio = large.retainedMb / small.retainedMb;
    const rate = large.rows / large.seconds;
    const rows: BenchRow[] = [
      {
        name: 'export xlsx: rows/s (100k detections + 100k pages)',
        value: rate,
        unit: 'rows/s',
        // Wall time depends on what else the machine runs; rows per CPU-second does not as much.
        detail: `${large.rows} rows in ${large.seconds.toFixed(1)} s (${(large.rows / large.cpuSeconds).toFixed(0)} rows per CPU-s), ${(large.bytes / 1e6).toFixed(1)} MB file; 10k: ${(small.rows / small.seconds).toFixed(0)} rows/s`,
      },
      {
        name: 'export xlsx: peak RSS 100k / 10k rows',
        value: rssRatio,
        unit: 'x',
        target: '<= 1.5',
        ok: rssRatio <= 1.5,
        detail: `${small.maxRssMb.toFixed(0)} MB at 10k vs ${large.maxRssMb.toFixed(0)} MB at 100k`,
      },
      {
        name: 'export xlsx: retained memory (after GC, median) 100k / 10k rows',
        value: retainedRatio,
        unit: 'x',
        target: '<= 1.5',
        ok: retainedRatio <= 1.5,
        detail: `${small.retainedMb.toFixed(1)} MB at 10k vs ${large.retainedMb.toFixed(1)} MB at 100k (heap + external at 9 checkpoints; max ${small.retainedMaxMb.toFixed(1)} vs ${large.retainedMaxMb.toFixed(1)} MB)`,
      },
      {
        // Sampled every 5 ms, so it includes garbage not yet collected: informative, noisy.
        // exceljs also keeps the sheet's hyperlinks until commit (capped at Excel's 65,530).
        name: 'export xlsx: peak heap+external 100k / 10k rows (sampled)',
        value: heapRatio,
        unit: 'x',
        detail: `${small.peakHeapMb.toFixed(1)} MB at 10k vs ${large.peakHeapMb.toFixed(1)} MB at 100k`,
      },
    ];
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const isMain = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (isMain) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    await child(Number(process.argv[i + 1]), process.argv[i + 2]!);
  } else {
    for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(r.unit === 'x' ? 3 : 0)} ${r.unit} ${r.target ?? ''} ${r.detail ?? ''}`);
  }
}
