// Runs a TypeScript worker from sources (vitest, `node --import tsx`): a worker thread does not
// inherit vite's transform, so register tsx's loader in this thread, then load the worker named
// after WORKER_ENTRY_FLAG in argv (see pool.ts). Bundled builds (electron-vite) never use this
// file: they start the built worker directly.
import { register } from 'tsx/esm/api';

const i = process.argv.lastIndexOf('--scandesk-worker-entry');
if (i < 0 || !process.argv[i + 1]) throw new Error('ts-bootstrap.mjs: no --scandesk-worker-entry <file URL> in argv');
register();
await import(process.argv[i + 1]);
