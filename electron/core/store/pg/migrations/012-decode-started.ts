import type { PgMigration } from './index';

/** jobs.decode_started_by (SQLite migration 011): the allocation that began decoding; only its loss counts toward the crash quarantine. */
export const migration012: PgMigration = {
  version: 12,
  name: 'decode started',
  sql: `ALTER TABLE jobs ADD COLUMN decode_started_by text;`,
};
