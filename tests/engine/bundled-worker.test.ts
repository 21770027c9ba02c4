import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type * as LocalModule from '../../electron/core/engines/local';
import { LOCAL_WORKER_BUNDLE_NAME } from '../../electron/core/engines/local/pool';
import { buildWithWorker } from '../support/worker-bundle';
import { sample, source, tempDir } from './helpers';

/**
 * The worker as electron-vite ships it: bundled as its own entry next to the main bundle, npm
 * dependencies left in node_modules (electron-vite's default). Built here with vite the same
 * way (tests/support/worker-bundle.ts), then driven through the bundled LocalEngine: the pool
 * must find the built worker next to itself, and the worker must find both wasm files.
 */
describe('bundled worker', () => {
  const tmp = tempDir('bundle');
  afterAll(() => {
    // remove the link itself first: never let a recursive delete walk into the real node_modules
    rmSync(join(tmp.dir, 'node_modules'), { force: true });
    tmp.cleanup();
  });

  it('decodes through the worker entry built by vite', async () => {
    const outDir = await buildWithWorker(tmp.dir, 'electron/core/engines/local/index.ts', 'electron/core/engines/local/worker.ts', LOCAL_WORKER_BUNDLE_NAME);

    const bundle = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof LocalModule;
    expect(bundle.defaultWorkerUrl().href).toBe(pathToFileURL(join(outDir, LOCAL_WORKER_BUNDLE_NAME)).href);
    const engine = new bundle.LocalEngine({ size: 1 });
    try {
      const r = await engine.recognize({ source: source(sample('zxing/ean13-1/1.png')), task: 'codes' });
      expect(r.detections.map((d) => `${d.symbology}:${d.text}`)).toEqual(['EAN-13:8413000065504']);
    } finally {
      await engine.close();
    }
  });
});
