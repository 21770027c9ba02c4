import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { EnginePlan } from '../../../shared/engines';
import type { HotFolder } from '../../../shared/hot-folders';
import type { Db } from '../store/db';
import { ScanError } from '../errors';
import * as store from '../store/hot-folders';
import type { FileRow, FileState } from '../store/hot-folders';

export interface HotFolderInput {
  path: string;
  plan: EnginePlan;
  doneDir?: string | null;
  failedDir?: string | null;
}

/**
 * The hot folders of a profile: what Settings and `scandesk watch` configure, and the store
 * operations the watcher (watcher.ts) runs on. Every folder named must exist: ScanDesk never
 * creates folders on its own.
 */
export interface HotFoldersApi {
  list(): Promise<HotFolder[]>;
  get(id: number): Promise<HotFolder>;
  /** Adds or updates (by path) a folder, enabled. */
  save(input: HotFolderInput): Promise<HotFolder>;
  /** A disabled or removed folder's batch settles (done) once its last pages are. */
  setEnabled(id: number, enabled: boolean): Promise<HotFolder>;
  remove(id: number): Promise<void>;
  runtime: HotFolderRuntime;
}

/** What a watcher records as it goes (one call, one transaction). */
export interface HotFolderRuntime {
  claim(id: number, owner: string): Promise<{ ok: true } | { ok: false; owner: string }>;
  heartbeat(id: number, owner: string): Promise<boolean>;
  release(id: number, owner: string): Promise<void>;
  attachBatch(id: number, batchId: number): Promise<void>;
  file(id: number, path: string): Promise<FileRow | null>;
  fileSeen(id: number, f: { path: string; size: number; mtimeMs: number }): Promise<void>;
  queued(id: number): Promise<FileRow[]>;
  fileSettled(id: number, path: string, state: Exclude<FileState, 'queued'>, movedTo: string | null): Promise<void>;
  filePages(batchId: number, path: string): Promise<{ pages: number; open: number; failed: number }>;
  relocate(batchId: number, from: string, to: string, name: string): Promise<void>;
  /** Lets the service settle the batch now that the hold may have ended. */
  recheck(batchId: number): void;
}

export function hotFoldersApi(db: Db, checkPlan: (plan: EnginePlan) => EnginePlan, recheck: (batchId: number) => void): HotFoldersApi {
  const found = (id: number): HotFolder => {
    const f = store.getHotFolder(db, id);
    if (!f) throw new ScanError('NOT_FOUND', `Hot folder ${id} does not exist.`);
    return f;
  };
  const settleBatch = (f: HotFolder) => {
    if (f.batchId !== null) recheck(f.batchId);
  };
  return {
    async list() {
      return store.listHotFolders(db);
    },
    async get(id) {
      return found(id);
    },
    async save(input) {
      const path = await existingFolder(input.path, 'hot folder');
      const doneDir = input.doneDir ? await existingFolder(input.doneDir, 'done folder') : null;
      const failedDir = input.failedDir ? await existingFolder(input.failedDir, 'failed folder') : null;
      for (const d of [doneDir, failedDir]) {
        if (d === path) throw new ScanError('INVALID_INPUT', `The done and failed folders must not be the watched folder itself (${path}).`);
      }
      for (const other of store.listHotFolders(db)) {
        if (other.path !== path && (inside(path, other.path) || inside(other.path, path))) {
          throw new ScanError('INVALID_INPUT', `${path} overlaps the hot folder ${other.path}: a file would join two batches.`);
        }
      }
      const id = store.upsertHotFolder(db, { path, plan: checkPlan(input.plan), doneDir, failedDir });
      return found(id);
    },
    async setEnabled(id, enabled) {
      found(id);
      store.setHotFolderEnabled(db, id, enabled);
      const f = found(id);
      settleBatch(f);
      return f;
    },
    async remove(id) {
      const f = found(id);
      store.deleteHotFolder(db, id);
      settleBatch(f);
    },
    runtime: {
      async claim(id, owner) {
        return store.claimHotFolder(db, id, owner);
      },
      async heartbeat(id, owner) {
        return store.heartbeatHotFolder(db, id, owner);
      },
      async release(id, owner) {
        store.releaseHotFolder(db, id, owner);
      },
      async attachBatch(id, batchId) {
        store.setHotFolderBatch(db, id, batchId);
      },
      async file(id, path) {
        return store.hotFile(db, id, path);
      },
      async fileSeen(id, f) {
        store.recordHotFile(db, id, f);
      },
      async queued(id) {
        return store.queuedHotFiles(db, id);
      },
      async fileSettled(id, path, state, movedTo) {
        store.settleHotFile(db, id, path, state, movedTo);
      },
      async filePages(batchId, path) {
        return store.filePagesState(db, batchId, path);
      },
      async relocate(batchId, from, to, name) {
        store.relocateFilePages(db, batchId, from, to, name);
      },
      recheck,
    },
  };
}

async function existingFolder(p: string, what: string): Promise<string> {
  if (typeof p !== 'string' || p.trim() === '') throw new ScanError('INVALID_INPUT', `The ${what} needs a path.`);
  const abs = resolve(p);
  const st = await stat(abs).catch(() => null);
  if (!st) throw new ScanError('INVALID_INPUT', `The ${what} ${abs} does not exist: create it first, or choose another.`);
  if (!st.isDirectory()) throw new ScanError('INVALID_INPUT', `The ${what} ${abs} is a file, not a folder.`);
  return abs;
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}
