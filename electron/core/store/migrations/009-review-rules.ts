import type { Migration } from './index';

/**
 * Per-batch review rules (store/rules.ts, shared/rules): the rules themselves, and the verdicts
 * they give, stored so they survive a restart and the grid can filter on them: each code's
 * breaks (detections.rule_json: a JSON array, [] = passes, NULL = not judged), each page's own
 * breaks (items.rule_json) and how many breaks the page has in all (items.rule_breaks, the
 * "rule breaks" filter).
 */
export const migration009: Migration = {
  version: 9,
  name: 'review rules',
  up(db) {
    db.exec(`
      CREATE TABLE batch_rules (
        batch_id    INTEGER PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
        rules_json  TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      ALTER TABLE items ADD COLUMN rule_json TEXT;
      ALTER TABLE items ADD COLUMN rule_breaks INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE detections ADD COLUMN rule_json TEXT;
      CREATE INDEX items_rule_breaks ON items(batch_id, id) WHERE rule_breaks > 0;
    `);
  },
};
