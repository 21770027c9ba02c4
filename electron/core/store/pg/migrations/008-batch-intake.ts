import type { PgMigration } from './index';

/** batches.intake_json (SQLite migration 009): intake still adds pages to the batch (store/intake-state.ts). */
export const migration008: PgMigration = {
  version: 8,
  name: 'batch intake under way',
  sql: `ALTER TABLE batches ADD COLUMN intake_json text;`,
};
