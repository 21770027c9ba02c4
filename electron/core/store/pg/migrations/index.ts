import type pg from 'pg';
import { ScanError } from '../../../errors';
import { transaction } from '../db';
import { migration001 } from './001-queue';
import { migration002 } from './002-vendor-usage';
import { migration003 } from './003-result-images';
import { migration004 } from './004-queue-settings';
import { migration005 } from './005-rate-buckets';
import { migration006 } from './006-manual-review';
import { migration007 } from './007-merged-into';
import { migration008 } from './008-review-rules';
import { migration009 } from './009-job-functions';
import { migration010 } from './010-batch-intake';
import { migration011 } from './011-batch-documents-expected';
import { migration012 } from './012-decode-started';
import { migration013 } from './013-rate-holds';
import { migration014 } from './014-hot-folders';

/**
 * Numbered schema migrations of the shared queue, tracked in table schema_migrations. Each runs
 * in one transaction with its row, under an advisory lock, so two workers starting at once
 * migrate once and a failed upgrade leaves the previous version. Never edit a released
 * migration: add the next number (PostgreSQL's numbers are its own, not SQLite's).
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014];
export const PG_LATEST_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;

/** Any fixed number: the lock every ScanDesk migrating this database takes. */
const MIGRATION_LOCK = 7_203_517;

export async function pgSchemaVersion(pool: pg.Pool): Promise<number> {
  const r = await pool.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (!r.rows[0].exists) return 0;
  const v = await pool.query(`SELECT coalesce(max(version), 0) AS v FROM schema_migrations`);
  return Number(v.rows[0].v);
}

/** Applies every migration above the database's version, up to `target` (default: all). */
export async function migratePg(pool: pg.Pool, target: number = PG_LATEST_VERSION, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<void> {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  await transaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [MIGRATION_LOCK]);
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const current = Number((await db.query(`SELECT coalesce(max(version), 0) AS v FROM schema_migrations`)).rows[0].v);
    if (current > latest) {
      throw new ScanError(
        'INTERNAL',
        `This shared queue was set up by a newer ScanDesk (schema ${current}, this build knows ${latest}). Update ScanDesk to use it.`,
      );
    }
    for (const m of migrations) {
      if (m.version <= current || m.version > target) continue;
      await db.query(m.sql);
      await db.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
  });
}
