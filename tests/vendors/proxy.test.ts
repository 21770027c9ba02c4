import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { ProfileCredentials } from '../../electron/core/credentials/environment';
import { CredentialStore } from '../../electron/core/credentials/store';
import { proxyFor } from '../../electron/core/vendors/common';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { defaultVendorSettings, mergePatch, type VendorSettings } from '../../electron/core/settings';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { failure as caught } from '../support/scan-error';
import { BUCKET, CREDENTIAL_ENV, OSS_REGION, startEmulators, type Emulators } from '../integration/support/vendors';
import { SAMPLES } from './wechat/helpers';
import { PageFactory } from './wechat/pages';

/**
 * A proxy, as organisations require: the system's (HTTP(S)_PROXY + NO_PROXY) or one set in
 * Settings, used by all three vendors (the Tencent SDK no longer picks up http_proxy by
 * accident, and a pinned endpoint goes through the proxy too). A proxy's sign-in comes from
 * HTTPS_PROXY or from the keychain (a real Secret Service), bound to the proxy it was saved for.
 * A real CONNECT proxy counts what goes through it.
 */
let keychain: PrivateKeychain;
let store: CredentialStore;
let emu: Emulators;
let proxy: ConnectProxy;
let authProxy: ConnectProxy;
const pages = new PageFactory();
const QR = () => pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`);

/** The emulators' endpoints plus the proxy setting, and the vendor keys from the environment (the proxy's sign-in from the keychain). */
function registry(proxySetting: string, env: NodeJS.ProcessEnv = {}): EngineRegistry {
  const settings: VendorSettings = mergePatch(defaultVendorSettings(), {
    network: { proxy: proxySetting },
    tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT },
    wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL },
    alioss: { endpoint: emu.env.SCANDESK_ALIOSS_ENDPOINT, bucket: BUCKET, region: OSS_REGION },
  });
  const creds = CREDENTIAL_ENV;
  return createEngineRegistry({
    settings: () => settings,
    include: ['tencent', 'wechat', 'alioss'],
    credentials: new ProfileCredentials(store, creds),
    env,
    retry: { maxAttempts: 1 },
  });
}

const ports = () => ({
  tencent: String(emu.tencent.port),
  wechat: new URL(emu.wechat.url).port,
  alioss: new URL(emu.oss.endpoint).port,
});

beforeAll(async () => {
  keychain = await startPrivateKeychain();
  // Before keytar loads: libsecret reads the bus address then.
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  store = new CredentialStore();
  emu = await startEmulators();
  proxy = await startConnectProxy();
  authProxy = await startConnectProxy({ user: 'scan desk', password: 'proxyPassLEAKcanary99' });
}, 60_000);
afterAll(async () => {
  await emu?.close();
  await proxy?.close();
  await authProxy?.close();
  await keychain?.stop();
});

async function recognizeAll(r: EngineRegistry): Promise<void> {
  for (const id of ['tencent', 'wechat', 'alioss'] as const) {
    const res = await r.get(id)!.recognize(QR());
    expect(res.detections, id).toHaveLength(1);
  }
}

describe('every vendor goes through the proxy', () => {
  it('a proxy set in Settings carries all three vendors, the pinned Tencent endpoint tunnelled to its pinned address', async () => {
    proxy.tunnels.length = 0;
    const r = registry(proxy.url);
    await recognizeAll(r);
    const p = ports();
    const targets = new Set(proxy.tunnels.map((t) => t.target));
    // Tencent's endpoint names ocr.tencentcloudapi.com (signed as such); the tunnel goes to the pinned 127.0.0.1.
    expect(targets).toEqual(new Set([`127.0.0.1:${p.tencent}`, `127.0.0.1:${p.wechat}`, `127.0.0.1:${p.alioss}`]));
    expect(proxy.tunnels.every((t) => t.up > 0 && t.down > 0)).toBe(true);
    expect(proxy.plain).toEqual([]);
    // The connection tests take the same way.
    const before = proxy.tunnels.length;
    for (const id of ['tencent', 'wechat', 'alioss'] as const) expect((await r.testConnection(id)).ok, id).toBe(true);
    expect(proxy.tunnels.length).toBeGreaterThan(before);
    await r.close();
  });

  it('"system" follows HTTP(S)_PROXY and NO_PROXY, never for this machine\'s loopback; "none" is direct whatever the environment says', async () => {
    const p = ports();
    // Tencent's pinned endpoint is named ocr.tencentcloudapi.com (only its address is loopback):
    // the system proxy carries it. WeChat's and OSS's emulators are named 127.0.0.1: direct.
    proxy.tunnels.length = 0;
    const sys = registry('system', { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    await recognizeAll(sys);
    expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set([`127.0.0.1:${p.tencent}`]));
    expect(proxy.plain).toEqual([]);
    await sys.close();

    // Lower-case variables, and NO_PROXY naming the vendor's host with its port.
    proxy.tunnels.length = 0;
    const bypass = registry('system', { http_proxy: proxy.url, no_proxy: `.tencentcloudapi.com:${p.tencent}` });
    await recognizeAll(bypass);
    expect(proxy.tunnels).toEqual([]);
    await bypass.close();

    // The Tencent SDK reads process.env.http_proxy by itself when it gets no agent: it always gets ours.
    const saved = process.env.http_proxy;
    process.env.http_proxy = proxy.url;
    try {
      proxy.tunnels.length = 0;
      const direct = registry('none', { HTTP_PROXY: proxy.url });
      await recognizeAll(direct);
      expect(proxy.tunnels).toEqual([]);
      await direct.close();
    } finally {
      if (saved === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved;
    }
  });

  it('which proxy, for which address: NO_PROXY forms, loopback, an explicit proxy', () => {
    const env = { HTTPS_PROXY: 'proxy.corp:3128', HTTP_PROXY: 'http://plain.corp:8080', NO_PROXY: 'internal.corp, .example.org ,gw.local:8443' };
    const via = (url: string, setting = 'system', e: NodeJS.ProcessEnv = env) => proxyFor(new URL(url), setting, e)?.host ?? 'direct';
    expect(via('https://ocr.tencentcloudapi.com')).toBe('proxy.corp:3128'); // scheme-less value: http://
    expect(via('http://oss-cn-hangzhou.aliyuncs.com')).toBe('plain.corp:8080');
    expect(via('https://internal.corp')).toBe('direct');
    expect(via('https://a.internal.corp')).toBe('direct');
    expect(via('https://notinternal.corp')).toBe('proxy.corp:3128');
    expect(via('https://example.org')).toBe('direct');
    expect(via('https://gw.local:8443')).toBe('direct');
    expect(via('https://gw.local')).toBe('proxy.corp:3128');
    for (const local of ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:80', 'http://127.8.9.1']) expect(via(local), local).toBe('direct');
    expect(via('https://ocr.tencentcloudapi.com', 'system', { ...env, NO_PROXY: '*' })).toBe('direct');
    expect(via('https://ocr.tencentcloudapi.com', 'none')).toBe('direct');
    // A proxy set in Settings is the user's explicit choice: everything, loopback included.
    expect(via('http://127.0.0.1:8080', 'http://10.0.0.5:3128')).toBe('10.0.0.5:3128');
    expect(() => via('https://x.example', 'system', { HTTPS_PROXY: 'http://[bad' })).toThrow(/HTTPS_PROXY \/ HTTP_PROXY is not a URL/);
  });

  it('a proxy that asks for a sign-in gets it from HTTPS_PROXY, or from the keychain for that proxy only', async () => {
    const p = ports();
    authProxy.tunnels.length = 0;
    const withAuth = registry('system', { HTTP_PROXY: authProxy.urlWithCredentials() }) // the emulators speak http;
    await recognizeAll(withAuth);
    expect(authProxy.tunnels.map((t) => t.target)).toContain(`127.0.0.1:${p.tencent}`);
    await withAuth.close();

    // Saved in Settings: the keychain holds it, bound to this proxy; all three vendors use it.
    const settingsProxy = registry(authProxy.url);
    await settingsProxy.setProxyAuth({ username: 'scan desk', password: 'proxyPassLEAKcanary99' });
    expect((await store.status()).proxy).toEqual({ configured: true, proxy: authProxy.url });
    authProxy.tunnels.length = 0;
    authProxy.refused.length = 0;
    await recognizeAll(settingsProxy);
    expect(new Set(authProxy.tunnels.map((t) => t.target))).toEqual(new Set([`127.0.0.1:${p.tencent}`, `127.0.0.1:${p.wechat}`, `127.0.0.1:${p.alioss}`]));
    for (const id of ['tencent', 'wechat', 'alioss'] as const) expect((await settingsProxy.testConnection(id)).ok, id).toBe(true);
    await settingsProxy.close();

    // Another proxy (the same host on another port is another proxy) never gets it: 407, said clearly.
    const other = await startConnectProxy({ user: 'scan desk', password: 'proxyPassLEAKcanary99' });
    try {
      const elsewhere = registry(other.url);
      for (const id of ['tencent', 'wechat', 'alioss'] as const) {
        const err = await caught(elsewhere.get(id)!.recognize(QR()));
        expect(err.code, id).toBe('NETWORK');
        expect(err.message, id).toMatch(/the proxy refused the connection \(HTTP 407/);
        expect(err.message, id).not.toContain('proxyPassLEAKcanary99');
      }
      expect(other.tunnels).toEqual([]);
      await elsewhere.close();
    } finally {
      await other.close();
    }

    // A wrong sign-in is refused again after the challenge: the same clear error, nothing sent to the vendor.
    const wrong = registry(authProxy.url);
    await wrong.setProxyAuth({ username: 'scan desk', password: 'not the password' });
    authProxy.tunnels.length = 0;
    const err = await caught(wrong.get('wechat')!.recognize(QR()));
    expect(err.message).toMatch(/the proxy refused the connection \(HTTP 407, proxy authentication required/);
    expect(authProxy.tunnels).toEqual([]);
    expect(await wrong.deleteProxyAuth()).toBe(true);
    expect((await store.status()).proxy).toEqual({ configured: false, proxy: null });
    await wrong.close();

    // Without a proxy there is nothing to sign in to.
    await expect(registry('none').setProxyAuth({ username: 'u', password: 'p' })).rejects.toThrow(/there is no proxy to sign in to/);
  });

  it('an unreachable proxy is a network error naming the proxy, not the vendor', async () => {
    const r = registry('http://127.0.0.1:9');
    const err = await caught(r.get('wechat')!.recognize(QR()));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/through the proxy 127\.0\.0\.1:9/);
    await r.close();
  });
});
