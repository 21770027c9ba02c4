import type { Migration } from './index';

/**
 * What a batch is checked and split by, beside its pages: the document separation rule
 * (store/separation.ts) and the expected list it is reconciled against (store/expected.ts).
 * Both belong to their batch and go with it.
 */
export const migration004: Migration = {
  version: 4,
  name: 'batch separation rule and expected list',
  up(db) {
    db.exec(`
      CREATE TABLE batch_separation (
        batch_id   INTEGER PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
        rule_json  TEXT NOT NULL
      );

      CREATE TABLE batch_expected_lists (
        batch_id    INTEGER PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
        source      TEXT NOT NULL,      -- the file name it came from, or 'pasted'
        column_name TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        count       INTEGER NOT NULL
      );
      -- One row per distinct expected value, in the list's order.
      CREATE TABLE batch_expected (
        batch_id  INTEGER NOT NULL REFERENCES batch_expected_lists(batch_id) ON DELETE CASCADE,
        ord       INTEGER NOT NULL,
        value     TEXT NOT NULL,
        PRIMARY KEY (batch_id, ord)
      ) WITHOUT ROWID;
    `);
  },
};
