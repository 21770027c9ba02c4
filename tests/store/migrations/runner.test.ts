import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/store/db';
import { LATEST_VERSION, migrate, schemaVersion, type Migration } from '../../../electron/core/store/migrations';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('migrun');
afterAll(() => tmp.cleanup());

describe('migration runner', () => {
  it('opens a new file at the latest version, in WAL mode with foreign keys on', () => {
    const path = join(tmp.dir, 'new.sqlite');
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    // Opening again is a no-op.
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(LATEST_VERSION);
    again.close();
  });

  it('refuses a file written by a newer build, with a clear message', () => {
    const path = join(tmp.dir, 'newer.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer ScanDesk/);
  });

  it('rolls a failing migration back entirely and leaves the previous version', () => {
    const db = new Database(join(tmp.dir, 'fail.sqlite'));
    const list: Migration[] = [
      { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER)') },
      {
        version: 2,
        name: 'breaks halfway',
        up: (d) => {
          d.exec('CREATE TABLE b (y INTEGER)');
          d.exec('INSERT INTO nowhere VALUES (1)');
        },
      },
    ];
    expect(() => migrate(db, 2, list)).toThrow(/no such table: nowhere/);
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    expect(tables.map((t) => t.name)).toEqual(['a']);
    db.close();
  });
});
