import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type * as LiveModule from '../../electron/core/camera/live-reader';
import { LIVE_WORKER_BUNDLE_NAME } from '../../electron/core/camera/live-reader';
import { buildWithWorker } from '../support/worker-bundle';
import { sample, tempDir } from './helpers';

/**
 * The camera's live-frame worker as electron-vite ships it (its own entry next to the main
 * bundle, electron.vite.config.ts): the reader must find the built worker beside itself and the
 * worker its wasm, or the desktop app's live outlines would never appear.
 */
describe('bundled live camera worker', () => {
  const tmp = tempDir('live-bundle');
  afterAll(() => {
    rmSync(join(tmp.dir, 'node_modules'), { force: true });
    tmp.cleanup();
  });

  it('reads a frame through the worker entry built by vite', async () => {
    const outDir = await buildWithWorker(tmp.dir, 'electron/core/camera/live-reader.ts', 'electron/core/camera/live-worker.ts', LIVE_WORKER_BUNDLE_NAME);
    const bundle = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof LiveModule;
    const reader = new bundle.LiveReader();
    try {
      const { data, info } = await sharp(sample('zxing/ean13-1/1.png')).resize(640, 480, { fit: 'contain', background: '#fff' }).flatten({ background: '#fff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
      const codes = await reader.read({ width: info.width, height: info.height, gray: new Uint8Array(data) });
      expect(codes.map((c) => `${c.symbology}:${c.text}`)).toEqual(['EAN-13:8413000065504']);
    } finally {
      await reader.close();
    }
  });
});
