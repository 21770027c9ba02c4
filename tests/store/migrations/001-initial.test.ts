import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig001');
afterAll(() => tmp.cleanup());

/** Version 0 (a new, empty file) -> 001: the whole schema appears and behaves. */
describe('migration 001 (initial schema)', () => {
  it('creates every table, index and constraint from an empty file', () => {
    const db = new Database(join(tmp.dir, 'v0.sqlite'));
    applyPragmas(db);
    expect(schemaVersion(db)).toBe(0);
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);

    const names = (db.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ type: string; name: string }>).map(
      (r) => `${r.type}:${r.name}`,
    );
    for (const t of ['batches', 'items', 'jobs', 'results', 'detections', 'result_cache']) expect(names).toContain(`table:${t}`);
    for (const i of ['items_batch', 'items_batch_status', 'jobs_claim', 'detections_item', 'result_cache_result']) expect(names).toContain(`index:${i}`);

    // Data round-trips and deleting a batch removes everything that hangs off it.
    db.prepare(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'running', '{}')`).run();
    db.prepare(`INSERT INTO items (id, batch_id, path, name, page, page_count, format, size, sha256, status) VALUES (1, 1, '/a.png', 'a.png', 1, 1, 'png', 10, 'abc', 'done')`).run();
    db.prepare(`INSERT INTO jobs (id, batch_id, item_id, engine, task, role, status) VALUES (1, 1, 1, 'local', 'codes', 'primary', 'done')`).run();
    db.prepare(`INSERT INTO results (id, job_id, item_id, engine, task, engine_version, page_width, page_height, created_at) VALUES (1, 1, 1, 'local', 'codes', 'v', 10, 10, 0)`).run();
    db.prepare(`INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, geometry_json) VALUES (1, 1, 0, 'local', 'code', 'QRCode', 'x', '{}')`).run();
    db.prepare(`INSERT INTO result_cache (sha256, page, engine, task, options_key, result_id) VALUES ('abc', 1, 'local', 'codes', '{}', 1)`).run();
    // One job and one result per item per engine and task.
    expect(() => db.prepare(`INSERT INTO jobs (batch_id, item_id, engine, task, role, status) VALUES (1, 1, 'local', 'codes', 'primary', 'pending')`).run()).toThrow(/UNIQUE/);
    // Statuses are checked.
    expect(() => db.prepare(`UPDATE items SET status = 'weird' WHERE id = 1`).run()).toThrow(/CHECK/);
    // Foreign keys are enforced.
    expect(() => db.prepare(`INSERT INTO items (batch_id, path, name, page, page_count, size, status) VALUES (99, '/b', 'b', 1, 1, 0, 'pending')`).run()).toThrow(/FOREIGN KEY/);

    db.prepare(`DELETE FROM batches WHERE id = 1`).run();
    for (const t of ['items', 'jobs', 'results', 'detections', 'result_cache']) {
      expect((db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, t).toBe(0);
    }
    db.close();
  });
});
