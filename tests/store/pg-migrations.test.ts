import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool } from '../../electron/core/store/pg/db';
import { migratePg, pgSchemaVersion, PG_LATEST_VERSION, PG_MIGRATIONS } from '../../electron/core/store/pg/migrations';
import { startPostgres, type PgCluster } from '../support/postgres';

/** The shared queue's numbered migrations on a real PostgreSQL: step by step, concurrently, and refusing a newer schema. */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

describe('PostgreSQL migrations', () => {
  it('upgrade one number at a time, record each, and are a no-op when current', async () => {
    const pool = openPool(await cluster.createDatabase());
    try {
      expect(await pgSchemaVersion(pool)).toBe(0);
      await migratePg(pool, 1);
      expect(await pgSchemaVersion(pool)).toBe(1);
      const tables = async () =>
        (await pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows.map((r: { tablename: string }) => r.tablename);
      expect(await tables()).toEqual(['batches', 'detections', 'items', 'jobs', 'result_cache', 'results', 'schema_migrations']);
      await migratePg(pool);
      expect(await pgSchemaVersion(pool)).toBe(PG_LATEST_VERSION);
      expect(await tables()).toEqual(expect.arrayContaining(['vendor_usage', 'batch_usage', 'result_images']));
      const applied = (await pool.query(`SELECT version, name FROM schema_migrations ORDER BY version`)).rows;
      expect(applied).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      await migratePg(pool);
      expect((await pool.query(`SELECT count(*)::int AS n FROM schema_migrations`)).rows[0].n).toBe(PG_MIGRATIONS.length);
    } finally {
      await pool.end();
    }
  });

  it('two workers starting at once migrate once', async () => {
    const url = await cluster.createDatabase();
    const pools = [openPool(url), openPool(url), openPool(url)];
    try {
      await Promise.all(pools.map((p) => migratePg(p)));
      expect(await pgSchemaVersion(pools[0]!)).toBe(PG_LATEST_VERSION);
      expect((await pools[0]!.query(`SELECT count(*)::int AS n FROM schema_migrations`)).rows[0].n).toBe(PG_MIGRATIONS.length);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('refuses a schema newer than this build, and a failed migration leaves the previous version', async () => {
    const pool = openPool(await cluster.createDatabase());
    try {
      await migratePg(pool);
      await pool.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')`, [PG_LATEST_VERSION + 1]);
      await expect(migratePg(pool)).rejects.toThrow(/newer ScanDesk/);
      const fresh = openPool(await cluster.createDatabase());
      try {
        const broken = [...PG_MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE half (id int); SELECT no_such_function();' }];
        await expect(migratePg(fresh, 2, broken)).rejects.toThrow(/no_such_function/);
        expect(await pgSchemaVersion(fresh)).toBe(0);
        expect((await fresh.query(`SELECT to_regclass('half') IS NULL AS gone`)).rows[0].gone).toBe(true);
      } finally {
        await fresh.end();
      }
    } finally {
      await pool.end();
    }
  });
});
