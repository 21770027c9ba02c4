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
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  // Build beside the target and swap it in, so a reader never sees a half-written folder.
  const tmp = `${RENDERER_OUT}.tmp-${process.pid}-${Date.now()}`;
  await build({
    configFile: false,
    root: join(ROOT, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: tmp,
      emptyOutDir: true,
      rollupOptions: { input: join(ROOT, 'renderer', 'index.html') },
    },
  });
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

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureRendererBuilt();
  console.log(`renderer built in ${RENDERER_OUT}`);
}
