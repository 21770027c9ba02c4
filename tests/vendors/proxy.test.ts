import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { ProfileCredentials } from '../../electron/core/credentials/environment';
import { defaultVendorSettings, mergePatch, type VendorSettings } from '../../electron/core/settings';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { failure as caught } from '../support/scan-error';
import { BUCKET, CREDS, OSS_REGION, startEmulators, type Emulators } from '../integration/support/vendors';
import { SAMPLES } from './wechat/helpers';
import { PageFactory } from './wechat/pages';

/**
 * A proxy, as organisations require: the system's (HTTP(S)_PROXY + NO_PROXY) or one set in
 * Settings, used by all three vendors (the Tencent SDK no longer picks up http_proxy by
 * accident, and a pinned endpoint goes through the proxy too), with proxy authentication from
 * the environment only. A real CONNECT proxy counts what goes through it.
 */
let emu: Emulators;
let proxy: ConnectProxy;
let authProxy: ConnectProxy;
const pages = new PageFactory();
const QR = () => pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`);

/** The emulators' endpoints plus the proxy setting, and the credentials from the environment. */
function registry(proxySetting: string, env: NodeJS.ProcessEnv = {}): EngineRegistry {
  const settings: VendorSettings = mergePatch(defaultVendorSettings(), {
    network: { proxy: proxySetting },
    tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT },
    wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL },
    alioss: { endpoint: emu.env.SCANDESK_ALIOSS_ENDPOINT, bucket: BUCKET, region: OSS_REGION },
  });
  const creds = {
    TENCENTCLOUD_SECRET_ID: CREDS.tencent.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.tencent.secretKey,
    SCANDESK_WECHAT_APPID: CREDS.wechat.appId,
    SCANDESK_WECHAT_SECRET: CREDS.wechat.appSecret,
    OSS_ACCESS_KEY_ID: CREDS.alioss.accessKeyId,
    OSS_ACCESS_KEY_SECRET: CREDS.alioss.accessKeySecret,
  };
  return createEngineRegistry({
    settings: () => settings,
    include: ['tencent', 'wechat', 'alioss'],
    credentials: new ProfileCredentials(undefined, creds),
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
  emu = await startEmulators();
  proxy = await startConnectProxy();
  authProxy = await startConnectProxy({ user: 'scan desk', password: 'proxyPassLEAKcanary99' });
}, 60_000);
afterAll(async () => {
  await emu?.close();
  await proxy?.close();
  await authProxy?.close();
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

  it('"system" follows HTTP(S)_PROXY and NO_PROXY; "none" is direct whatever the environment says', async () => {
    proxy.tunnels.length = 0;
    const sys = registry('system', { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    await recognizeAll(sys);
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(3);
    await sys.close();

    proxy.tunnels.length = 0;
    const bypass = registry('system', { HTTP_PROXY: proxy.url, NO_PROXY: 'ocr.tencentcloudapi.com,127.0.0.1' });
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

  it('a proxy that needs a password gets it from HTTPS_PROXY; without it, a clear "the proxy refused" for each vendor', async () => {
    authProxy.tunnels.length = 0;
    const withAuth = registry('system', { HTTP_PROXY: authProxy.urlWithCredentials() });
    await recognizeAll(withAuth);
    expect(authProxy.tunnels.length).toBeGreaterThanOrEqual(3);
    await withAuth.close();

    const noAuth = registry(authProxy.url);
    for (const id of ['tencent', 'wechat', 'alioss'] as const) {
      const err = await caught(noAuth.get(id)!.recognize(QR()));
      expect(err.code, id).toBe('NETWORK');
      expect(err.message, id).toMatch(/the proxy refused the connection \(HTTP 407/);
      expect(err.message, id).not.toContain('proxyPassLEAKcanary99');
    }
    await noAuth.close();
  });

  it('an unreachable proxy is a network error naming the proxy, not the vendor', async () => {
    const r = registry('http://127.0.0.1:9');
    const err = await caught(r.get('wechat')!.recognize(QR()));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/through the proxy 127\.0\.0\.1:9/);
    await r.close();
  });
});
