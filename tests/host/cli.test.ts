import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { get } from './helpers';

/**
 * `node --import tsx electron/host/main.ts --db FILE --port 0` as a real child process: it
 * prints one address with the token, serves it, creates the profile, and exits cleanly on
 * SIGTERM.
 */
const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'scandesk-hostcli-'));
let child: ChildProcess | null = null;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('browser host CLI', () => {
  it('prints the tokened URL, serves it, and stops on SIGTERM', async () => {
    const db = join(dir, 'sub', 'profile.db');
    child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'electron/host/main.ts'), '--db', db, '--port', '0', '--renderer', join(dir, 'none')], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), 60_000);
      const check = () => {
        const m = /ScanDesk is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      };
      child?.stdout?.on('data', check);
      child?.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    expect(out.trim().split('\n')).toHaveLength(1);
    const u = new URL(url);
    const port = Number(u.port);
    const first = await get(port, `${u.pathname}${u.search}`);
    expect(first.status).toBe(303);
    // No renderer build in --renderer: a clear 503 naming the build command.
    const page = await get(port, '/', { cookie: String(first.headers['set-cookie']).split(';')[0] as string });
    expect(page.status).toBe(503);
    expect(page.body).toContain('electron-vite build');
    expect(existsSync(db)).toBe(true);

    const exited = new Promise<number | null>((r) => child?.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('rejects a bad port with a clear message', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(repo, 'electron/host/main.ts'), '--port', 'eighty'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(err).toContain('port');
  });
});
