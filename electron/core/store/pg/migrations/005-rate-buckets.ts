import type { PgMigration } from './index';

/** Vendor rate limits shared by every worker: one row per vendor operation, its next free slot (store/pg/rate-buckets.ts). */
export const migration005: PgMigration = {
  version: 5,
  name: 'rate buckets',
  sql: `
    CREATE TABLE rate_buckets (
      key          text PRIMARY KEY,
      next_free_at timestamptz NOT NULL
    );
  `,
};
