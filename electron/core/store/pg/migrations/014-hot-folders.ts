import type { PgMigration } from './index';

/**
 * Hot folders on the shared queue (store/pg/hot-folders.ts; SQLite migrations 005 and 012): a
 * watched folder feeds one continuous batch; each file seen there is remembered with the
 * watcher that claimed it, so a restart resumes exactly and two watchers never add a file
 * twice. Heartbeats are the server's clock. A file's pages are found by path when it settles.
 */
export const migration014: PgMigration = {
  version: 14,
  name: 'hot folders',
  sql: `
    CREATE TABLE hot_folders (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      path          text NOT NULL UNIQUE,
      batch_id      bigint REFERENCES batches(id) ON DELETE SET NULL,
      plan_json     text NOT NULL,
      done_dir      text,          -- processed files move here (NULL: they stay)
      failed_dir    text,          -- files with a failed or unreadable page move here
      enabled       boolean NOT NULL DEFAULT true,
      owner         text,          -- host:pid of the process watching it now
      heartbeat_at  timestamptz    -- renewed while it watches
    );
    CREATE INDEX hot_folders_batch ON hot_folders(batch_id);

    CREATE TABLE hot_folder_files (
      folder_id   bigint NOT NULL REFERENCES hot_folders(id) ON DELETE CASCADE,
      path        text NOT NULL,   -- where it appeared
      size        bigint NOT NULL,
      mtime_ms    bigint NOT NULL,
      state       text NOT NULL CHECK (state IN ('queued','done','failed','gone')),
      moved_to    text,
      claimed_by  text,            -- host:pid of the watcher adding it to the batch
      claimed_at  timestamptz,     -- renewed by that watcher's heartbeat while the file is queued
      PRIMARY KEY (folder_id, path)
    );

    CREATE INDEX items_batch_path ON items(batch_id, path);
  `,
};
