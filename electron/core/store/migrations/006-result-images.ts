import type { Migration } from './index';

/**
 * Images a vendor returns with a result (IDCardOCR's cropped card and portrait), kept with that
 * result: personal data, read only when the user asks to see them, and deleted with the result
 * (so with its page and batch). A result copied from the cache gets its own copy, so deleting
 * the batch that first paid for it does not take another batch's images.
 */
export const migration006: Migration = {
  version: 6,
  name: 'result images',
  up(db) {
    db.exec(`
      CREATE TABLE result_images (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        kind      TEXT NOT NULL CHECK (kind IN ('idcard','portrait')),
        format    TEXT NOT NULL CHECK (format IN ('jpeg','png','bmp')),
        data      BLOB NOT NULL,
        PRIMARY KEY (result_id, kind)
      ) WITHOUT ROWID;
    `);
  },
};
