import type { PgMigration } from './index';

/**
 * rate_buckets.held_until: the end of the latest hold (a vendor's Retry-After). A worker waiting
 * for a slot it reserved before the hold finds its slot inside the hold and takes a new one
 * (store/pg/rate-buckets.ts), so a 429 seen by one worker slows every worker at once, not only
 * the slots reserved after it.
 */
export const migration013: PgMigration = {
  version: 13,
  name: 'rate bucket holds',
  sql: `ALTER TABLE rate_buckets ADD COLUMN held_until timestamptz NOT NULL DEFAULT '-infinity';`,
};
