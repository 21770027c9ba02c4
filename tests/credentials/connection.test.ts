import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../electron/core/credentials/connection-test';
import { CredentialStore } from '../../electron/core/credentials/store';
import { defaultVendorSettings, mergePatch, type VendorSettings, type VendorSettingsPatch } from '../../electron/core/settings';
import { startOssEmulator, type OssEmulator } from '../emulators/alioss/server';
import { startWeChatEmulator, type WeChatEmulator } from '../emulators/wechat/server';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';

const WECHAT = { appId: 'wx5f3e2a1b9c8d7e6f', appSecret: '7c2b9e4d1a8f6e3b5c0d9a2f4e6b8c1d' };
const OSS = { accessKeyId: 'LTAI5tQx7ScanDeskTest01', accessKeySecret: 'k8Jf2VnQ9pL3xR7tY1wZ5bC0dE4gH6mN' };
const settings = (patch: VendorSettingsPatch): VendorSettings => mergePatch(defaultVendorSettings(), patch);

/** Keychain → vendor client → emulator: the whole path a "Test connection" button takes. */
describe('test the connection, with credentials from a real Secret Service', () => {
  let keychain: PrivateKeychain;
  let store: CredentialStore;
  let wechat: WeChatEmulator;
  let oss: OssEmulator;

  beforeAll(async () => {
    keychain = await startPrivateKeychain();
    Object.assign(process.env, keychain.env);
    store = new CredentialStore();
    wechat = await startWeChatEmulator(WECHAT);
    oss = await startOssEmulator({ bucket: 'scandesk-test', region: 'cn-hangzhou', ...OSS });
  });
  afterAll(async () => {
    await wechat?.close();
    await oss?.close();
    await keychain?.stop();
  });

  it('reports "not set up" before credentials are stored', async () => {
    const r = await testConnection('wechat', store, settings({ wechat: { baseUrl: wechat.url } }));
    expect(r).toMatchObject({ vendor: 'wechat', ok: false, error: { code: 'VENDOR_AUTH' } });
    expect(r.error!.message).toMatch(/not set up/);
  });

  it('WeChat: a token fetch with the stored AppID/AppSecret', async () => {
    await store.set('wechat', WECHAT, { endpoint: new URL(wechat.url).origin });
    const r = await testConnection('wechat', store, settings({ wechat: { baseUrl: wechat.url } }));
    expect(r).toMatchObject({ ok: true, error: null });
    expect(wechat.stats.stableTokenRequests).toBe(1);

    await store.set('wechat', { ...WECHAT, appSecret: 'ffffeeeeddddccccbbbbaaaa99998888' }, { endpoint: new URL(wechat.url).origin });
    const bad = await testConnection('wechat', store, settings({ wechat: { baseUrl: wechat.url } }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'VENDOR_AUTH' } });
    expect(bad.error!.message).toMatch(/AppSecret/);
    expect(JSON.stringify(bad)).not.toContain('ffffeeeeddddccccbbbbaaaa99998888');
  });

  it('OSS: put, image/codes and delete under the prefix; wrong secret, wrong bucket and missing settings are explained', async () => {
    await store.set('alioss', OSS, { endpoint: new URL(oss.endpoint).origin });
    const ok = await testConnection('alioss', store, settings({ alioss: { region: 'cn-hangzhou', bucket: 'scandesk-test', endpoint: oss.endpoint } }));
    expect(ok).toMatchObject({ ok: true, error: null });
    expect(oss.log.map((l) => l.op)).toEqual(['PutObject', 'ProcessImage', 'DeleteObject']);
    expect(oss.objects.size).toBe(0);

    const noBucket = await testConnection('alioss', store, settings({ alioss: { region: 'cn-hangzhou', bucket: 'other-bucket', endpoint: oss.endpoint } }));
    expect(noBucket.error).toMatchObject({ code: 'VENDOR_REJECTED' });
    expect(noBucket.error!.message).toMatch(/does not exist/);

    expect((await testConnection('alioss', store, settings({}))).error).toMatchObject({ code: 'INVALID_INPUT' });

    await store.set('alioss', { ...OSS, accessKeySecret: 'WrongSecretWrongSecretWrongSecret' }, { endpoint: new URL(oss.endpoint).origin });
    const bad = await testConnection('alioss', store, settings({ alioss: { region: 'cn-hangzhou', bucket: 'scandesk-test', endpoint: oss.endpoint } }));
    expect(bad.error).toMatchObject({ code: 'VENDOR_AUTH' });
    expect(JSON.stringify(bad)).not.toContain('WrongSecretWrongSecretWrongSecret');
  });

});
