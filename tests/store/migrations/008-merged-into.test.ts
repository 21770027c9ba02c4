import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { listCodes } from '../../../electron/core/store/code-table';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig008');
afterAll(() => tmp.cleanup());

const box = (x: number) => JSON.stringify({ kind: 'rect', points: [{ x, y: 0 }, { x: x + 100, y: 0 }, { x: x + 100, y: 100 }, { x, y: 100 }] });

/** A file at version 7 -> 008: a page two engines read already lists its shared code once. */
describe('migration 008 (merged detections)', () => {
  it('works out merged_into for pages read by two engines, so the results table lists each code once', () => {
    const db = new Database(join(tmp.dir, 'v7.sqlite'));
    applyPragmas(db);
    migrate(db, 7);
    db.exec(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'done', '{"engine":"local","task":"codes"}')`);
    db.exec(`INSERT INTO items (id, batch_id, path, name, page, page_count, size, status, detection_count) VALUES (1, 1, '/in/a.png', 'a.png', 1, 1, 10, 'done', 2)`);
    db.exec(`INSERT INTO results (id, item_id, engine, task, engine_version, page_width, page_height, created_at) VALUES (1, 1, 'local', 'codes', 'v', 800, 600, 0), (2, 1, 'wechat', 'codes', 'v', 800, 600, 0)`);
    const add = db.prepare(`INSERT INTO detections (id, result_id, item_id, ord, engine, kind, symbology, text, geometry_json) VALUES (?, ?, 1, ?, ?, 'code', 'QRCode', ?, ?)`);
    add.run(1, 1, 0, 'local', 'SAME', box(0));
    add.run(2, 1, 1, 'local', 'OTHER', box(300));
    add.run(3, 2, 0, 'wechat', 'SAME', box(5));
    migrate(db, 8);
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare(`SELECT id, merged_into FROM detections ORDER BY id`).all()).toEqual([
      { id: 1, merged_into: null },
      { id: 2, merged_into: null },
      { id: 3, merged_into: 1 },
    ]);
    // listCodes reads today's columns (rules' rule_json came after 008): migrate on first.
    migrate(db);
    expect(listCodes(db, 1).rows.map((r) => [r.text, r.foundBy])).toEqual([
      ['SAME', ['local', 'wechat']],
      ['OTHER', ['local']],
    ]);
    db.close();
  });
});
