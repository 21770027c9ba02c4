import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import * as hf from '../../../electron/core/store/hot-folders';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig012');
afterAll(() => tmp.cleanup());

/** A file at version 11 -> 012: a file queued before the upgrade has no claimant, and can be taken over and settled. */
describe('migration 012 (hot folder file claims)', () => {
  it('keeps the files seen, claimed by nobody; a queued one is taken over once, a settled one not added again', () => {
    const db = new Database(join(tmp.dir, 'v11.sqlite'));
    applyPragmas(db);
    migrate(db, 11);
    db.exec(`INSERT INTO hot_folders (id, path, plan_json, enabled) VALUES (1, '/in', '{"engine":"local","task":"codes"}', 1)`);
    db.exec(`INSERT INTO hot_folder_files (folder_id, path, size, mtime_ms, state) VALUES (1, '/in/a.png', 10, 5, 'queued'), (1, '/in/b.png', 20, 6, 'done')`);
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(12);
    expect(db.prepare(`SELECT path, claimed_by FROM hot_folder_files ORDER BY path`).all()).toEqual([
      { path: '/in/a.png', claimed_by: null },
      { path: '/in/b.png', claimed_by: null },
    ]);
    expect(hf.retakeHotFile(db, 1, '/in/a.png', 'w:1')).toBe(true);
    expect(hf.retakeHotFile(db, 1, '/in/b.png', 'w:1')).toBe(false); // settled: nothing to take over
    expect(hf.claimHotFile(db, 1, { path: '/in/b.png', size: 20, mtimeMs: 6 }, 'w:1')).toBe(false); // unchanged since it settled
    expect(hf.claimHotFile(db, 1, { path: '/in/b.png', size: 21, mtimeMs: 7 }, 'w:1')).toBe(true); // a new file under that name
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'items_batch_path'`).get()).toEqual({ name: 'items_batch_path' });
    db.close();
  });
});
