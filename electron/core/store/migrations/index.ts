import type Database from 'better-sqlite3';
import { ScanError } from '../../errors';
import { migration001 } from './001-initial';
import { migration002 } from './002-item-search';
import { migration003 } from './003-vendor-usage';
import { migration004 } from './004-batch-documents-expected';
import { migration005 } from './005-hot-folders';
import { migration006 } from './006-result-images';
import { migration007 } from './007-manual-review';
import { migration008 } from './008-merged-into';
import { migration009 } from './009-review-rules';
import { migration010 } from './010-batch-intake';
import { migration011 } from './011-decode-started';
import { migration012 } from './012-hot-file-claims';

/**
 * Numbered schema migrations, tracked in PRAGMA user_version. Each runs in its own transaction
 * together with the version bump, so a failed upgrade leaves the file at the previous version.
 * Never edit a released migration: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration above the file's version, up to `target` (default: all). */
export function migrate(
  db: Database.Database,
  target: number = LATEST_VERSION,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new ScanError(
      'INTERNAL',
      `This database was written by a newer ScanDesk (schema ${current}, this build knows ${latest}). Update ScanDesk to open it.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
