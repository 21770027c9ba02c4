import type { PgMigration } from './index';

/** Vendor usage per vendor day, account and operation, and per batch (SQLite migration 003). */
export const migration002: PgMigration = {
  version: 2,
  name: 'vendor usage',
  sql: `
    CREATE TABLE vendor_usage (
      day           text NOT NULL,
      vendor        text NOT NULL,
      account       text NOT NULL,
      account_label text NOT NULL,
      operation     text NOT NULL,
      calls         bigint NOT NULL DEFAULT 0,
      billable      bigint NOT NULL DEFAULT 0,
      errors        bigint NOT NULL DEFAULT 0,
      bytes_sent    bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (day, vendor, account, operation)
    );

    CREATE TABLE batch_usage (
      batch_id   bigint NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
      vendor     text NOT NULL,
      operation  text NOT NULL,
      calls      bigint NOT NULL DEFAULT 0,
      billable   bigint NOT NULL DEFAULT 0,
      errors     bigint NOT NULL DEFAULT 0,
      bytes_sent bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (batch_id, vendor, operation)
    );
  `,
};
