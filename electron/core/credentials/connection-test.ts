import { ScanError } from '../errors';
import { AliOssClient } from '../vendors/alioss/client';
import { WeChatClient } from '../vendors/wechat/client';
import { credentialsFor, secretDestination } from './endpoint';
import type { CredentialProvider, VendorId } from './types';

/**
 * "Test the connection" for the settings screen: one cheap, real, signed request per vendor
 * with the credentials as stored, answering ok or the same clear ScanError a batch would get
 * (never a secret). Vendors register their tester here; WeChat and OSS are built in, Tencent's
 * client registers its own (registerConnectionTest('tencent', ...)).
 */
export interface ConnectionSettings {
  /** WeChat: API base URL (default https://api.weixin.qq.com). */
  baseUrl?: string;
  /** OSS: region, bucket and optional endpoint of the bucket. */
  region?: string;
  bucket?: string;
  endpoint?: string;
  timeoutMs?: number;
  [key: string]: unknown;
}

export type ConnectionTester = (credentials: CredentialProvider, settings: ConnectionSettings, signal?: AbortSignal) => Promise<void>;

export interface ConnectionTestResult {
  vendor: VendorId;
  ok: boolean;
  /** What went wrong, for the user (code + secret-free message). */
  error: { code: string; message: string } | null;
  elapsedMs: number;
}

const NO_RETRY = { maxAttempts: 1 };

const testers = new Map<VendorId, ConnectionTester>([
  [
    'wechat',
    // A fresh access_token: proves AppID, AppSecret and the IP whitelist.
    (credentials, s, signal) =>
      new WeChatClient({ credentials, baseUrl: s.baseUrl, timeoutMs: s.timeoutMs ?? 15_000, retry: NO_RETRY }).testConnection(signal),
  ],
  [
    'alioss',
    // GetBucketInfo: proves AccessKey, secret, region and bucket.
    (credentials, s, signal) => {
      if (!s.region || !s.bucket) {
        throw new ScanError('INVALID_INPUT', 'Enter the bucket and its region before testing the Alibaba Cloud OSS connection.');
      }
      return new AliOssClient({ credentials, region: s.region, bucket: s.bucket, endpoint: s.endpoint, timeoutMs: s.timeoutMs ?? 15_000, retry: NO_RETRY }).testConnection(signal);
    },
  ],
]);

/** Installs (or replaces) a vendor's tester. */
export function registerConnectionTest(vendor: VendorId, tester: ConnectionTester): void {
  testers.set(vendor, tester);
}

export async function testConnection(
  vendor: VendorId,
  credentials: CredentialProvider,
  settings: ConnectionSettings = {},
  signal?: AbortSignal,
): Promise<ConnectionTestResult> {
  const started = performance.now();
  const tester = testers.get(vendor);
  const done = (error: ConnectionTestResult['error']): ConnectionTestResult => ({
    vendor,
    ok: error === null,
    error,
    elapsedMs: Math.round(performance.now() - started),
  });
  if (!tester) return done({ code: 'VENDOR_UNAVAILABLE', message: `No connection test is available for ${vendor} in this build.` });
  try {
    // The test sends the keys where the settings point: only if they were saved for that endpoint.
    await tester(credentialsFor(credentials, vendor, secretDestination(vendor, settings)), settings, signal);
    return done(null);
  } catch (err) {
    if (err instanceof ScanError) return done(err.toJSON());
    // Anything else is a bug; its text could hold anything, so it is not shown.
    return done({ code: 'INTERNAL', message: `The ${vendor} connection test failed unexpectedly.` });
  }
}
