import type { PgMigration } from './index';

/** Facts about the queue itself that every desk and worker reads (e.g. blob_root: where submitted files are copied). */
export const migration004: PgMigration = {
  version: 4,
  name: 'queue settings',
  sql: `
    CREATE TABLE queue_settings (
      key   text PRIMARY KEY,
      value text NOT NULL
    );
  `,
};
