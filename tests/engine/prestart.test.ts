import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../electron/core/errors';
import { DecodePool, prestartDecodeWorker } from '../../electron/core/engines/local/pool';
import { sample, source, tempDir } from './helpers';

/**
 * Issue 10, time to the first result: `scandesk scan` starts its decode worker before it loads
 * the rest of itself (workers/pool.ts prestartWorkers). The pool created later must decode on
 * that very thread, only when it asks for the same worker, and never take one that died.
 */
describe('a prestarted decode worker', () => {
  const tmp = tempDir('prestart');
  afterAll(() => tmp.cleanup());

  it('is the thread the first pool with the same options decodes on', async () => {
    const [worker] = prestartDecodeWorker();
    expect(worker).toBeDefined();
    // A second call while one waits starts nothing more.
    expect(prestartDecodeWorker()).toEqual([]);
    const pool = new DecodePool({ size: 1 });
    try {
      const r = await pool.run(source(sample('zxing/qrcode-2/1.png')));
      expect(r.threadId).toBe(worker!.threadId);
      expect(r.detections.map((d) => d.symbology)).toContain('QRCode');
      expect(pool.threadIds).toEqual([worker!.threadId]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('is not taken by a pool with another heap limit, which starts its own', async () => {
    const [worker] = prestartDecodeWorker({ heapMb: 300 });
    const pool = new DecodePool({ size: 1 });
    const other = new DecodePool({ size: 1, heapMb: 300 });
    try {
      const r = await pool.run(source(sample('zxing/ean13-1/1.png')));
      expect(r.threadId).not.toBe(worker!.threadId);
      expect(r.detections.length).toBeGreaterThan(0);
      // The one started for 300 MB is still there for the pool that asks for 300 MB.
      expect((await other.run(source(sample('zxing/ean13-1/1.png')))).threadId).toBe(worker!.threadId);
    } finally {
      await Promise.all([pool.close(), other.close()]);
    }
  }, 60_000);

  it('that fails to start is forgotten: the process goes on, and the pool reports the failure instead of waiting on it', async () => {
    const broken = join(tmp.dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const [worker] = prestartDecodeWorker({ workerUrl: broken });
    // (not events.once: it rejects on the 'error' that comes first, which prestart's own listener takes)
    await new Promise((resolve) => worker!.on('exit', resolve));
    const pool = new DecodePool({ size: 1, workerUrl: broken });
    try {
      const err = await pool.run(source(sample('zxing/qrcode-2/1.png'))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScanError);
      expect((err as ScanError).code).toBe('INTERNAL');
      expect((err as ScanError).message).toMatch(/cannot start/);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
