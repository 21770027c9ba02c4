import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { makePrivateDir, makePrivateFile, tightenIfLoose } from '../private-files';
import { migrate } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the one SQLite file of a profile and brings its schema up to date.
 *
 * WAL lets export and the UI read while the runner writes; synchronous=NORMAL is durable across
 * a process crash in WAL mode (only an OS crash can lose the last commits), which is the
 * failure the queue guards against. busy_timeout covers a second process (CLI next to the app).
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') {
    // Personal data (file names, decoded values, ID-card fields): owner-only. SQLite gives the
    // -wal and -shm files the database file's mode, so creating it first covers them too.
    makePrivateDir(dirname(path));
    makePrivateFile(path);
    for (const journal of ['-wal', '-shm', '-journal']) tightenIfLoose(`${path}${journal}`);
  }
  const db = new Database(path);
  try {
    applyPragmas(db);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * A second, read-only connection to the same file. Streaming an export keeps a statement open
 * across awaits; on the writer's connection that would block every write ("connection is busy"),
 * on its own connection it reads a consistent WAL snapshot while the runner goes on.
 */
export function openReadonly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
