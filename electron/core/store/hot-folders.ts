import type { EnginePlan } from '../../../shared/engines';
import type { HotFolder } from '../../../shared/hot-folders';
import type { Db } from './db';
import { stmt } from './statements';

/**
 * The hot-folder tables (migration 005) in narrow functions. A folder row says where to watch,
 * with which plan, where processed files go, and which batch its files join; a file row
 * remembers each file seen, so a restart resumes exactly.
 */

/** A heartbeat older than this means nobody watches the folder any more. */
export const HEARTBEAT_STALE_MS = 30_000;

interface FolderRow {
  id: number;
  path: string;
  batch_id: number | null;
  plan_json: string;
  done_dir: string | null;
  failed_dir: string | null;
  enabled: number;
  owner: string | null;
  heartbeat_at: number | null;
}

export type FileState = 'queued' | 'done' | 'failed' | 'gone';

export interface FileRow {
  path: string;
  size: number;
  mtime_ms: number;
  state: FileState;
  moved_to: string | null;
}

function toFolder(db: Db, r: FolderRow, now: number): HotFolder {
  const counts = stmt(db, `SELECT state, count(*) AS n FROM hot_folder_files WHERE folder_id = ? GROUP BY state`).all(r.id) as Array<{ state: FileState; n: number }>;
  const files = { queued: 0, done: 0, failed: 0, gone: 0 };
  for (const c of counts) files[c.state] = c.n;
  return {
    id: r.id,
    path: r.path,
    batchId: r.batch_id,
    plan: JSON.parse(r.plan_json) as EnginePlan,
    doneDir: r.done_dir,
    failedDir: r.failed_dir,
    enabled: r.enabled === 1,
    live: r.owner !== null && r.heartbeat_at !== null && now - r.heartbeat_at < HEARTBEAT_STALE_MS,
    files,
  };
}

export function listHotFolders(db: Db, now = Date.now()): HotFolder[] {
  return (stmt(db, `SELECT * FROM hot_folders ORDER BY id`).all() as FolderRow[]).map((r) => toFolder(db, r, now));
}

export function getHotFolder(db: Db, id: number, now = Date.now()): HotFolder | null {
  const r = stmt(db, `SELECT * FROM hot_folders WHERE id = ?`).get(id) as FolderRow | undefined;
  return r ? toFolder(db, r, now) : null;
}

export function hotFolderByPath(db: Db, path: string, now = Date.now()): HotFolder | null {
  const r = stmt(db, `SELECT * FROM hot_folders WHERE path = ?`).get(path) as FolderRow | undefined;
  return r ? toFolder(db, r, now) : null;
}

/** Adds the folder, or updates its plan and destinations when it is known; enabled either way. */
export function upsertHotFolder(db: Db, f: { path: string; plan: EnginePlan; doneDir: string | null; failedDir: string | null }): number {
  stmt(
    db,
    `INSERT INTO hot_folders (path, plan_json, done_dir, failed_dir, enabled) VALUES (?, ?, ?, ?, 1)
     ON CONFLICT (path) DO UPDATE SET plan_json = excluded.plan_json, done_dir = excluded.done_dir, failed_dir = excluded.failed_dir, enabled = 1`,
  ).run(f.path, JSON.stringify(f.plan), f.doneDir, f.failedDir);
  return (stmt(db, `SELECT id FROM hot_folders WHERE path = ?`).get(f.path) as { id: number }).id;
}

export function setHotFolderEnabled(db: Db, id: number, enabled: boolean): void {
  stmt(db, `UPDATE hot_folders SET enabled = ? WHERE id = ?`).run(enabled ? 1 : 0, id);
}

export function deleteHotFolder(db: Db, id: number): void {
  stmt(db, `DELETE FROM hot_folders WHERE id = ?`).run(id);
}

export function setHotFolderBatch(db: Db, id: number, batchId: number): void {
  stmt(db, `UPDATE hot_folders SET batch_id = ? WHERE id = ?`).run(batchId, id);
}

/**
 * Takes the folder for `owner` unless another process watches it (fresh heartbeat): one
 * watcher per folder, whichever process (app, CLI) it is. Answers the current owner on refusal.
 */
export function claimHotFolder(db: Db, id: number, owner: string, now = Date.now()): { ok: true } | { ok: false; owner: string } {
  const r = stmt(
    db,
    `UPDATE hot_folders SET owner = ?, heartbeat_at = ?
     WHERE id = ? AND (owner IS NULL OR owner = ? OR heartbeat_at IS NULL OR heartbeat_at < ?)`,
  ).run(owner, now, id, owner, now - HEARTBEAT_STALE_MS);
  if (r.changes === 1) return { ok: true };
  const cur = stmt(db, `SELECT owner FROM hot_folders WHERE id = ?`).get(id) as { owner: string | null } | undefined;
  return { ok: false, owner: cur?.owner ?? '?' };
}

/** Renews the folder's watch and the claims on the files this watcher is adding; false when it no longer holds the folder. */
export function heartbeatHotFolder(db: Db, id: number, owner: string, now = Date.now()): boolean {
  stmt(db, `UPDATE hot_folder_files SET claimed_at = ? WHERE folder_id = ? AND claimed_by = ? AND state = 'queued'`).run(now, id, owner);
  return stmt(db, `UPDATE hot_folders SET heartbeat_at = ? WHERE id = ? AND owner = ?`).run(now, id, owner).changes === 1;
}

export function releaseHotFolder(db: Db, id: number, owner: string): void {
  stmt(db, `UPDATE hot_folders SET owner = NULL, heartbeat_at = NULL WHERE id = ? AND owner = ?`).run(id, owner);
}

/**
 * A continuous batch stays open (running, waiting for files) while an enabled folder that
 * someone watches feeds it; the settle rule asks this (see NOTES: queue's transition table).
 */
export function batchHeldOpen(db: Db, batchId: number): boolean {
  return stmt(db, `SELECT 1 FROM hot_folders WHERE batch_id = ? AND enabled = 1 AND owner IS NOT NULL`).get(batchId) !== undefined;
}

export function hotFile(db: Db, folderId: number, path: string): FileRow | null {
  return (stmt(db, `SELECT path, size, mtime_ms, state, moved_to FROM hot_folder_files WHERE folder_id = ? AND path = ?`).get(folderId, path) as FileRow | undefined) ?? null;
}

/**
 * Claims a file seen in the folder for `owner` to submit: recorded as queued when it is new, or
 * changed (size or time) since it settled. True only for the one caller that recorded it: a
 * file already queued, or settled and unchanged, is nobody's to add again.
 */
export function claimHotFile(db: Db, folderId: number, f: { path: string; size: number; mtimeMs: number }, owner: string, now = Date.now()): boolean {
  return (
    stmt(
      db,
      `INSERT INTO hot_folder_files (folder_id, path, size, mtime_ms, state, claimed_by, claimed_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)
       ON CONFLICT (folder_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, state = 'queued', moved_to = NULL,
         claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
       WHERE hot_folder_files.state <> 'queued' AND (hot_folder_files.size <> excluded.size OR hot_folder_files.mtime_ms <> excluded.mtime_ms)`,
    ).run(folderId, f.path, f.size, Math.trunc(f.mtimeMs), owner, now).changes === 1
  );
}

/**
 * A queued file whose pages never reached the batch (its watcher stopped between claiming and
 * adding it) is taken over by `owner` once its claim is stale: its claimant's heartbeat renews
 * the claim while it adds the file, so a slow add (a long PDF) by a live watcher is never
 * repeated. True when `owner` may add it now.
 */
export function retakeHotFile(db: Db, folderId: number, path: string, owner: string, now = Date.now()): boolean {
  return (
    stmt(
      db,
      `UPDATE hot_folder_files SET claimed_by = ?, claimed_at = ?
       WHERE folder_id = ? AND path = ? AND state = 'queued'
         AND (claimed_by IS NULL OR claimed_by = ? OR claimed_at IS NULL OR claimed_at < ?)`,
    ).run(owner, now, folderId, path, owner, now - HEARTBEAT_STALE_MS).changes === 1
  );
}

export function queuedHotFiles(db: Db, folderId: number): FileRow[] {
  return stmt(db, `SELECT path, size, mtime_ms, state, moved_to FROM hot_folder_files WHERE folder_id = ? AND state = 'queued' ORDER BY path`).all(folderId) as FileRow[];
}

/** A queued file moved on (or stayed); false when another watcher settled it first. */
export function settleHotFile(db: Db, folderId: number, path: string, state: Exclude<FileState, 'queued'>, movedTo: string | null): boolean {
  return stmt(db, `UPDATE hot_folder_files SET state = ?, moved_to = ? WHERE folder_id = ? AND path = ? AND state = 'queued'`).run(state, movedTo, folderId, path).changes === 1;
}

/** Pages of one file in a batch: how many still wait, how many failed. */
export function filePagesState(db: Db, batchId: number, path: string): { pages: number; open: number; failed: number } {
  const r = stmt(
    db,
    `SELECT count(*) AS pages,
            coalesce(sum(status IN ('pending','running')), 0) AS open,
            coalesce(sum(status IN ('failed','skipped','cancelled')), 0) AS failed
     FROM items WHERE batch_id = ? AND path = ?`,
  ).get(batchId, path) as { pages: number; open: number; failed: number };
  return r;
}

/** After a file moved: its pages point at where it is now (previews, exports, PDFs follow). */
export function relocateFilePages(db: Db, batchId: number, from: string, to: string, name: string): void {
  stmt(db, `UPDATE items SET path = ?, name = ? WHERE batch_id = ? AND path = ?`).run(to, name, batchId, from);
}
