import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { getExpectedInfo, getExpectedValues, setExpected } from '../../../electron/core/store/expected';
import { getSeparation, setSeparation } from '../../../electron/core/store/separation';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig004');
afterAll(() => tmp.cleanup());

/** A file at version 3 with a batch -> 004: the batch takes a rule and a list, and they go when it goes. */
describe('migration 004 (batch separation rule and expected list)', () => {
  it('adds the tables to an existing file; rule and list belong to their batch', () => {
    const db = new Database(join(tmp.dir, 'v2.sqlite'));
    applyPragmas(db);
    migrate(db, 3);
    db.exec(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'done', '{"engine":"local","task":"codes"}'),
                                                                                (2, 'c', '2026-01-01T00:00:00Z', 'done', '{"engine":"local","task":"codes"}')`);
    migrate(db, 4);
    expect(schemaVersion(db)).toBe(4);
    expect(getSeparation(db, 1)).toBeNull();
    setSeparation(db, 1, { kind: 'code', pattern: '^DOC-', dropSeparators: true });
    setSeparation(db, 1, { kind: 'every', pages: 2 }); // replaces
    expect(getSeparation(db, 1)).toEqual({ kind: 'every', pages: 2 });
    setExpected(db, 1, { info: { source: 'list.csv', column: 'code', importedAt: '2026-01-02T00:00:00Z' }, values: ['B', 'A', 'C'] });
    expect(getExpectedValues(db, 1)).toEqual(['B', 'A', 'C']); // the list's order
    expect(getExpectedInfo(db, 1)).toEqual({ source: 'list.csv', column: 'code', count: 3, importedAt: '2026-01-02T00:00:00Z' });
    setExpected(db, 2, { info: { source: 'pasted', column: 'column 1', importedAt: '2026-01-02T00:00:00Z' }, values: ['X'] });
    // A batch that does not exist cannot have either (foreign keys).
    expect(() => setSeparation(db, 99, { kind: 'every', pages: 1 })).toThrow(/FOREIGN KEY/);
    db.exec(`DELETE FROM batches WHERE id = 1`);
    expect(getSeparation(db, 1)).toBeNull();
    expect(getExpectedInfo(db, 1)).toBeNull();
    expect(getExpectedValues(db, 1)).toEqual([]);
    expect(getExpectedValues(db, 2)).toEqual(['X']);
    setExpected(db, 2, null);
    expect((db.prepare(`SELECT count(*) AS n FROM batch_expected`).get() as { n: number }).n).toBe(0);
    db.close();
  });
});
