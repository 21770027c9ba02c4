import type { Migration } from './index';

/**
 * Pages stream into a batch while intake still reads its files (store/intake-state.ts): the
 * paths and the process adding them, set until intake has read everything.
 */
export const migration010: Migration = {
  version: 10,
  name: 'batch intake under way',
  up(db) {
    db.exec(`ALTER TABLE batches ADD COLUMN intake_json TEXT`);
  },
};
