import type { PgMigration } from './index';

/**
 * detections.merged_into (SQLite migration 008): another engine's copy of a code, kept by
 * recountItem for the results table's paged query (pg/code-table.ts). Pages already read by
 * two engines get it at their next change (a verdict, a rerun); until then the table lists
 * each engine's copy.
 */
export const migration007: PgMigration = {
  version: 7,
  name: 'merged detections',
  sql: `
    ALTER TABLE detections ADD COLUMN merged_into bigint;
    CREATE INDEX detections_merged ON detections(merged_into) WHERE merged_into IS NOT NULL;
  `,
};
