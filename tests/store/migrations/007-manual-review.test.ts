import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { getItem } from '../../../electron/core/store/items';
import { setCheckedNoCode } from '../../../electron/core/store/manual';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig007');
afterAll(() => tmp.cleanup());

/** A file at version 6 -> 007: pages already stored are not "checked, no code" until a reviewer says so. */
describe('migration 007 (manual review)', () => {
  it('adds checked_no_code, off for the pages already there', () => {
    const db = new Database(join(tmp.dir, 'v6.sqlite'));
    applyPragmas(db);
    migrate(db, 6);
    db.exec(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'done', '{"engine":"local","task":"codes"}')`);
    db.exec(`INSERT INTO items (id, batch_id, path, name, page, page_count, size, status) VALUES (1, 1, '/in/a.png', 'a.png', 1, 1, 10, 'done')`);
    migrate(db, 7);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare(`SELECT checked_no_code FROM items WHERE id = 1`).get()).toEqual({ checked_no_code: 0 });
    // getItem reads today's columns.
    migrate(db);
    expect(getItem(db, 1).checkedNoCode).toBe(false);
    expect(setCheckedNoCode(db, 1, true).checkedNoCode).toBe(true);
    db.close();
  });
});
