import { describe, expect, it } from 'vitest';
import { environmentCredentials, ProfileCredentials } from '../../electron/core/credentials/environment';
import type { KeychainBackend } from '../../electron/core/credentials/keychain';
import { CredentialStore } from '../../electron/core/credentials/store';
import { ScanError } from '../../electron/core/errors';

/**
 * Headless machines have no keychain: a vendor's credentials may come from environment
 * variables (the SDKs' own names where they exist). These tests run with a keychain backend
 * that counts its calls, to show the keychain is not even opened for a vendor whose variables
 * are set; the CLI and browser-host tests drive the same path end to end with no D-Bus at all.
 */
const ENV = {
  TENCENTCLOUD_SECRET_ID: 'AKIDenvTestTencent0000000001',
  TENCENTCLOUD_SECRET_KEY: 'envTencentSecretKey000000000001',
  OSS_ACCESS_KEY_ID: 'LTAI5tEnvTestOssKey0001',
  OSS_ACCESS_KEY_SECRET: 'envOssSecret00000000000000001',
  SCANDESK_WECHAT_APPID: 'wx0envtest000001',
  SCANDESK_WECHAT_SECRET: 'envWeChatSecret0000000000000001',
};

/** A keychain that is not there (as on a server without D-Bus), counting how often it was asked. */
function absentKeychain(): KeychainBackend & { calls: number } {
  const b = {
    calls: 0,
    fail(): never {
      b.calls++;
      throw new ScanError('KEYCHAIN_UNAVAILABLE', 'No keychain on this machine.');
    },
    getPassword: async () => b.fail(),
    setPassword: async () => b.fail(),
    deletePassword: async () => b.fail(),
    findCredentials: async () => b.fail(),
  };
  return b;
}

describe('credentials from environment variables', () => {
  it('reads each vendor from its own variables (SDK names where they exist)', () => {
    expect(environmentCredentials('tencent', ENV)).toEqual({ secretId: ENV.TENCENTCLOUD_SECRET_ID, secretKey: ENV.TENCENTCLOUD_SECRET_KEY });
    expect(environmentCredentials('alioss', ENV)).toEqual({ accessKeyId: ENV.OSS_ACCESS_KEY_ID, accessKeySecret: ENV.OSS_ACCESS_KEY_SECRET });
    expect(environmentCredentials('wechat', ENV)).toEqual({ appId: ENV.SCANDESK_WECHAT_APPID, appSecret: ENV.SCANDESK_WECHAT_SECRET });
    expect(environmentCredentials('wechat', {})).toBeNull();
  });

  it('a half-set pair names the missing variable and never the value of the other', () => {
    let err: unknown;
    try {
      environmentCredentials('tencent', { TENCENTCLOUD_SECRET_ID: ENV.TENCENTCLOUD_SECRET_ID });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScanError);
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect((err as ScanError).message).toMatch(/TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not/);
    expect((err as ScanError).message).not.toContain(ENV.TENCENTCLOUD_SECRET_ID);
  });

  it('the environment wins for its vendors, without opening the keychain; others still need the keychain', async () => {
    const backend = absentKeychain();
    const creds = new ProfileCredentials(new CredentialStore({ backend }), { SCANDESK_WECHAT_APPID: ENV.SCANDESK_WECHAT_APPID, SCANDESK_WECHAT_SECRET: ENV.SCANDESK_WECHAT_SECRET });
    expect(await creds.get('wechat')).toEqual({ appId: ENV.SCANDESK_WECHAT_APPID, appSecret: ENV.SCANDESK_WECHAT_SECRET });
    expect(backend.calls).toBe(0);
    expect(creds.source('wechat')).toBe('environment');
    expect(creds.source('tencent')).toBe('keychain');
    await expect(creds.get('tencent')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });

    const st = await creds.status();
    expect(st.available).toBe(false);
    expect(st.vendors).toEqual([
      { vendor: 'tencent', configured: false, maskedId: null },
      { vendor: 'wechat', configured: true, maskedId: 'wx0e…0001', source: 'environment' },
      { vendor: 'alioss', configured: false, maskedId: null },
    ]);
    expect(JSON.stringify(st)).not.toContain(ENV.SCANDESK_WECHAT_SECRET);
  });

  it('with every vendor in the environment the keychain is never asked, not even for the status', async () => {
    const backend = absentKeychain();
    const creds = new ProfileCredentials(new CredentialStore({ backend }), ENV);
    const st = await creds.status();
    expect(st).toMatchObject({ available: true, error: null });
    expect(st.vendors.every((v) => v.configured && v.source === 'environment')).toBe(true);
    for (const v of ['tencent', 'wechat', 'alioss'] as const) expect(await creds.get(v)).not.toBeNull();
    expect(backend.calls).toBe(0);
  });
});
