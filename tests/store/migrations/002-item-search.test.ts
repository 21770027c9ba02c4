import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { listItems } from '../../../electron/core/store/items';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig002');
afterAll(() => tmp.cleanup());

/** A file at version 1 with pages and detections -> 002: the indexes cover the old rows and the search index follows new writes. */
describe('migration 002 (item search and count indexes)', () => {
  it('indexes existing names, decoded and corrected values, and keeps up with later writes', () => {
    const db = new Database(join(tmp.dir, 'v1.sqlite'));
    applyPragmas(db);
    migrate(db, 1);
    db.exec(`
      INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'done', '{"engine":"local","task":"codes"}');
      INSERT INTO items (id, batch_id, path, name, page, page_count, format, size, sha256, status, detection_count)
        VALUES (1, 1, '/s/invoice-april.png', 'invoice-april.png', 1, 1, 'png', 10, 'a', 'done', 1),
               (2, 1, '/s/receipt.jpg', 'receipt.jpg', 1, 1, 'jpeg', 10, 'b', 'done', 2),
               (3, 1, '/s/blank.png', 'blank.png', 1, 1, 'png', 10, 'c', 'done', 0);
      INSERT INTO results (id, item_id, engine, task, engine_version, page_width, page_height, created_at)
        VALUES (1, 1, 'local', 'codes', 'v', 1, 1, 0), (2, 2, 'local', 'codes', 'v', 1, 1, 0);
      INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, geometry_json, corrected_text)
        VALUES (1, 1, 0, 'local', 'code', 'QRCode', 'https://example.com/INV-0042', '{}', NULL),
               (2, 2, 0, 'local', 'code', 'EAN-13', '4006381333931', '{}', NULL),
               (2, 2, 1, 'local', 'code', 'Code128', 'misread', '{}', 'SHIP-7788');
    `);
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(indexes).toContain('items_batch_counts');
    expect(indexes).toContain('items_batch_status');
    // The counts query reads the covering index only.
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT batch_id, status, count(*) AS n, sum(detection_count) AS codes FROM items WHERE batch_id = 1 GROUP BY batch_id, status`).all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX items_batch_counts/);
    // listItems reads today's item columns (later migrations add some): bring the file up to date first.
    migrate(db);
    const ids = (search: string) => listItems(db, 1, { search }).items.map((i) => i.id);
    expect(ids('invoice')).toEqual([1]); // file name
    expect(ids('inv-0042')).toEqual([1]); // decoded value, any case
    expect(ids('333931')).toEqual([2]);
    expect(ids('ship-77')).toEqual([2]); // corrected value
    expect(ids('misread')).toEqual([2]); // the decoded value stays searchable
    expect(ids('.png')).toEqual([1, 3]);
    expect(ids('zz')).toEqual([]);

    // Later writes: a new page, a new detection, a correction, a deletion.
    db.exec(`INSERT INTO items (id, batch_id, path, name, page, page_count, format, size, sha256, status) VALUES (4, 1, '/s/later.png', 'later.png', 1, 1, 'png', 1, 'd', 'done')`);
    expect(ids('later')).toEqual([4]);
    db.exec(`INSERT INTO results (id, item_id, engine, task, engine_version, page_width, page_height, created_at) VALUES (3, 3, 'local', 'codes', 'v', 1, 1, 0)`);
    db.exec(`INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, geometry_json) VALUES (3, 3, 0, 'local', 'code', 'QRCode', 'found-later', '{}')`);
    expect(ids('found-later')).toEqual([3]);
    db.exec(`UPDATE detections SET corrected_text = 'REPLACED-1' WHERE text = 'found-later'`);
    expect(ids('replaced-1')).toEqual([3]);
    db.exec(`UPDATE detections SET corrected_text = NULL WHERE text = 'found-later'`);
    expect(ids('replaced-1')).toEqual([]);
    db.exec(`DELETE FROM items WHERE id = 2`);
    expect(ids('333931')).toEqual([]);
    expect((db.prepare(`SELECT count(*) AS n FROM item_search`).get() as { n: number }).n).toBe(3);
    db.close();
  });
});
