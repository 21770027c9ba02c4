import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { getItem, listItems } from '../../../electron/core/store/items';
import { getRules } from '../../../electron/core/store/rules';
import { setRules } from '../../../electron/core/store/rules-set';
import { EMPTY_RULES } from '../../../shared/rules/types';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig009');
afterAll(() => tmp.cleanup());

/** A file at version 8 -> 009: batches already there have no rules and their pages no verdicts, until rules are set. */
describe('migration 009 (review rules)', () => {
  it('adds batch_rules and the verdict columns; old pages are judged when rules are set', () => {
    const db = new Database(join(tmp.dir, 'v8.sqlite'));
    applyPragmas(db);
    migrate(db, 8);
    db.exec(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'done', '{"engine":"local","task":"codes"}')`);
    db.exec(`INSERT INTO items (id, batch_id, path, name, page, page_count, size, status, detection_count, review_pending) VALUES (1, 1, '/in/a.png', 'a.png', 1, 1, 10, 'done', 1, 1)`);
    db.exec(`INSERT INTO results (id, job_id, item_id, engine, task, engine_version, page_width, page_height, created_at) VALUES (1, NULL, 1, 'local', 'codes', 'x', 100, 100, 0)`);
    db.exec(`INSERT INTO detections (id, result_id, item_id, ord, engine, kind, symbology, text, geometry_json, review)
             VALUES (1, 1, 1, 0, 'local', 'code', 'EAN-13', '4006381333932', '{"kind":"rect","points":[]}', 'pending')`);
    migrate(db, 9);
    expect(schemaVersion(db)).toBe(9);
    expect(getRules(db, 1)).toBeNull();
    const before = getItem(db, 1);
    expect(before.rule).toBeUndefined();
    expect(before.detections[0]!.rule).toBeUndefined();
    expect(setRules(db, 1, { ...EMPTY_RULES, gs1: true })).toEqual({ pages: 1, flagged: 1, accepted: 0 });
    expect(getItem(db, 1).detections[0]!.rule).toEqual({ ok: false, breaks: [{ rule: 'gs1', problem: 'check-digit', detail: '4006381333932' }] });
    expect(listItems(db, 1, { filter: 'rule-breaks' }).total).toBe(1);
    db.exec(`DELETE FROM batches WHERE id = 1`);
    expect(getRules(db, 1)).toBeNull();
    db.close();
  });
});
