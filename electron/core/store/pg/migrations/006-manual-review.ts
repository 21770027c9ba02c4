import type { PgMigration } from './index';

/** A reviewer's "checked, no code here" on a page (store/pg/manual.ts; SQLite migration 007). */
export const migration006: PgMigration = {
  version: 6,
  name: 'manual review',
  sql: `ALTER TABLE items ADD COLUMN checked_no_code integer NOT NULL DEFAULT 0;`,
};
