import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../electron/core/credentials/store';
import { startOssEmulator, type OssEmulator } from '../emulators/alioss/server';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { filesSearched, findSecrets } from './support/find-secrets';
import { cli, SAMPLES, type CliRun } from './support/vendors';

/**
 * Issue 8's proof: the secret-leak search still passes with temporary credentials (Tencent STS
 * token, OSS security token) and a proxy that asks for a sign-in (kept in a real Secret
 * Service) in play. Real `scandesk scan` runs go through a real CONNECT proxy to the emulators,
 * which check the tokens; then the database (with its WAL), settings, exports, the decode log,
 * the OSS upload journal, stdout and stderr are searched for every secret in every encoding.
 */
const TC = { secretId: 'AKIDleakTmpTencent000000000001', secretKey: 'leakTmpTencentKey00000000000001', token: 'leakTcSessionTokenCanary000000000000001' };
const OSS = { accessKeyId: 'STS.NleakTmpOss00000000001', accessKeySecret: 'leakTmpOssSecret0000000000001', securityToken: 'CAISleakOssSecurityTokenCanary0000000001' };
const PROXY = { user: 'scan.desk', password: 'leakProxyPasswordCanary31' };
const BUCKET = 'scandesk-leak-tmp';
const REGION = 'cn-hangzhou';

let keychain: PrivateKeychain;
let tencent: TencentEmulator;
let oss: OssEmulator;
let proxy: ConnectProxy;
let tmp: string;
const runs: CliRun[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-leak-tmp-proxy-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  const hour = 3_600_000;
  tencent = await startTencentEmulator({ accounts: {}, temporary: { [TC.secretId]: { secretKey: TC.secretKey, token: TC.token, expiresAt: Date.now() + hour } } });
  oss = await startOssEmulator({
    bucket: BUCKET,
    region: REGION,
    accessKeyId: 'LTAImainLeakTmp0000001',
    accessKeySecret: 'mainLeakTmpSecret00000000001',
    keys: { [OSS.accessKeyId]: { accessKeySecret: OSS.accessKeySecret, securityToken: OSS.securityToken, expiresAt: Date.now() + hour } },
  });
  proxy = await startConnectProxy({ user: PROXY.user, password: PROXY.password });
  // The proxy in the profile's settings (an address only); its sign-in in the keychain.
  mkdirSync(join(tmp, 'data'), { recursive: true });
  writeFileSync(join(tmp, 'data', 'vendor-settings.json'), JSON.stringify({ version: 1, network: { proxy: proxy.url } }));
  await new CredentialStore().proxy.set({ username: PROXY.user, password: PROXY.password }, proxy.url);
  mkdirSync(join(tmp, 'scans'));
  copyFileSync(join(SAMPLES, 'zxing/qrcode-2/1.png'), join(tmp, 'scans', 'a-qr.png'));
}, 60_000);

afterAll(async () => {
  await tencent?.close();
  await oss?.close();
  await proxy?.close();
  await keychain?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('temporary credentials and a signed-in proxy leave no secret behind', () => {
  it('Tencent and OSS runs with STS keys through the proxy; nothing written or printed holds a secret', async () => {
    const db = join(tmp, 'data', 'cli.sqlite');
    const env = {
      ...keychain.env,
      TENCENTCLOUD_SECRET_ID: TC.secretId,
      TENCENTCLOUD_SECRET_KEY: TC.secretKey,
      TENCENTCLOUD_SESSION_TOKEN: TC.token,
      SCANDESK_TENCENT_ENDPOINT: `http://127.0.0.1:${tencent.port}`,
      OSS_ACCESS_KEY_ID: OSS.accessKeyId,
      OSS_ACCESS_KEY_SECRET: OSS.accessKeySecret,
      OSS_SESSION_TOKEN: OSS.securityToken,
      SCANDESK_ALIOSS_ENDPOINT: oss.endpoint,
    };
    const scans = join(tmp, 'scans');
    runs.push(await cli(['scan', scans, '--engine', 'tencent', '--db', db, '--out', join(tmp, 'out', 'tencent.json'), '--yes'], env));
    runs.push(await cli(['scan', scans, '--engine', 'alioss', '--bucket', BUCKET, '--region', REGION, '--db', db, '--out', join(tmp, 'out', 'oss.xlsx'), '--yes'], env));
    runs.push(await cli(['credentials', 'status', '--db', db], env));
    for (const r of runs) expect(r.code, `${r.args.join(' ')}\n${r.stderr}`).toBe(0);

    // The tokens reached the services, through the proxy (signed in from the keychain).
    expect(tencent.stats.tokens).toContain(TC.token);
    expect(oss.tokensSeen).toContain(OSS.securityToken);
    const targets = new Set(proxy.tunnels.map((t) => t.target));
    expect(targets).toEqual(new Set([`127.0.0.1:${tencent.port}`, `127.0.0.1:${new URL(oss.endpoint).port}`]));
    expect(proxy.refused.length).toBeGreaterThan(0); // asked first, then given the sign-in

    const secrets = {
      'tencent.secretKey': TC.secretKey,
      'tencent.token': TC.token,
      'alioss.accessKeySecret': OSS.accessKeySecret,
      'alioss.securityToken': OSS.securityToken,
      'proxy.password': PROXY.password,
    };
    const texts: Record<string, string> = {};
    runs.forEach((r, i) => {
      texts[`run ${i} stdout`] = r.stdout;
      texts[`run ${i} stderr`] = r.stderr;
    });
    const search = { dirs: [tmp], exclude: (p: string) => p.startsWith(keychain.root) };
    const files = filesSearched(search).map((f) => f.slice(tmp.length + 1));
    for (const f of ['data/cli.sqlite', 'data/vendor-settings.json', 'out/tencent.json', 'out/oss.xlsx']) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('data/oss-uploads/'))).toBe(true);
    expect(findSecrets({ secrets, texts, ...search })).toEqual([]);
    // The search finds a secret where there is one.
    expect(findSecrets({ secrets, texts: { probe: `Proxy-Authorization: Basic ${Buffer.from(`${PROXY.user}:${PROXY.password}`).toString('base64')}` } }).length).toBeGreaterThan(0);
  }, 240_000);
});
