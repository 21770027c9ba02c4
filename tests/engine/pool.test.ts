import { copyFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../electron/core/errors';
import { LocalEngine } from '../../electron/core/engines/local';
import { DecodePool } from '../../electron/core/engines/local/pool';
import { sample, source, tempDir } from './helpers';

const PAGES = [
  'zxing/qrcode-2/1.png',
  'zxing/ean13-1/1.png',
  'zxing/code128-1/1.png',
  'zxing/datamatrix-1/abcd-52x52.png',
  'zxing/pdf417-1/01.png',
  'zxing/aztec-1/7.png',
  'zxing/qrcode-2/2.png',
  'zxing/ean13-1/2.png',
];

describe('the worker pool', () => {
  const tmp = tempDir('pool');
  afterAll(() => tmp.cleanup());

  it('is sized to the machine and the engine reports it as its concurrency', async () => {
    const engine = new LocalEngine();
    try {
      expect(engine.concurrency).toBe(availableParallelism());
      expect(engine.id).toBe('local');
      expect(engine.tasks).toEqual(['codes']);
    } finally {
      await engine.close();
    }
  });

  it('spreads a batch over several worker threads', async () => {
    const pool = new DecodePool({ size: 2 });
    try {
      const replies = await Promise.all(PAGES.map((p) => pool.run(source(sample(p)))));
      expect(replies.every((r) => r.detections.length > 0)).toBe(true);
      expect(new Set(replies.map((r) => r.threadId)).size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails the job of a crashed worker with a clear error, replaces the worker, and goes on', async () => {
    const crashPage = join(tmp.dir, 'crash-me.png');
    copyFileSync(sample('zxing/qrcode-2/1.png'), crashPage);
    const pool = new DecodePool({ size: 1, workerUrl: new URL('./fixtures/crash-worker.mjs', import.meta.url) });
    try {
      const before = await pool.run(source(sample('zxing/qrcode-2/1.png')));
      const [crashed, after] = await Promise.allSettled([
        pool.run(source(crashPage)),
        pool.run(source(sample('zxing/ean13-1/1.png'))), // queued behind the crash
      ]);
      expect(crashed.status).toBe('rejected');
      const err = (crashed as PromiseRejectedResult).reason as ScanError;
      expect(err).toBeInstanceOf(ScanError);
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toMatch(/crashed while reading .*crash-me\.png.*exit code 3/);
      expect(after.status).toBe('fulfilled');
      const reply = (after as PromiseFulfilledResult<Awaited<ReturnType<DecodePool['run']>>>).value;
      expect(reply.detections[0]?.text).toBe('8413000065504');
      expect(reply.threadId).not.toBe(before.threadId);
    } finally {
      await pool.close();
    }
  });

  it('reports a bad file as that item’s error and keeps decoding', async () => {
    const engine = new LocalEngine({ size: 1 });
    try {
      const missing = engine.recognize({ source: source(join(tmp.dir, 'missing.png')), task: 'codes' });
      await expect(missing).rejects.toMatchObject({ name: 'ScanError', code: 'FILE_NOT_FOUND' });
      const ok = await engine.recognize({ source: source(sample('zxing/qrcode-2/1.png')), task: 'codes' });
      expect(ok.detections).toHaveLength(1);
      await expect(engine.recognize({ source: source(sample('zxing/qrcode-2/1.png')), task: 'text' })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    } finally {
      await engine.close();
    }
  });

  it('fails jobs with a clear error when the decoder cannot start (missing wasm), without hanging', async () => {
    const pool = new DecodePool({ size: 1, config: { zxingWasmPath: join(tmp.dir, 'missing-zxing_reader.wasm') } });
    try {
      const err = (await pool.run(source(sample(PAGES[0]!))).catch((e: unknown) => e)) as ScanError;
      expect(err).toBeInstanceOf(ScanError);
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toMatch(/missing-zxing_reader\.wasm/);
    } finally {
      await pool.close();
    }
  });

  it('fails a job that overruns its time limit and replaces the stuck worker', async () => {
    const pool = new DecodePool({ size: 1, jobTimeoutMs: 50 });
    try {
      const err = (await pool.run(source(sample(PAGES[0]!))).catch((e: unknown) => e)) as ScanError;
      expect(err).toBeInstanceOf(ScanError);
      expect(err.code).toBe('TIMEOUT');
      expect(err.message).toMatch(/longer than 0\.05 s on .*1\.png/);
      expect(pool.threadIds).toEqual([]); // terminated, a new one starts with the next job
    } finally {
      await pool.close();
    }
  });

  it('terminates its workers on close and refuses new work', async () => {
    const pool = new DecodePool({ size: 2 });
    await Promise.all(PAGES.slice(0, 4).map((p) => pool.run(source(sample(p)))));
    expect(pool.threadIds.length).toBe(2);
    const pending = pool.run(source(sample(PAGES[4]!))).catch((err: unknown) => err);
    await pool.close();
    expect(pool.threadIds).toEqual([]);
    expect(await pending).toMatchObject({ code: 'CANCELLED' });
    await expect(pool.run(source(sample(PAGES[0]!)))).rejects.toThrow(/closed/);
  });

  it('cancels a queued job when its signal aborts', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const ac = new AbortController();
      const first = pool.run(source(sample(PAGES[0]!)));
      const second = pool.run(source(sample(PAGES[1]!)), ac.signal);
      ac.abort();
      await expect(second).rejects.toMatchObject({ code: 'CANCELLED' });
      await expect(first).resolves.toMatchObject({ ok: true });
    } finally {
      await pool.close();
    }
  });
});
