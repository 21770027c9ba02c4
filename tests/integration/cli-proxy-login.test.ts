import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { filesSearched, findSecrets } from './support/find-secrets';
import { cli, SAMPLES } from './support/vendors';

/**
 * `scandesk credentials proxy-login`: the proxy's sign-in stored from the command line, read
 * from stdin (never from a flag), in a real Secret Service, bound to the proxy the profile's
 * Network setting names; a real `scandesk scan` then goes through a real CONNECT proxy that
 * asks for it (407, then the sign-in). Nothing written or printed holds the password.
 */
const TC = { secretId: 'AKIDproxyLoginTencent00000001', secretKey: 'proxyLoginTencentKey000000001' };
const PROXY = { user: 'scan.desk', password: ' proxyLoginPasswordCanary 47' };

let keychain: PrivateKeychain;
let tencent: TencentEmulator;
let proxy: ConnectProxy;
let tmp: string;
let env: Record<string, string | undefined>;
const outputs: Record<string, string> = {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-proxy-login-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  tencent = await startTencentEmulator({ accounts: { [TC.secretId]: TC.secretKey } });
  proxy = await startConnectProxy({ user: PROXY.user, password: PROXY.password });
  mkdirSync(join(tmp, 'scans'));
  copyFileSync(join(SAMPLES, 'zxing/qrcode-2/1.png'), join(tmp, 'scans', 'a-qr.png'));
  env = {
    ...keychain.env,
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    HTTP_PROXY: undefined,
    http_proxy: undefined,
    ALL_PROXY: undefined,
    all_proxy: undefined,
    TENCENTCLOUD_SECRET_ID: TC.secretId,
    TENCENTCLOUD_SECRET_KEY: TC.secretKey,
    SCANDESK_TENCENT_ENDPOINT: `http://127.0.0.1:${tencent.port}`,
  };
}, 60_000);

afterAll(async () => {
  await tencent?.close();
  await proxy?.close();
  await keychain?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const db = () => join(tmp, 'data', 'cli.sqlite');

async function run(args: string[], input = '') {
  const r = await cli(args, env, input);
  outputs[`${args.join(' ')} stdout`] = r.stdout;
  outputs[`${args.join(' ')} stderr`] = r.stderr;
  return r;
}

describe('scandesk credentials proxy-login', () => {
  it('refuses while no proxy is set, and never takes the password from a flag', async () => {
    const none = await run(['credentials', 'proxy-login', '--db', db()], `${PROXY.user}\n${PROXY.password}\n`);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no proxy to sign in to/);
    const flag = await run(['credentials', 'proxy-login', '--db', db(), '--password', 'x'], '');
    expect(flag.code).not.toBe(0);
    expect(flag.stderr).toMatch(/unknown option '--password'/);
  });

  it('stores the sign-in for the profile\'s proxy; a scan then goes through it signed in', async () => {
    const set = await run(['settings', 'set', 'network.proxy', proxy.url, '--db', db()]);
    expect(set.code, set.stderr).toBe(0);
    const login = await run(['credentials', 'proxy-login', '--db', db()], `${PROXY.user}\n${PROXY.password}\n`);
    expect(login.code, login.stderr).toBe(0);
    const origin = new URL(proxy.url).origin;
    expect(login.stdout).toContain(`for ${origin} only`);
    const status = await run(['credentials', 'status', '--db', db()]);
    expect(status.stdout).toMatch(new RegExp(`proxy\\s+signed in for ${origin.replace(/[.]/g, '\\.')}`));

    const scan = await run(['scan', join(tmp, 'scans'), '--engine', 'tencent', '--db', db(), '--out', join(tmp, 'out', 'tencent.json'), '--yes']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(proxy.tunnels.map((t) => t.target)).toContain(`127.0.0.1:${tencent.port}`);
    expect(proxy.refused.length).toBeGreaterThan(0); // asked first (407), then given the sign-in
    expect(readFileSync(join(tmp, 'out', 'tencent.json'), 'utf8')).toContain('"engine":"tencent"');
  }, 120_000);

  it('takes the password alone on stdin with --user; proxy-logout removes it', async () => {
    const login = await run(['credentials', 'proxy-login', '--user', PROXY.user, '--db', db()], `${PROXY.password}\n`);
    expect(login.code, login.stderr).toBe(0);
    const two = await run(['credentials', 'proxy-login', '--user', PROXY.user, '--db', db()], `${PROXY.user}\n${PROXY.password}\n`);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/password alone/);
    const out = await run(['credentials', 'proxy-logout']);
    expect(out.stdout).toMatch(/Deleted the proxy sign-in/);
    const status = await run(['credentials', 'status', '--db', db()]);
    expect(status.stdout).toMatch(/proxy\s+no sign-in stored/);
  }, 60_000);

  it('left the password nowhere: not in the profile, the exports, or anything printed', () => {
    const search = { dirs: [tmp], exclude: (p: string) => p.startsWith(keychain.root) };
    expect(existsSync(join(tmp, 'data', 'vendor-settings.json'))).toBe(true);
    expect(findSecrets({ secrets: { 'proxy.password': PROXY.password }, texts: outputs, ...search })).toEqual([]);
    expect(filesSearched(search).length).toBeGreaterThan(1);
  });
});
