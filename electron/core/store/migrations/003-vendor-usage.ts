import type { Migration } from './index';

/**
 * Vendor usage (electron/core/usage): every call a vendor client makes, counted per vendor day
 * (China Standard Time, when the vendors' daily quotas reset), vendor, account and operation;
 * and per batch, so a batch shows what it spent. An account is a one-way fingerprint with a
 * masked label: no identifier or secret is stored. The per-batch rows go with their batch;
 * the per-account rows are the account's history and stay.
 */
export const migration003: Migration = {
  version: 3,
  name: 'vendor usage',
  up(db) {
    db.exec(`
      CREATE TABLE vendor_usage (
        day           TEXT NOT NULL,              -- YYYY-MM-DD, UTC+8
        vendor        TEXT NOT NULL,
        account       TEXT NOT NULL,              -- fingerprint ('' when no account was configured)
        account_label TEXT NOT NULL,              -- masked identifier, for display
        operation     TEXT NOT NULL,
        calls         INTEGER NOT NULL DEFAULT 0,
        billable      INTEGER NOT NULL DEFAULT 0,
        errors        INTEGER NOT NULL DEFAULT 0,
        bytes_sent    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, vendor, account, operation)
      ) WITHOUT ROWID;

      CREATE TABLE batch_usage (
        batch_id   INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        vendor     TEXT NOT NULL,
        operation  TEXT NOT NULL,
        calls      INTEGER NOT NULL DEFAULT 0,
        billable   INTEGER NOT NULL DEFAULT 0,
        errors     INTEGER NOT NULL DEFAULT 0,
        bytes_sent INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (batch_id, vendor, operation)
      ) WITHOUT ROWID;
    `);
  },
};
