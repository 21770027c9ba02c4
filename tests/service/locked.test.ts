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

/**
 * Another process holds the database's write lock until `release()` (closing its stdin): as long
 * as the test needs, whatever the machine's load, rather than for a fixed time.
 */
function lockFromAnotherProcess(dbPath: string): Promise<{ release: () => Promise<void> }> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n'); process.stdin.resume(); process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); });`;
  const child = spawn(process.execPath, ['-e', script, dbPath], { cwd: resolve(import.meta.dirname, '../..'), stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const release = async () => {
    child.stdin!.end();
    await exited;
  };
  return new Promise((res) => child.stdout!.once('data', () => res({ release })));
}

describe('a database locked by another process', () => {
  it('the runner survives failed writes (logged, not thrown) and the batch finishes, each page once', async () => {
    const images = sampleImages('zxing/qrcode-2', 3);
    const dbPath = join(tmp.dir, 'locked.sqlite');
    const engine = new GatedEngine(realEngine());
    const svc = await openScanService({ dbPath, engines: [engine], intake: realIntake, leaseMs: 1000 });
    const { batch } = await svc.createBatch({ paths: images, plan: { engine: 'local', task: 'codes' } });
    const errors: string[] = [];
    let sawLocked!: () => void;
    const locked = new Promise<void>((r) => (sawLocked = r));
    const original = console.error;
    console.error = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      errors.push(line);
      if (/scandesk (queue|service): .*(locked|busy)/i.test(line)) sawLocked();
    };
    try {
      const { release } = await lockFromAnotherProcess(dbPath);
      engine.release(); // the decodes end while the file is locked: storing them fails (SQLITE_BUSY)
      await locked; // a write failed beyond busy_timeout and was logged, not thrown
      await release();
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
