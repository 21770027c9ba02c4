import { readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Builds a module and its worker the way electron-vite ships them: the worker its own entry
 * next to the main bundle, npm dependencies left in node_modules (electron-vite's default), then
 * links node_modules beside the output as in the project (and inside app.asar once packaged).
 * `entry` and `workerEntry` are paths from the repository root; returns the output directory,
 * `<dir>/out/main`, holding `index.js` and `workerBundleName`. The caller removes the link
 * `<dir>/node_modules` before any recursive delete of `dir`.
 */
export async function buildWithWorker(dir: string, entry: string, workerEntry: string, workerBundleName: string): Promise<string> {
  const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies as object);
  const isDep = (id: string) => deps.some((d) => id === d || id.startsWith(`${d}/`));
  const outDir = join(dir, 'out', 'main');
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      ssr: true,
      target: 'node20',
      minify: false,
      lib: {
        entry: {
          index: join(ROOT, entry),
          [workerBundleName.replace(/\.js$/, '')]: join(ROOT, workerEntry),
        },
        formats: ['es'],
      },
      rollupOptions: {
        external: (id) => id.startsWith('node:') || isDep(id),
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return outDir;
}
