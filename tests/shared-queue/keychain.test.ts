import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../electron/core/credentials/store';
import { startHost, type RunningHost } from '../../electron/host';
import { openWs, sessionCookie, WsClient } from '../host/helpers';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { startPostgres, type PgCluster } from '../support/postgres';

/**
 * Settings → Shared queue with a database that asks for a password, on a real Secret Service
 * (private D-Bus + gnome-keyring-daemon) and a real PostgreSQL that requires scram-sha-256 for
 * the desk's role. Through the browser host's requests, as the Settings screen sends them: the
 * password typed goes to the keychain (bound to that server, user and database), never into
 * the desk's files or logs; a restarted desk opens the queue with the keychain's password; a
 * different address is not given it; Forget removes it from the keychain.
 */
const PASSWORD = 'S3cret queue pass @:/%';
let keychain: PrivateKeychain;
let pgc: PgCluster;
let url: string;
let dir: string;
const logs: string[] = [];
const hosts: RunningHost[] = [];
const clients: WsClient[] = [];

beforeAll(async () => {
  keychain = await startPrivateKeychain();
  // Before keytar loads (it does on first use): libsecret reads the bus address then.
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  pgc = await startPostgres();
  url = await pgc.createPasswordDatabase('desk', PASSWORD);
  dir = mkdtempSync(join(tmpdir(), 'scandesk-queue-keychain-'));
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.ws.close();
  for (const h of hosts) await h.close();
  await pgc?.stop();
  await keychain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openDesk(): Promise<{ host: RunningHost; client: WsClient }> {
  const host = await startHost({ dbPath: join(dir, 'profile', 'profile.db'), rendererDir: join(dir, 'no-renderer'), log: (...a: unknown[]) => logs.push(a.map(String).join(' ')) });
  hosts.push(host);
  const cookie = await sessionCookie(host);
  const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie });
  if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
  const client = new WsClient(opened.ws);
  clients.push(client);
  return { host, client };
}

async function closeDesk(desk: { host: RunningHost; client: WsClient }): Promise<void> {
  desk.client.ws.close();
  await desk.host.close();
  hosts.splice(hosts.indexOf(desk.host), 1);
}

/** What the keychain holds for the shared queue, read with the same library the desk uses. */
async function keychainEntry(): Promise<{ endpoint: string; password: string } | null> {
  const keytar = (await import('keytar')).default;
  const raw = await keytar.getPassword(KEYCHAIN_SERVICE, 'shared-queue.password');
  return raw ? (JSON.parse(raw) as { endpoint: string; password: string }) : null;
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

type Status = { state: string; passwordSaved: boolean; url: string | null; message: string | null };

describe('Settings → Shared queue with a password (real keychain, real PostgreSQL)', () => {
  it('keeps the password in the keychain only, reconnects with it, binds it to its server and forgets it', async () => {
    const endpoint = new URL(url);
    const bound = `desk@127.0.0.1:${endpoint.port}/desk_db`;
    let desk = await openDesk();

    // The server asks for the password: without it the test says so; with it, it connects.
    const refused = await desk.client.invoke('sharedQueue.test', { url });
    expect(refused.ok).toBe(false);
    expect(refused.error?.message).toMatch(/password/i);
    const tested = await desk.client.invoke('sharedQueue.test', { url, password: PASSWORD });
    expect(tested.ok, JSON.stringify(tested.error)).toBe(true);
    expect(tested.value).toMatchObject({ endpoint: bound, initialized: false });
    expect(await keychainEntry()).toBeNull(); // testing saves nothing

    const saved = await desk.client.invoke('sharedQueue.save', { url, password: PASSWORD, blobs: null });
    expect(saved.ok, JSON.stringify(saved.error)).toBe(true);
    expect(saved.value).toMatchObject({ state: 'connected', passwordSaved: true, url });
    expect(await keychainEntry()).toEqual({ endpoint: bound, password: PASSWORD });
    await closeDesk(desk);

    // A restarted desk reads the password from the keychain (nothing else has it) and connects.
    desk = await openDesk();
    await expect
      .poll(async () => ((await desk.client.invoke('sharedQueue.status', {})).value as Status).state, { timeout: 30_000 })
      .toBe('connected');
    expect((await desk.client.invoke('sharedQueue.status', {})).value).toMatchObject({ passwordSaved: true, url });
    expect((await desk.client.invoke('sharedQueue.show', { source: 'shared' })).ok).toBe(true);
    expect((await desk.client.invoke('batches.list', {})).value).toEqual([]);

    // Another database on the same server is another address: the saved password is not sent there.
    const other = url.replace(/\/desk_db$/, '/postgres');
    const moved = await desk.client.invoke('sharedQueue.save', { url: other, blobs: null });
    expect(moved.ok, JSON.stringify(moved.error)).toBe(true);
    expect(moved.value).toMatchObject({ state: 'lost', passwordSaved: false });
    expect((moved.value as Status).message).toMatch(/password/i);
    expect(await keychainEntry()).toEqual({ endpoint: bound, password: PASSWORD });

    // Forget removes it from the keychain.
    expect((await desk.client.invoke('sharedQueue.forget', {})).value).toMatchObject({ state: 'off', passwordSaved: false });
    expect(await keychainEntry()).toBeNull();
    await closeDesk(desk);

    // Never in the desk's files or its log.
    for (const f of filesUnder(dir)) expect(readFileSync(f).includes(PASSWORD), f).toBe(false);
    expect(logs.join('\n')).not.toContain(PASSWORD);
    expect(logs.join('\n')).not.toContain(encodeURIComponent(PASSWORD));
  }, 180_000);
});
