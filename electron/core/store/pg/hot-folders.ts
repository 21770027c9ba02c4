import type pg from 'pg';
import type { EnginePlan } from '../../../../shared/engines';
import type { HotFolder } from '../../../../shared/hot-folders';
import type { HotFolderStore } from '../hot-folder-store';
import { HEARTBEAT_STALE_MS, type FileRow, type FileState } from '../hot-folders';
import { changes, row, rows, type Queryable } from './db';

/**
 * PostgreSQL side of store/hot-folders.ts (PG migration 014): the same tables and rules, with
 * the server's clock for heartbeats (watchers on several machines agree on who is live), and
 * each claim one statement that the row lock makes safe when two processes race.
 */

/** A heartbeat older than HEARTBEAT_STALE_MS, in SQL. */
const FRESH = `heartbeat_at > now() - ${HEARTBEAT_STALE_MS} * interval '1 millisecond'`;

interface FolderRow {
  id: number;
  path: string;
  batch_id: number | null;
  plan_json: string;
  done_dir: string | null;
  failed_dir: string | null;
  enabled: boolean;
  live: boolean;
  queued: number;
  done: number;
  failed: number;
  gone: number;
}

const FOLDERS = `
  SELECT h.id, h.path, h.batch_id, h.plan_json, h.done_dir, h.failed_dir, h.enabled,
         (h.owner IS NOT NULL AND h.${FRESH}) AS live,
         count(f.path) FILTER (WHERE f.state = 'queued') AS queued,
         count(f.path) FILTER (WHERE f.state = 'done') AS done,
         count(f.path) FILTER (WHERE f.state = 'failed') AS failed,
         count(f.path) FILTER (WHERE f.state = 'gone') AS gone
  FROM hot_folders h LEFT JOIN hot_folder_files f ON f.folder_id = h.id`;

function toFolder(r: FolderRow): HotFolder {
  return {
    id: Number(r.id),
    path: r.path,
    batchId: r.batch_id === null ? null : Number(r.batch_id),
    plan: JSON.parse(r.plan_json) as EnginePlan,
    doneDir: r.done_dir,
    failedDir: r.failed_dir,
    enabled: r.enabled,
    live: r.live,
    files: { queued: r.queued, done: r.done, failed: r.failed, gone: r.gone },
  };
}

function toFile(r: FileRow): FileRow {
  return { path: r.path, size: Number(r.size), mtime_ms: Number(r.mtime_ms), state: r.state, moved_to: r.moved_to };
}

/**
 * A continuous batch stays open while an enabled folder feeds it and its watcher is live. On a
 * shared queue the watcher may be on a machine that is gone: a stale heartbeat no longer holds
 * the batch, and the service's periodic sweep settles it.
 */
export async function batchHeldOpen(db: Queryable, batchId: number): Promise<boolean> {
  return (await row(db, `SELECT 1 FROM hot_folders WHERE batch_id = $1 AND enabled AND owner IS NOT NULL AND ${FRESH}`, [batchId])) !== undefined;
}

export function pgHotFolders(pool: pg.Pool): HotFolderStore {
  const db: Queryable = pool;
  const one = async (id: number) => {
    const r = await row<FolderRow>(db, `${FOLDERS} WHERE h.id = $1 GROUP BY h.id`, [id]);
    return r ? toFolder(r) : null;
  };
  return {
    list: async () => (await rows<FolderRow>(db, `${FOLDERS} GROUP BY h.id ORDER BY h.id`)).map(toFolder),
    get: one,
    async upsert(f) {
      const r = await row<{ id: number }>(
        db,
        `INSERT INTO hot_folders (path, plan_json, done_dir, failed_dir, enabled) VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (path) DO UPDATE SET plan_json = excluded.plan_json, done_dir = excluded.done_dir, failed_dir = excluded.failed_dir, enabled = true
         RETURNING id`,
        [f.path, JSON.stringify(f.plan), f.doneDir, f.failedDir],
      );
      return Number(r!.id);
    },
    async setEnabled(id, enabled) {
      await db.query(`UPDATE hot_folders SET enabled = $2 WHERE id = $1`, [id, enabled]);
    },
    async remove(id) {
      await db.query(`DELETE FROM hot_folders WHERE id = $1`, [id]);
    },
    async attachBatch(id, batchId) {
      await db.query(`UPDATE hot_folders SET batch_id = $2 WHERE id = $1`, [id, batchId]);
    },
    async claim(id, owner) {
      const n = await changes(
        db,
        `UPDATE hot_folders SET owner = $2, heartbeat_at = now()
         WHERE id = $1 AND (owner IS NULL OR owner = $2 OR heartbeat_at IS NULL OR NOT ${FRESH})`,
        [id, owner],
      );
      if (n === 1) return { ok: true };
      const cur = await row<{ owner: string | null }>(db, `SELECT owner FROM hot_folders WHERE id = $1`, [id]);
      return { ok: false, owner: cur?.owner ?? '?' };
    },
    async heartbeat(id, owner) {
      await db.query(`UPDATE hot_folder_files SET claimed_at = now() WHERE folder_id = $1 AND claimed_by = $2 AND state = 'queued'`, [id, owner]);
      return (await changes(db, `UPDATE hot_folders SET heartbeat_at = now() WHERE id = $1 AND owner = $2`, [id, owner])) === 1;
    },
    async release(id, owner) {
      await db.query(`UPDATE hot_folders SET owner = NULL, heartbeat_at = NULL WHERE id = $1 AND owner = $2`, [id, owner]);
    },
    async file(id, path) {
      const r = await row<FileRow>(db, `SELECT path, size, mtime_ms, state, moved_to FROM hot_folder_files WHERE folder_id = $1 AND path = $2`, [id, path]);
      return r ? toFile(r) : null;
    },
    claimFile: async (id, f, owner) =>
      (await changes(
        db,
        `INSERT INTO hot_folder_files AS x (folder_id, path, size, mtime_ms, state, claimed_by, claimed_at) VALUES ($1, $2, $3, $4, 'queued', $5, now())
         ON CONFLICT (folder_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, state = 'queued', moved_to = NULL,
           claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
         WHERE x.state <> 'queued' AND (x.size <> excluded.size OR x.mtime_ms <> excluded.mtime_ms)`,
        [id, f.path, f.size, Math.trunc(f.mtimeMs), owner],
      )) === 1,
    retakeFile: async (id, path, owner) =>
      (await changes(
        db,
        `UPDATE hot_folder_files SET claimed_by = $3, claimed_at = now()
         WHERE folder_id = $1 AND path = $2 AND state = 'queued'
           AND (claimed_by IS NULL OR claimed_by = $3 OR claimed_at IS NULL OR claimed_at < now() - ${HEARTBEAT_STALE_MS} * interval '1 millisecond')`,
        [id, path, owner],
      )) === 1,
    queued: async (id) =>
      (
        await rows<FileRow>(db, `SELECT path, size, mtime_ms, state, moved_to FROM hot_folder_files WHERE folder_id = $1 AND state = 'queued' ORDER BY path COLLATE "C"`, [id])
      ).map(toFile),
    settleFile: async (id, path, state: Exclude<FileState, 'queued'>, movedTo) =>
      (await changes(db, `UPDATE hot_folder_files SET state = $3, moved_to = $4 WHERE folder_id = $1 AND path = $2 AND state = 'queued'`, [id, path, state, movedTo])) === 1,
    async filePages(batchId, path) {
      const r = await row<{ pages: number; open: number; failed: number }>(
        db,
        `SELECT count(*) AS pages,
                count(*) FILTER (WHERE status IN ('pending','running')) AS open,
                count(*) FILTER (WHERE status IN ('failed','skipped','cancelled')) AS failed
         FROM items WHERE batch_id = $1 AND path = $2`,
        [batchId, path],
      );
      return { pages: Number(r!.pages), open: Number(r!.open), failed: Number(r!.failed) };
    },
    async relocate(batchId, from, to, name) {
      await db.query(`UPDATE items SET path = $3, name = $4 WHERE batch_id = $1 AND path = $2`, [batchId, from, to, name]);
    },
  };
}
