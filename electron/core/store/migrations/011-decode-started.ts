import type { Migration } from './index';

/**
 * jobs.decode_started_by: the allocation id of the holder that began decoding the job (queue/jobs.ts
 * startDecode). The crash quarantine counts a lost holder only when it had begun decoding: a
 * page whose holder died while it waited says nothing about the page.
 */
export const migration011: Migration = {
  version: 11,
  name: 'decode started',
  up(db) {
    db.exec(`ALTER TABLE jobs ADD COLUMN decode_started_by TEXT`);
  },
};
