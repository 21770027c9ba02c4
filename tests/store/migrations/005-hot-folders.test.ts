import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import * as hf from '../../../electron/core/store/hot-folders';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig005');
afterAll(() => tmp.cleanup());

/** A file at version 4 -> 005: folders with their files; one watcher at a time; the hold on a batch. */
describe('migration 005 (hot folders)', () => {
  it('adds the tables; a claimed, enabled folder holds its batch open; deleting the batch unlinks it', () => {
    const db = new Database(join(tmp.dir, 'v4.sqlite'));
    applyPragmas(db);
    migrate(db, 4);
    db.exec(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'running', '{"engine":"local","task":"codes"}')`);
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    migrate(db); // today's queries read later columns too (012: claimed_by)
    const id = hf.upsertHotFolder(db, { path: '/in', plan: { engine: 'local', task: 'codes' }, doneDir: '/done', failedDir: null });
    expect(hf.upsertHotFolder(db, { path: '/in', plan: { engine: 'local', task: 'codes' }, doneDir: null, failedDir: null })).toBe(id);
    hf.setHotFolderBatch(db, id, 1);
    expect(hf.batchHeldOpen(db, 1)).toBe(false); // nobody watches
    expect(hf.claimHotFolder(db, id, 'a:1', 1000)).toEqual({ ok: true });
    expect(hf.batchHeldOpen(db, 1)).toBe(true);
    expect(hf.claimHotFolder(db, id, 'b:2', 2000)).toEqual({ ok: false, owner: 'a:1' });
    expect(hf.claimHotFolder(db, id, 'b:2', 1000 + hf.HEARTBEAT_STALE_MS + 1)).toEqual({ ok: true }); // a stale watcher's folder is taken over
    expect(hf.getHotFolder(db, id, 1000 + hf.HEARTBEAT_STALE_MS + 2)).toMatchObject({ live: true, doneDir: null, batchId: 1 });
    hf.setHotFolderEnabled(db, id, false);
    expect(hf.batchHeldOpen(db, 1)).toBe(false);
    expect(hf.claimHotFile(db, id, { path: '/in/a.png', size: 10, mtimeMs: 5.7 }, 'b:2')).toBe(true);
    expect(hf.queuedHotFiles(db, id)).toEqual([{ path: '/in/a.png', size: 10, mtime_ms: 5, state: 'queued', moved_to: null }]);
    expect(hf.settleHotFile(db, id, '/in/a.png', 'done', '/done/a.png')).toBe(true);
    expect(hf.getHotFolder(db, id)!.files).toEqual({ queued: 0, done: 1, failed: 0, gone: 0 });
    db.exec(`DELETE FROM batches WHERE id = 1`);
    expect(hf.getHotFolder(db, id)!.batchId).toBeNull();
    hf.deleteHotFolder(db, id);
    expect((db.prepare(`SELECT count(*) AS n FROM hot_folder_files`).get() as { n: number }).n).toBe(0);
    db.close();
  });
});
