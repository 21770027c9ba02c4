import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadonly } from '../../electron/core/store/db';
import { openScanService } from '../../electron/core/service';
import { PgStore } from '../../electron/core/store/pg-store';
import { startPostgres, type PgCluster } from '../support/postgres';
import { closeRealEngines, realEngine } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';

/**
 * The crash quarantine counts only holders that had started decoding: the runner marks a job
 * (jobs.decode_started_by = its allocation) right before it calls the engine, and never marks a
 * job that did not call it (a copy answered from the cache, or waiting for its twin's decode).
 * A real batch with the real local engine, on SQLite and on PostgreSQL: the pages decoded carry
 * the mark of the allocation that decoded them, the identical copy carries none.
 */
let tmp: string;
let cluster: PgCluster;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-decode-started-'));
  cluster = await startPostgres();
});
afterAll(async () => {
  await closeRealEngines();
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface JobRow {
  path: string;
  marked: boolean;
}

function input(name: string): string[] {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const [a, b, c] = sampleImages('zxing/qrcode-2', 3);
  copyFileSync(a!, join(dir, 'a.png'));
  copyFileSync(b!, join(dir, 'b.png'));
  copyFileSync(c!, join(dir, 'c.png'));
  copyFileSync(a!, join(dir, 'a-copy.png'));
  return [join(dir, 'a.png'), join(dir, 'b.png'), join(dir, 'c.png'), join(dir, 'a-copy.png')];
}

function expectMarks(rows: JobRow[], paths: string[]): void {
  const byPath = new Map(rows.map((r) => [r.path, r.marked]));
  expect(byPath.size).toBe(4);
  // b and c were decoded, each by the holder that marked it.
  for (const p of paths.slice(1, 3)) expect(byPath.get(p), p).toBe(true);
  // a and its copy: one called the engine; the other was answered by the cache or shared that
  // call, and carries no mark.
  expect([byPath.get(paths[0]!), byPath.get(paths[3]!)].sort()).toEqual([false, true]);
}

describe('decode started', () => {
  it('SQLite: marks the jobs that called the engine, not the identical copy', async () => {
    const paths = input('sqlite');
    const dbPath = join(tmp, 'profile.sqlite');
    const service = await openScanService({ dbPath, engines: [realEngine()] });
    try {
      const { batch } = await service.createBatch({ paths, plan: { engine: 'local', task: 'codes' } });
      expect((await service.whenSettled(batch.id)).counts).toMatchObject({ total: 4, done: 4 });
    } finally {
      await service.close();
    }
    const db = openReadonly(dbPath);
    try {
      const rows = db
        .prepare(`SELECT i.path, j.decode_started_by IS NOT NULL AS marked FROM jobs j JOIN items i ON i.id = j.item_id`)
        .all() as Array<{ path: string; marked: number }>;
      expectMarks(
        rows.map((r) => ({ path: r.path, marked: r.marked === 1 })),
        paths,
      );
    } finally {
      db.close();
    }
  });

  it('PostgreSQL: the same, through a worker on the shared queue', async () => {
    const paths = input('pg');
    const url = await cluster.createDatabase();
    const service = await openScanService({ dbPath: 'unused', store: await PgStore.open(url), engines: [realEngine()] });
    try {
      const { batch } = await service.createBatch({ paths, plan: { engine: 'local', task: 'codes' } });
      expect((await service.whenSettled(batch.id)).counts).toMatchObject({ total: 4, done: 4 });
    } finally {
      await service.close();
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<JobRow>(`SELECT i.path, j.decode_started_by IS NOT NULL AS marked FROM jobs j JOIN items i ON i.id = j.item_id`);
      expectMarks(rows, paths);
    } finally {
      await client.end();
    }
  });
});
