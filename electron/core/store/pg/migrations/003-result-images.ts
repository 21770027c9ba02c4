import type { PgMigration } from './index';

/** Images a vendor returned with a result (IDCardOCR crops), deleted with it (SQLite migration 006). */
export const migration003: PgMigration = {
  version: 3,
  name: 'result images',
  sql: `
    CREATE TABLE result_images (
      result_id bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,
      kind      text NOT NULL CHECK (kind IN ('idcard','portrait')),
      format    text NOT NULL CHECK (format IN ('jpeg','png','bmp')),
      data      bytea NOT NULL,
      PRIMARY KEY (result_id, kind)
    );
  `,
};
