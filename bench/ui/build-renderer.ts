import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the renderer into out/renderer (where the browser host serves it from) when the
 * build is missing or older than any renderer/shared source. Used by the e2e test and the UI
 * benchmark. Only the renderer is built (plain vite, the same root/input electron-vite uses),
 * so a half-finished main process elsewhere in the tree cannot stop the UI tests.
 */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const RENDERER_OUT = join(ROOT, 'out', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function rendererBuildIsFresh(): boolean {
  const index = join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return newestMtime(join(ROOT, 'renderer')) <= built && newestMtime(join(ROOT, 'shared')) <= built;
}

export async function ensureRendererBuilt(): Promise<string> {
  if (rendererBuildIsFresh()) return RENDERER_OUT;
  // Build beside the target and swap it in, so a reader never sees a half-written folder.
  const tmp = `${RENDERER_OUT}.tmp-${process.pid}-${Date.now()}`;
  await buildRenderer(tmp);
  rmSync(RENDERER_OUT, { recursive: true, force: true });
  try {
    renameSync(tmp, RENDERER_OUT);
  } catch (e) {
    // Another process swapped its build in first: theirs is as fresh as ours.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(RENDERER_OUT, 'index.html'))) throw e;
  }
  return RENDERER_OUT;
}

/** Builds the renderer into `outDir`, as it ships. */
export async function buildRenderer(outDir: string): Promise<void> {
  // The shipped build, whoever asks: under vitest NODE_ENV is "test", and Vite and the React
  // plugin then bundle React's development build (twice the script time per frame), so the e2e
  // tests and the UI benchmark would not be looking at what users run. Both read the variable
  // itself, so it is set for the length of the build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildInto(outDir);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

async function buildInto(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  await build({
    configFile: false,
    mode: 'production',
    root: join(ROOT, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: join(ROOT, 'renderer', 'index.html') },
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureRendererBuilt();
  console.log(`renderer built in ${RENDERER_OUT}`);
}
