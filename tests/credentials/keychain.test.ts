import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_ENDPOINTS } from '../../electron/core/credentials/endpoint';
import { CredentialStore } from '../../electron/core/credentials/store';
import { ScanError } from '../../electron/core/errors';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';

const execFileAsync = promisify(execFile);
const CHILD = resolve(__dirname, 'fixtures/keychain-child.ts');

function runChild(args: string[], env: NodeJS.ProcessEnv) {
  return execFileAsync(process.execPath, ['--import', 'tsx', CHILD, ...args], { env, cwd: resolve(__dirname, '../..') }).then(
    ({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>,
  );
}

const CREDS = {
  tencent: { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' },
  wechat: { appId: 'wx1234567890abcdef', appSecret: '0123456789abcdef0123456789abcdef' },
  alioss: { accessKeyId: 'LTAI5tExampleAccessKey01', accessKeySecret: 'ExampleAccessKeySecretValue0123' },
} as const;

describe('credential store on a real Secret Service (private D-Bus + gnome-keyring)', () => {
  let keychain: PrivateKeychain;
  let store: CredentialStore;

  beforeAll(async () => {
    keychain = await startPrivateKeychain();
    // Before keytar loads (the store loads it on first use): libsecret reads the bus address then.
    Object.assign(process.env, keychain.env);
    delete process.env.DISPLAY;
    store = new CredentialStore();
  });

  afterAll(async () => {
    await keychain?.stop();
  });

  it('starts empty: nothing configured, keychain available', async () => {
    const status = await store.status();
    expect(status.available).toBe(true);
    expect(status.error).toBeNull();
    expect(status.vendors).toEqual([
      { vendor: 'tencent', configured: false, maskedId: null, endpoint: null },
      { vendor: 'wechat', configured: false, maskedId: null, endpoint: null },
      { vendor: 'alioss', configured: false, maskedId: null, endpoint: null },
    ]);
    expect(await store.get('wechat')).toBeNull();
  });

  it('stores, reads, replaces and deletes credentials of all three vendors', async () => {
    for (const vendor of ['tencent', 'wechat', 'alioss'] as const) {
      const st = await store.set(vendor, CREDS[vendor] as never, { endpoint: OFFICIAL_ENDPOINTS[vendor] });
      expect(st.configured).toBe(true);
      expect(await store.get(vendor)).toEqual(CREDS[vendor]);
    }
    const status = await store.status();
    expect(status.vendors).toEqual([
      { vendor: 'tencent', configured: true, maskedId: 'AKID…MPLE', source: 'keychain', endpoint: OFFICIAL_ENDPOINTS.tencent },
      { vendor: 'wechat', configured: true, maskedId: 'wx12…cdef', source: 'keychain', endpoint: OFFICIAL_ENDPOINTS.wechat },
      { vendor: 'alioss', configured: true, maskedId: 'LTAI…ey01', source: 'keychain', endpoint: OFFICIAL_ENDPOINTS.alioss },
    ]);
    // The status never carries a secret.
    const statusText = JSON.stringify(status);
    for (const c of Object.values(CREDS)) for (const v of Object.values(c)) expect(statusText).not.toContain(v);

    // Stored in the daemon, not in this process: another process on the same bus reads them.
    const other = await runChild(['read', 'alioss'], { ...process.env, ...keychain.env });
    expect(other.creds).toEqual(CREDS.alioss);

    // Replace one vendor; the others stay.
    await store.set('wechat', { appId: 'wxfedcba0987654321', appSecret: 'ffffeeeeddddccccbbbbaaaa99998888' }, { endpoint: OFFICIAL_ENDPOINTS.wechat });
    expect(await store.get('wechat')).toEqual({ appId: 'wxfedcba0987654321', appSecret: 'ffffeeeeddddccccbbbbaaaa99998888' });
    expect(await store.get('tencent')).toEqual(CREDS.tencent);

    // Delete each; a second delete finds nothing.
    for (const vendor of ['tencent', 'wechat', 'alioss'] as const) {
      expect(await store.delete(vendor)).toBe(true);
      expect(await store.get(vendor)).toBeNull();
      expect(await store.delete(vendor)).toBe(false);
    }
    expect((await store.status()).vendors.every((v) => !v.configured)).toBe(true);
  });

  it('rejects incomplete or malformed input without echoing it', async () => {
    await expect(store.set('wechat', { appId: 'wx1234567890abcdef', appSecret: '  ' }, { endpoint: OFFICIAL_ENDPOINTS.wechat })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^fields\.appSecret: the wechat appSecret is missing\.$/),
    });
    const bad = store.set('alioss', { accessKeyId: 'LTAI5tExampleAccessKey01', accessKeySecret: 'line1\nline2secret' }, { endpoint: OFFICIAL_ENDPOINTS.alioss });
    await expect(bad).rejects.toBeInstanceOf(ScanError);
    await expect(bad).rejects.not.toHaveProperty('message', expect.stringContaining('line2secret'));
    await expect(store.set('tencent', { ...CREDS.tencent, password: 'x' } as never, { endpoint: OFFICIAL_ENDPOINTS.tencent })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.get('alioss')).toBeNull();
  });

  it('a half-written vendor (one field missing) reads as not configured', async () => {
    const keytar = (await import('keytar')).default;
    await keytar.setPassword('ScanDesk', 'tencent.secretId', CREDS.tencent.secretId);
    expect(await store.get('tencent')).toBeNull();
    expect((await store.status()).vendors[0]).toEqual({ vendor: 'tencent', configured: false, maskedId: null, endpoint: null });
    await store.delete('tencent');
  });
});

describe('credential store without a keychain', () => {
  it('reports KEYCHAIN_UNAVAILABLE cleanly when there is no session bus, and loads keytar only on use', async () => {
    const runtime = mkdtempSync(join(tmpdir(), 'scandesk-nobus-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime, HOME: runtime };
      delete env.DBUS_SESSION_BUS_ADDRESS;
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;

      const status = await runChild(['status'], env);
      expect(status.loadedAtImport).toBe(false);
      const s = status.status as { available: boolean; error: { code: string; message: string }; vendors: unknown[] };
      expect(s.available).toBe(false);
      expect(s.error.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(s.error.message).toMatch(/keychain/i);
      expect(s.error.message).toMatch(/Local decoding keeps working/);
      expect(s.vendors).toHaveLength(3);

      const read = await runChild(['read', 'wechat'], env);
      expect(read.error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', errorClass: 'stop-engine' });
    } finally {
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});
