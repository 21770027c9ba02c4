import type { PgMigration } from './index';

/**
 * What a batch is split and checked by, beside its pages (SQLite migration 004): the document
 * separation rule (store/pg/separation.ts) and the expected list it is reconciled against
 * (store/pg/expected.ts). Both belong to their batch and go with it.
 */
export const migration011: PgMigration = {
  version: 11,
  name: 'batch separation rule and expected list',
  sql: `
    CREATE TABLE batch_separation (
      batch_id   bigint PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
      rule_json  text NOT NULL
    );
    CREATE TABLE batch_expected_lists (
      batch_id     bigint PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
      source       text NOT NULL,      -- the file name it came from, or 'pasted'
      column_name  text NOT NULL,
      imported_at  text NOT NULL,
      count        integer NOT NULL
    );
    -- One row per distinct expected value, in the list's order.
    CREATE TABLE batch_expected (
      batch_id  bigint NOT NULL REFERENCES batch_expected_lists(batch_id) ON DELETE CASCADE,
      ord       integer NOT NULL,
      value     text NOT NULL,
      PRIMARY KEY (batch_id, ord)
    );
  `,
};
