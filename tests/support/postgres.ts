import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temp dir, started with `pg_ctl` on a
 * free port (127.0.0.1) and a Unix socket in the same temp dir, trust authentication for the
 * user `scandesk`, durability off (fsync) because the cluster dies with the test. About 2 s.
 * Running as root, the server runs as the `postgres` user (PostgreSQL refuses root).
 *
 *   let pgc: PgCluster;
 *   beforeAll(async () => { pgc = await startPostgres(); });
 *   afterAll(() => pgc?.stop());
 *   const url = await pgc.createDatabase();   // a fresh, empty database per test or file
 *
 * Never skipped: where the binaries are missing, startPostgres fails and says how to install them.
 */
export interface PgCluster {
  /** postgres://scandesk@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  socketDir: string;
  /** Creates a new empty database; answers its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * A login role that must give its password (scram-sha-256, over TCP and the socket), owning
   * a new database of its own; answers that database's URL, without the password.
   */
  createPasswordDatabase(role: string, password: string): Promise<string>;
  /** Stops the server at once and removes its files. */
  stop(): Promise<void>;
}

const MIN_VERSION = 15;

/** The directory holding initdb and pg_ctl (PostgreSQL 15 or newer): SCANDESK_PG_BIN, Debian's layout, or PATH. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.SCANDESK_PG_BIN) candidates.push(process.env.SCANDESK_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .map(Number)
      .filter((v) => Number.isInteger(v) && v >= MIN_VERSION)
      .sort((a, b) => b - a);
    candidates.push(...versions.map((v) => join(debian, String(v), 'bin')));
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  for (const dir of candidates) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) {
      const v = spawnSync(join(dir, 'pg_ctl'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
      const major = Number(/(\d+)(?:\.\d+)?/.exec(v)?.[1] ?? 0);
      if (major >= MIN_VERSION) return dir;
    }
  }
  throw new Error(
    `PostgreSQL ${MIN_VERSION}+ server binaries (initdb, pg_ctl) were not found (looked in SCANDESK_PG_BIN, ${debian}/*/bin and PATH). ` +
      'Run `npm run setup` (it installs the apt packages in scripts/apt-packages.txt, including postgresql) or install PostgreSQL 15 or newer.',
  );
}

/** uid/gid to run the server as: ours, or the postgres user's when we are root. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root, PostgreSQL needs a non-root user to run as: the `postgres` user does not exist (install the postgresql package).');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(cmd: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const running = new Set<string>();
process.once('exit', () => {
  // A test process that ends without afterAll (crash, timeout) still stops its servers.
  for (const data of running) spawnSync(join(postgresBinDir(), 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore', ...(serverUser() ?? {}) });
});

export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBinDir();
  const user = serverUser();
  const as: SpawnOptions = user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: '/tmp' } } : {};
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  await run(join(bin, 'initdb'), ['-D', data, '-U', 'scandesk', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { ...as, cwd: dir });
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
    try {
      await run(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'], { ...as, cwd: dir });
      break;
    } catch (err) {
      // Another process took the port between our probe and the server's bind: try another.
      if (attempt >= 3) throw err;
    }
  }
  running.add(data);
  const url = `postgres://scandesk@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    url,
    port,
    socketDir: dir,
    async createDatabase(name = `t${process.pid}_${++n}`) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return `postgres://scandesk@127.0.0.1:${port}/${name}`;
    },
    async createPasswordDatabase(role, password) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`SET password_encryption = 'scram-sha-256'`);
        await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
        await c.query(`CREATE DATABASE "${role}_db" OWNER "${role}"`);
        // First match wins: this role's lines go before initdb's trust lines.
        const hba = join(data, 'pg_hba.conf');
        const lines = `local all ${role} scram-sha-256\nhost all ${role} 127.0.0.1/32 scram-sha-256\n`;
        writeFileSync(hba, lines + readFileSync(hba, 'utf8'));
        await c.query(`SELECT pg_reload_conf()`);
      } finally {
        await c.end();
      }
      const roleUrl = `postgres://${role}@127.0.0.1:${port}/${role}_db`;
      // The server reloads its configuration on a signal: wait until it asks this role for a password.
      for (let i = 0; ; i++) {
        const probe = new pg.Client({ connectionString: roleUrl, password: '' });
        const asked = await probe.connect().then(
          () => false,
          (err: Error) => /password/i.test(err.message),
        );
        await probe.end().catch(() => undefined);
        if (asked) return roleUrl;
        if (i >= 100) throw new Error(`PostgreSQL did not start asking ${role} for a password`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (!running.delete(data)) return;
      await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { ...as, cwd: dir }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
