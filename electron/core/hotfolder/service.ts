import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { EnginePlan } from '../../../shared/engines';
import type { HotFolder } from '../../../shared/hot-folders';
import type { HotFolderStore } from '../store/hot-folder-store';
import { ScanError } from '../errors';

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

/** What a watcher records as it goes (one call, one statement): the folder store, and a way to let its batch settle. */
export interface HotFolderRuntime extends Pick<
  HotFolderStore,
  'get' | 'claim' | 'heartbeat' | 'release' | 'attachBatch' | 'file' | 'claimFile' | 'retakeFile' | 'queued' | 'settleFile' | 'filePages' | 'relocate'
> {
  /** Lets the service settle the batch now that the hold may have ended. */
  recheck(batchId: number): void;
}

export function hotFoldersApi(folders: HotFolderStore, checkPlan: (plan: EnginePlan) => EnginePlan, recheck: (batchId: number) => void): HotFoldersApi {
  const found = async (id: number): Promise<HotFolder> => {
    const f = await folders.get(id);
    if (!f) throw new ScanError('NOT_FOUND', `Hot folder ${id} does not exist.`);
    return f;
  };
  const settleBatch = (f: HotFolder) => {
    if (f.batchId !== null) recheck(f.batchId);
  };
  return {
    list: () => folders.list(),
    get: found,
    async save(input) {
      const path = await existingFolder(input.path, 'hot folder');
      const doneDir = input.doneDir ? await existingFolder(input.doneDir, 'done folder') : null;
      const failedDir = input.failedDir ? await existingFolder(input.failedDir, 'failed folder') : null;
      for (const d of [doneDir, failedDir]) {
        if (d === path) throw new ScanError('INVALID_INPUT', `The done and failed folders must not be the watched folder itself (${path}).`);
      }
      for (const other of await folders.list()) {
        if (other.path !== path && (inside(path, other.path) || inside(other.path, path))) {
          throw new ScanError('INVALID_INPUT', `${path} overlaps the hot folder ${other.path}: a file would join two batches.`);
        }
      }
      const id = await folders.upsert({ path, plan: checkPlan(input.plan), doneDir, failedDir });
      return found(id);
    },
    async setEnabled(id, enabled) {
      await found(id);
      await folders.setEnabled(id, enabled);
      const f = await found(id);
      settleBatch(f);
      return f;
    },
    async remove(id) {
      const f = await found(id);
      await folders.remove(id);
      settleBatch(f);
    },
    runtime: {
      get: (id) => folders.get(id),
      claim: (id, owner) => folders.claim(id, owner),
      heartbeat: (id, owner) => folders.heartbeat(id, owner),
      release: (id, owner) => folders.release(id, owner),
      attachBatch: (id, batchId) => folders.attachBatch(id, batchId),
      file: (id, path) => folders.file(id, path),
      claimFile: (id, f, owner) => folders.claimFile(id, f, owner),
      retakeFile: (id, path, owner) => folders.retakeFile(id, path, owner),
      queued: (id) => folders.queued(id),
      settleFile: (id, path, state, movedTo) => folders.settleFile(id, path, state, movedTo),
      filePages: (batchId, path) => folders.filePages(batchId, path),
      relocate: (batchId, from, to, name) => folders.relocate(batchId, from, to, name),
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
