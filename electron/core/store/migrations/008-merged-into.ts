import type { Migration } from './index';
import { itemMergePlan } from '../merge';

/**
 * The results table (store/code-table.ts) lists a batch's detections with SQL paging, so which
 * rows are another engine's copy of a code (shared/merge.ts) is kept in a column instead of
 * being worked out page by page: detections.merged_into, set by recountItem whenever a page's
 * detections change. Pages read by more than one engine are worked out once here.
 */
export const migration008: Migration = {
  version: 8,
  name: 'merged detections',
  up(db) {
    db.exec(`
      ALTER TABLE detections ADD COLUMN merged_into INTEGER;
      CREATE INDEX detections_merged ON detections(merged_into) WHERE merged_into IS NOT NULL;
    `);
    const pages = db.prepare(`SELECT item_id FROM detections GROUP BY item_id HAVING count(DISTINCT engine) > 1`).all() as Array<{ item_id: number }>;
    // Not through recountItem: that is today's code, which reads columns of later migrations.
    const mark = db.prepare(`UPDATE detections SET merged_into = ? WHERE id = ?`);
    for (const p of pages) for (const [id, into] of itemMergePlan(db, p.item_id).mergedInto) mark.run(into, id);
  },
};
