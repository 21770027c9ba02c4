import type { Migration } from './index';

/**
 * Manual review (store/manual.ts): a reviewer's "checked, no code here" on a page. Codes a
 * reviewer drew by hand need no new table: they are detections of engine 'manual' under a
 * results row of that engine (so every reader of detections, exports included, sees them).
 */
export const migration007: Migration = {
  version: 7,
  name: 'manual review',
  up(db) {
    db.exec(`ALTER TABLE items ADD COLUMN checked_no_code INTEGER NOT NULL DEFAULT 0`);
  },
};
