import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * "A command that starts like a command" (issue 10): what a command start, the app's main
 * thread and every decode worker load before their first page is what their entry modules
 * import statically. Heavy packages a run may never need (the vendors' SDKs, pdf-lib, libheif's
 * wasm bundle, sharp on the main thread, exceljs, pdf.js) must load on first use, through
 * `await import(...)`. This reads the static import graph as the bundler sees it (esbuild's
 * metafile, nothing is written) and names the chain that pulls a package in.
 */
const ROOT = join(import.meta.dirname, '..', '..');

async function staticGraph(entry: string): Promise<Map<string, string | null>> {
  const r = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    splitting: true,
    outdir: join(ROOT, 'out', 'import-graph-unused'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs: Metafile['inputs'] = r.metafile.inputs;
  const edges = new Map<string, string[]>();
  for (const [file, v] of Object.entries(inputs)) {
    edges.set(file, v.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path));
  }
  // Reached from the entry over static imports only; each file with the file that imported it.
  const prev = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const t of edges.get(f) ?? []) {
      if (!prev.has(t)) {
        prev.set(t, f);
        queue.push(t);
      }
    }
  }
  return prev;
}

function chainTo(graph: Map<string, string | null>, pkg: string): string | null {
  const hit = [...graph.keys()].find((k) => k === pkg || k.startsWith(`${pkg}/`));
  if (!hit) return null;
  const chain: string[] = [];
  for (let k: string | null = hit; k !== null; k = graph.get(k) ?? null) chain.unshift(k);
  return chain.join(' -> ');
}

const VENDOR_SDKS = ['ali-oss', 'tencentcloud-sdk-nodejs-ocr', 'urllib'];
const HTTP_ESM = ['node:http', 'node:https', 'https-proxy-agent'];
const ON_DEMAND = ['pdf-lib', 'heic-decode', 'libheif-js', 'pdfjs-dist', 'exceljs', '@napi-rs/canvas'];

describe('start-up: packages a run may not need load on first use', () => {
  it('scandesk scan (and the app, through the same service and registry) loads no vendor SDK, sharp, pdf-lib, libheif or exceljs at start', async () => {
    const graph = await staticGraph('electron/cli/scan.ts');
    for (const pkg of [...VENDOR_SDKS, ...ON_DEMAND, 'sharp']) expect(chainTo(graph, pkg), pkg).toBeNull();
    // An ES-module import of node:http (the vendors' network, https-proxy-agent) makes Node load
    // undici for http's ESM facade: ~0.1 CPU-s of a start that may never call a vendor.
    for (const pkg of [...HTTP_ESM]) expect(chainTo(graph, pkg), pkg).toBeNull();
    // It does load what every run needs (the graph is real, not empty).
    expect(chainTo(graph, 'better-sqlite3')).not.toBeNull();
  }, 60_000);

  it('scandesk --help loads only commander', async () => {
    const graph = await staticGraph('electron/cli/main.ts');
    for (const pkg of [...VENDOR_SDKS, ...ON_DEMAND, 'sharp', 'better-sqlite3', 'zod', 'file-type']) expect(chainTo(graph, pkg), pkg).toBeNull();
    expect(chainTo(graph, 'commander')).not.toBeNull();
  }, 60_000);

  it('a decode worker loads pdf-lib and libheif only for a PDF or HEIC page', async () => {
    const graph = await staticGraph('electron/core/engines/local/worker.ts');
    for (const pkg of [...VENDOR_SDKS, ...ON_DEMAND]) expect(chainTo(graph, pkg), pkg).toBeNull();
    expect(chainTo(graph, 'zxing-wasm')).not.toBeNull();
  }, 60_000);
});
