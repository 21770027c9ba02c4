import type { PgMigration } from './index';

/** Per-batch review rules and their stored verdicts (store/pg/rules.ts; SQLite migration 009). */
export const migration008: PgMigration = {
  version: 8,
  name: 'review rules',
  sql: `
    CREATE TABLE batch_rules (
      batch_id    bigint PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
      rules_json  text NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE items ADD COLUMN rule_json text;
    ALTER TABLE items ADD COLUMN rule_breaks integer NOT NULL DEFAULT 0;
    ALTER TABLE detections ADD COLUMN rule_json text;
    CREATE INDEX items_rule_breaks ON items(batch_id, id) WHERE rule_breaks > 0;
  `,
};
