import { afterEach, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../electron/core/credentials/store';
import type { KeychainBackend } from '../../electron/core/credentials/keychain';
import { AliOssEngine } from '../../electron/core/vendors/alioss/engine';
import { TencentEngine } from '../../electron/core/vendors/tencent/engine';
import { startOssEmulator, type OssEmulator } from '../emulators/alioss/server';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { failure as caught } from '../support/scan-error';
import { SAMPLES, staticCredentials } from './wechat/helpers';
import { PageFactory } from './wechat/pages';

/**
 * Temporary credentials as organisations issue them: Tencent STS keys with a session token
 * (sent as X-TC-Token), OSS STS keys with a security token (x-oss-security-token). Each works
 * against an emulator that checks the token; an expiry ScanDesk knows stops the vendor before
 * anything is sent, with a message saying when; an expiry only the vendor knows is explained
 * as such; the keychain keeps the expiry and the status shows it.
 */
const pages = new PageFactory();
const QR = () => pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`);
const HOUR = 3_600_000;

const TC = { secretId: 'AKIDtmpStsTencent00000000000001', secretKey: 'tmpTencentSecretKey0000000000001', token: 'tcSessionTokenValue0000000000000000000001' };
const OSS_STS = { accessKeyId: 'STS.NTmpOssKey000000000001', accessKeySecret: 'tmpOssSecret000000000000000001', securityToken: 'CAISossSecurityToken00000000000000000001' };

let tencent: TencentEmulator | null = null;
let oss: OssEmulator | null = null;
afterEach(async () => {
  await tencent?.close();
  await oss?.close();
  tencent = oss = null;
});

function tencentEngine(e: TencentEmulator, creds: Record<string, string>): TencentEngine {
  return new TencentEngine({
    credentials: staticCredentials({ tencent: creds as never }),
    endpoint: { endpoint: e.endpoint, protocol: 'http://', resolveTo: '127.0.0.1' },
    timeoutMs: 20_000,
    retry: { maxAttempts: 1 },
  });
}

function ossEngine(e: OssEmulator, creds: Record<string, string>): AliOssEngine {
  return new AliOssEngine({
    credentials: staticCredentials({ alioss: creds as never }),
    region: 'cn-hangzhou',
    bucket: 'scandesk-test',
    endpoint: e.endpoint,
    timeoutMs: 20_000,
    retry: { maxAttempts: 1 },
  });
}

describe('Tencent temporary keys (STS Token → X-TC-Token)', () => {
  it('work with their token, which reaches the service as X-TC-Token', async () => {
    tencent = await startTencentEmulator({ accounts: {}, temporary: { [TC.secretId]: { secretKey: TC.secretKey, token: TC.token, expiresAt: Date.now() + HOUR } } });
    const r = await tencentEngine(tencent, { ...TC, expiresAt: new Date(Date.now() + HOUR).toISOString() }).recognize(QR());
    expect(r.detections).toHaveLength(1);
    expect(tencent.stats.tokens).toEqual([TC.token]);
  });

  it('without their token (or with a wrong one) the service refuses, and the message says it is the token', async () => {
    tencent = await startTencentEmulator({ accounts: {}, temporary: { [TC.secretId]: { secretKey: TC.secretKey, token: TC.token, expiresAt: Date.now() + HOUR } } });
    const err = await caught(tencentEngine(tencent, { secretId: TC.secretId, secretKey: TC.secretKey }).recognize(QR()));
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/session token of the temporary keys was refused .*AuthFailure\.TokenFailure/);
    expect(err.message).not.toContain(TC.secretKey);
  });

  it('past their known expiry the vendor stops before anything is sent, saying when they expired', async () => {
    tencent = await startTencentEmulator({ accounts: {}, temporary: { [TC.secretId]: { secretKey: TC.secretKey, token: TC.token, expiresAt: Date.now() + HOUR } } });
    const err = await caught(tencentEngine(tencent, { ...TC, expiresAt: '2026-01-01T08:00:00.000Z' }).recognize(QR()));
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/temporary Tencent Cloud OCR keys expired at 2026-01-01 08:00 UTC: get new temporary keys/);
    expect(err.message).toMatch(/scandesk credentials set tencent/);
    expect(tencent.stats.requests).toEqual({});
    expect(err.message).not.toContain(TC.token);
  });

  it('an expiry only the service knows is explained as the token refused', async () => {
    tencent = await startTencentEmulator({ accounts: {}, temporary: { [TC.secretId]: { secretKey: TC.secretKey, token: TC.token, expiresAt: Date.now() - 1000 } } });
    const err = await caught(tencentEngine(tencent, TC).recognize(QR()));
    expect(err.message).toMatch(/wrong, or the keys expired/);
  });
});

describe('OSS temporary keys (STS security token → x-oss-security-token)', () => {
  it('work with their token, signed into the request', async () => {
    oss = await startOssEmulator({ bucket: 'scandesk-test', region: 'cn-hangzhou', accessKeyId: 'LTAI5tMainKey0000000001', accessKeySecret: 'mainSecret000000000000000001', keys: { [OSS_STS.accessKeyId]: { accessKeySecret: OSS_STS.accessKeySecret, securityToken: OSS_STS.securityToken, expiresAt: Date.now() + HOUR } } });
    const r = await ossEngine(oss, OSS_STS).recognize(QR());
    expect(r.detections).toHaveLength(1);
    expect(new Set(oss.tokensSeen)).toEqual(new Set([OSS_STS.securityToken]));
    expect(oss.objects.size).toBe(0);
  });

  it('a wrong token and an expired one are each explained; a known expiry stops before any upload', async () => {
    const keys = { [OSS_STS.accessKeyId]: { accessKeySecret: OSS_STS.accessKeySecret, securityToken: OSS_STS.securityToken, expiresAt: Date.now() + HOUR } };
    oss = await startOssEmulator({ bucket: 'scandesk-test', region: 'cn-hangzhou', accessKeyId: 'LTAI5tMainKey0000000001', accessKeySecret: 'mainSecret000000000000000001', keys });
    const wrong = await caught(ossEngine(oss, { ...OSS_STS, securityToken: 'CAISsomeOtherToken000000000000000000001' }).recognize(QR()));
    expect(wrong).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(wrong.message).toMatch(/refused the security token of the temporary keys/);

    keys[OSS_STS.accessKeyId]!.expiresAt = Date.now() - 1000;
    const expired = await caught(ossEngine(oss, OSS_STS).recognize(QR()));
    expect(expired.message).toMatch(/temporary Alibaba Cloud OSS keys \(STS\) have expired/);

    const before = oss.log.length;
    const known = await caught(ossEngine(oss, { ...OSS_STS, expiresAt: '2026-01-01T08:00:00Z' }).recognize(QR()));
    expect(known.message).toMatch(/temporary Alibaba Cloud OSS keys expired at 2026-01-01 08:00 UTC/);
    expect(oss.log.length).toBe(before);
    for (const e of [wrong, expired, known]) expect(e.message).not.toContain(OSS_STS.securityToken);
  });
});

describe('the keychain keeps temporary keys with their expiry', () => {
  /** The store's own logic over an in-memory backend (the real Secret Service is tested in tests/credentials). */
  function memoryBackend(): KeychainBackend {
    const m = new Map<string, string>();
    return {
      getPassword: async (s, a) => m.get(`${s}/${a}`) ?? null,
      setPassword: async (s, a, p) => void m.set(`${s}/${a}`, p),
      deletePassword: async (s, a) => m.delete(`${s}/${a}`),
      findCredentials: async (s) => [...m].filter(([k]) => k.startsWith(`${s}/`)).map(([k, password]) => ({ account: k.slice(s.length + 1), password })),
    };
  }

  it('status shows temporary + expiry; an expiry already past or without a time zone is refused; permanent keys replace them cleanly', async () => {
    const store = new CredentialStore({ backend: memoryBackend() });
    const endpoint = { endpoint: 'https://ocr.tencentcloudapi.com' };
    const st = await store.set('tencent', { ...TC, expiresAt: '2099-12-06T18:00:00+08:00' }, endpoint);
    expect(st).toMatchObject({ configured: true, temporary: true, expiresAt: '2099-12-06T10:00:00.000Z' });
    expect(await store.get('tencent')).toEqual({ ...TC, expiresAt: '2099-12-06T10:00:00.000Z' });
    // STS's ExpiredTime (unix seconds) is accepted as it comes.
    expect(await store.set('tencent', { ...TC, expiresAt: '4100000000' }, endpoint)).toMatchObject({ expiresAt: new Date(4_100_000_000_000).toISOString() });

    await expect(store.set('tencent', { ...TC, expiresAt: '2020-01-01T00:00:00Z' }, endpoint)).rejects.toThrow(/fields\.expiresAt: these temporary tencent keys have already expired/);
    await expect(store.set('tencent', { ...TC, expiresAt: '2099-12-06 18:00' }, endpoint)).rejects.toThrow(/fields\.expiresAt: .* with its time zone/);

    await store.set('tencent', { secretId: TC.secretId, secretKey: TC.secretKey }, endpoint);
    expect(await store.get('tencent')).toEqual({ secretId: TC.secretId, secretKey: TC.secretKey });
    expect((await store.status()).vendors[0]).not.toHaveProperty('temporary');
  });
});
