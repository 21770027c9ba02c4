import type { Migration } from './index';

/**
 * Hot folders (store/hot-folders.ts): a watched folder feeds one continuous batch. Each file
 * seen there is remembered (where it was, its size and time, what became of it), so a restart
 * neither adds a file twice nor forgets one that still waits to be moved.
 */
export const migration005: Migration = {
  version: 5,
  name: 'hot folders',
  up(db) {
    db.exec(`
      CREATE TABLE hot_folders (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE,
        batch_id      INTEGER REFERENCES batches(id) ON DELETE SET NULL,
        plan_json     TEXT NOT NULL,
        done_dir      TEXT,          -- processed files move here (NULL: they stay)
        failed_dir    TEXT,          -- files with a failed or unreadable page move here
        enabled       INTEGER NOT NULL DEFAULT 1,
        owner         TEXT,          -- host:pid of the process watching it now
        heartbeat_at  INTEGER        -- ms epoch, renewed while it watches
      );
      CREATE INDEX hot_folders_batch ON hot_folders(batch_id);

      CREATE TABLE hot_folder_files (
        folder_id  INTEGER NOT NULL REFERENCES hot_folders(id) ON DELETE CASCADE,
        path       TEXT NOT NULL,    -- where it appeared
        size       INTEGER NOT NULL,
        mtime_ms   INTEGER NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('queued','done','failed','gone')),
        moved_to   TEXT,
        PRIMARY KEY (folder_id, path)
      ) WITHOUT ROWID;
    `);
  },
};
