import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { LOCAL_WORKER_BUNDLE_NAME } from './electron/core/engines/local/pool';
import { PREPARE_WORKER_BUNDLE_NAME } from './electron/core/imaging/prepare-pool';
import { INSPECT_WORKER_BUNDLE_NAME } from './electron/core/imaging/inspect-pool';
import { LIVE_WORKER_BUNDLE_NAME } from './electron/core/camera/live-reader';
import { PREVIEW_WORKER_BUNDLE_NAME } from './electron/core/imaging/preview-pool';

/** bin/scandesk.mjs loads out/main/<this>. */
const CLI_BUNDLE_NAME = 'cli.js';

/**
 * Three builds (TOOLCHAIN.md: with electron/ and renderer/ instead of src/*, every entry is set
 * explicitly, and the renderer needs both `root` and `rollupOptions.input`):
 * - main (ESM): Electron main plus the worker threads (local decoder, image preparation for
 *   cloud vendors) as their own entries, written next to it under the names their pools look for;
 * - preload (CJS, self-contained: sandboxed preloads cannot load ESM or node_modules);
 * - renderer: the React app, served by scandesk://app in Electron and by the browser host.
 */
const root = import.meta.dirname;
// Chunks sit beside index.js: the local engine's pool finds its worker next to its own module
// (new URL('./local-decode-worker.js', import.meta.url)), wherever the bundler puts the pool.
const NATIVE = ['better-sqlite3', 'sharp', 'keytar', '@napi-rs/canvas'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: NATIVE },
      lib: {
        entry: {
          index: resolve(root, 'electron/main/index.ts'),
          // The command line, built with the app so it starts like a command (bin/scandesk.mjs).
          [CLI_BUNDLE_NAME.replace(/\.js$/, '')]: resolve(root, 'electron/cli/main.ts'),
          [LOCAL_WORKER_BUNDLE_NAME.replace(/\.js$/, '')]: resolve(root, 'electron/core/engines/local/worker.ts'),
          [PREPARE_WORKER_BUNDLE_NAME.replace(/\.js$/, '')]: resolve(root, 'electron/core/imaging/prepare-worker.ts'),
          [INSPECT_WORKER_BUNDLE_NAME.replace(/\.js$/, '')]: resolve(root, 'electron/core/imaging/inspect-worker.ts'),
          [LIVE_WORKER_BUNDLE_NAME.replace(/\.js$/, '')]: resolve(root, 'electron/core/camera/live-worker.ts'),
          [PREVIEW_WORKER_BUNDLE_NAME.replace(/\.js$/, '')]: resolve(root, 'electron/core/imaging/preview-worker.ts'),
        },
        formats: ['es'],
      },
      rollupOptions: {
        external: NATIVE,
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      lib: { entry: { index: resolve(root, 'electron/preload/index.ts') }, formats: ['cjs'] },
      rollupOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
