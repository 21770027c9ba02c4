import type { Migration } from './index';

/**
 * Hot-folder files claimed by the watcher that submits them (store/hot-folders.ts claimHotFile):
 * two watchers seeing the same file (a folder taken over while its old watcher still runs) add
 * it once. A file's pages are found by path when it settles, hence the index.
 */
export const migration012: Migration = {
  version: 12,
  name: 'hot folder file claims',
  up(db) {
    db.exec(`
      ALTER TABLE hot_folder_files ADD COLUMN claimed_by TEXT;     -- host:pid of the watcher adding it
      ALTER TABLE hot_folder_files ADD COLUMN claimed_at INTEGER;  -- ms epoch, renewed by that watcher's heartbeat while queued
      CREATE INDEX items_batch_path ON items(batch_id, path);
    `);
  },
};
