// Runs the TypeScript worker from sources (vitest, `node --import tsx`): a worker thread does not
// inherit vite's transform, so register tsx's loader in this thread, then load the worker.
// Bundled builds (electron-vite) never use this file: they start the built worker directly.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
