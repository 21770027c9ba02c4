import type { PgMigration } from './index';

/** batches.intake_json (SQLite migration 010): intake still adds pages to the batch (store/intake-state.ts). */
export const migration010: PgMigration = {
  version: 10,
  name: 'batch intake under way',
  sql: `ALTER TABLE batches ADD COLUMN intake_json text;`,
};
