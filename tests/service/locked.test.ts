import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { GatedEngine } from '../queue/support/wrappers';

const tmp = tempDir('svc-locked');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

/** Another process holds the database's write lock for `ms` (longer than busy_timeout). */
function lockFromAnotherProcess(dbPath: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script, dbPath], { cwd: resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((r) => child.on('exit', () => r()));
  return new Promise((res) => child.stdout!.once('data', () => res({ released })));
}

describe('a database locked by another process', () => {
  it('the runner survives failed writes (logged, not thrown) and the batch finishes, each page once', async () => {
    const images = sampleImages('zxing/qrcode-2', 3);
    const dbPath = join(tmp.dir, 'locked.sqlite');
    const engine = new GatedEngine(realEngine());
    const svc = await openScanService({ dbPath, engines: [engine], intake: realIntake, leaseMs: 1000 });
    const { batch } = await svc.createBatch({ paths: images, plan: { engine: 'local', task: 'codes' } });
    const { released } = await lockFromAnotherProcess(dbPath, 6500);
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.map(String).join(' '));
    try {
      engine.release(); // the decodes end while the file is locked: storing them fails (SQLITE_BUSY)
      await released;
      const s = await svc.whenSettled(batch.id);
      expect(s).toMatchObject({ status: 'done', counts: { done: 3, failed: 0 } });
    } finally {
      console.error = original;
    }
    expect(errors.some((e) => /scandesk (queue|service): .*(locked|busy)/i.test(e))).toBe(true);
    await svc.close();
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.prepare(`SELECT count(*) AS n FROM results`).get()).toEqual({ n: 3 });
    expect(raw.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM detections GROUP BY result_id, ord HAVING count(*) > 1)`).get()).toEqual({ n: 0 });
    raw.close();
  }, 120_000);
});
