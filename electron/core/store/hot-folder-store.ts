import type { EnginePlan } from '../../../shared/engines';
import type { HotFolder } from '../../../shared/hot-folders';
import type { Db } from './db';
import * as hf from './hot-folders';
import type { FileRow, FileState } from './hot-folders';

export type { FileRow, FileState };

/**
 * The hot folders' tables behind one async interface, on both stores (SQLite: hot-folders.ts
 * through this adapter; PostgreSQL: pg/hot-folders.ts), covered by the store contract. A
 * folder is watched by one process at a time (claim with a heartbeat, taken over when stale);
 * each file is claimed by the watcher that submits it, so a file seen by two watchers (a
 * folder taken over while its old watcher still runs) joins the batch once.
 */
export interface HotFolderStore {
  list(): Promise<HotFolder[]>;
  get(id: number): Promise<HotFolder | null>;
  /** Adds the folder, or updates its plan and destinations when its path is known; enabled either way. Answers its id. */
  upsert(f: { path: string; plan: EnginePlan; doneDir: string | null; failedDir: string | null }): Promise<number>;
  setEnabled(id: number, enabled: boolean): Promise<void>;
  remove(id: number): Promise<void>;
  /** The folder's continuous batch from now on. */
  attachBatch(id: number, batchId: number): Promise<void>;
  /** Takes the folder for `owner` unless another process watches it (fresh heartbeat); answers the current owner on refusal. */
  claim(id: number, owner: string): Promise<{ ok: true } | { ok: false; owner: string }>;
  /** Renews the watch and the claims on the files `owner` is adding; false when it no longer holds the folder (another process took it over). */
  heartbeat(id: number, owner: string): Promise<boolean>;
  release(id: number, owner: string): Promise<void>;
  file(id: number, path: string): Promise<FileRow | null>;
  /** True only for the one caller that records the file as new (or changed since it settled): that caller adds it. */
  claimFile(id: number, f: { path: string; size: number; mtimeMs: number }, owner: string): Promise<boolean>;
  /** A queued file missing from the batch: true when `owner` may add it (its claim is its own, or stale: no heartbeat renewed it). */
  retakeFile(id: number, path: string, owner: string): Promise<boolean>;
  queued(id: number): Promise<FileRow[]>;
  /** A queued file moved on; false when another watcher settled it first. */
  settleFile(id: number, path: string, state: Exclude<FileState, 'queued'>, movedTo: string | null): Promise<boolean>;
  /** Pages of one file in a batch: how many, how many still wait, how many failed. */
  filePages(batchId: number, path: string): Promise<{ pages: number; open: number; failed: number }>;
  /** After a file moved: its pages point at where it is now. */
  relocate(batchId: number, from: string, to: string, name: string): Promise<void>;
}

/** The SQLite side: each call one statement on the profile's writer connection, the process's clock for heartbeats. */
export function sqliteHotFolders(db: Db, now: () => number): HotFolderStore {
  return {
    list: async () => hf.listHotFolders(db, now()),
    get: async (id) => hf.getHotFolder(db, id, now()),
    upsert: async (f) => hf.upsertHotFolder(db, f),
    setEnabled: async (id, enabled) => hf.setHotFolderEnabled(db, id, enabled),
    remove: async (id) => hf.deleteHotFolder(db, id),
    attachBatch: async (id, batchId) => hf.setHotFolderBatch(db, id, batchId),
    claim: async (id, owner) => hf.claimHotFolder(db, id, owner, now()),
    heartbeat: async (id, owner) => hf.heartbeatHotFolder(db, id, owner, now()),
    release: async (id, owner) => hf.releaseHotFolder(db, id, owner),
    file: async (id, path) => hf.hotFile(db, id, path),
    claimFile: async (id, f, owner) => hf.claimHotFile(db, id, f, owner, now()),
    retakeFile: async (id, path, owner) => hf.retakeHotFile(db, id, path, owner, now()),
    queued: async (id) => hf.queuedHotFiles(db, id),
    settleFile: async (id, path, state, movedTo) => hf.settleHotFile(db, id, path, state, movedTo),
    filePages: async (batchId, path) => hf.filePagesState(db, batchId, path),
    relocate: async (batchId, from, to, name) => hf.relocateFilePages(db, batchId, from, to, name),
  };
}
