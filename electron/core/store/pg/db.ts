import pg from 'pg';
import { ScanError } from '../../errors';

/**
 * The PostgreSQL side of the store: one connection pool per PgStore, and the two helpers every
 * pg/ module uses. Counts and sums (int8, numeric) come back as JavaScript numbers, as SQLite
 * gives them: ids and counts stay far below 2^53.
 */
export type Queryable = Pick<pg.PoolClient, 'query'>;

const NUMBER_TYPES = new Set([20 /* int8 */, 1700 /* numeric */]);
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (NUMBER_TYPES.has(oid)) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export function openPool(url: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 8, types, application_name: 'scandesk' });
  // An idle connection that the server drops must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Rows of one statement. */
export async function rows<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)).rows as T[];
}

/** The first row of one statement, or undefined. */
export async function row<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await db.query(sql, params)).rows[0] as T | undefined;
}

/**
 * The first row of a statement prepared once per connection under `name` (the server parses
 * and plans it once): for the statements every page runs (claim, finish).
 */
export async function preparedRow<T>(db: Queryable, name: string, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await db.query({ name, text: sql, values: params })).rows[0] as T | undefined;
}

/** Rows a statement changed. */
export async function changes(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}

/** serialization_failure, deadlock_detected: the transaction is safe to run again. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `fn` in one transaction on a connection of its own (READ COMMITTED; the functions lock
 * the rows they decide on). A deadlock or serialization failure (two workers on the same rows)
 * runs it again, a few times; anything else rolls back and is thrown.
 */
export async function transaction<T>(pool: pg.Pool, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < 5) continue;
      throw err;
    } finally {
      client.release();
    }
  }
}

/** A refused connection or unknown host, said in words (the URL's password is never repeated). */
export function connectionError(url: string, err: unknown): ScanError {
  let where = 'the PostgreSQL server';
  try {
    const u = new URL(url);
    where = `${u.hostname || u.searchParams.get('host') || 'localhost'}:${u.port || 5432}/${u.pathname.replace(/^\//, '')}`;
  } catch {
    // not a URL: keep the generic words
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ScanError('INTERNAL', `Cannot open the shared queue at ${where}: ${message}`);
}
