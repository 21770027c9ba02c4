import { randomUUID } from 'node:crypto';
import type OSS from 'ali-oss';
import { z } from 'zod';
import { ScanError } from '../../errors';
import type { CredentialProvider } from '../../credentials/types';
import { assertNotExpired, cancelled, createNetwork, VendorCaller, type Network, type RetryOptions, type VendorEvent } from '../common';
import { OSS as OSS_NAME, ossError } from './errors';

export interface AliOssClientOptions {
  credentials: CredentialProvider;
  /** The bucket's region, 'cn-hangzhou' (or 'oss-cn-hangzhou'). */
  region: string;
  bucket: string;
  /** Default https://oss-<region>.aliyuncs.com; an IP endpoint for the emulator. */
  endpoint?: string;
  /** Per request. Default 60 s (uploads). */
  timeoutMs?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Key prefix ScanDesk writes under (default 'scandesk-tmp'): the connection test writes there too. */
  prefix?: string;
  /** Requests per second per operation (PutObject, ProcessImage, DeleteObject, GetBucketInfo). */
  rateLimits?: Record<string, number>;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  onEvent?: (event: VendorEvent) => void;
  /** Direct, or through the organisation's proxy (default: the system's proxy variables). */
  network?: Network;
}

/** IMM DetectImageCodes through `x-oss-process=image/codes` (seed 003). */
export const ossCodesResponse = z.object({
  RequestId: z.string().optional(),
  Codes: z
    .array(
      z.object({
        Content: z.string(),
        Boundary: z.object({ Left: z.number(), Top: z.number(), Width: z.number(), Height: z.number() }).optional().nullable(),
      }),
    )
    .default([]),
});
export type OssCodesResponse = z.infer<typeof ossCodesResponse>;

/** 'oss-cn-hangzhou' or 'cn-hangzhou' → 'cn-hangzhou' (the signing region). */
export function standardRegion(region: string): string {
  const r = region.trim().toLowerCase().replace(/^oss-/, '');
  if (!/^[a-z]{2,}(-[a-z0-9]+)+$/.test(r)) throw new ScanError('INVALID_INPUT', `"${region}" is not an Alibaba Cloud region id (e.g. cn-hangzhou).`);
  return r;
}

export function checkBucketName(bucket: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ScanError('INVALID_INPUT', `"${bucket}" is not a valid OSS bucket name (3-63 lowercase letters, digits and hyphens).`);
  }
  return bucket;
}

/**
 * One bucket through ali-oss with signature V4. Credentials are read from the keychain for
 * each call (ali-oss signs with them and keeps nothing we could leak); every failure becomes a
 * ScanError with our own, secret-free message; retries, rate limits and the stop latch come
 * from VendorCaller.
 */
export class AliOssClient {
  readonly caller: VendorCaller;
  readonly bucket: string;
  readonly region: string;
  private readonly options: AliOssClientOptions;
  private lastSecret: string | null = null;
  private lastToken: string | null = null;
  private lastKeyId: string | null = null;
  private cached: { fingerprint: string; client: OSS } | null = null;
  readonly network: Network;

  constructor(options: AliOssClientOptions) {
    this.options = options;
    this.bucket = checkBucketName(options.bucket);
    this.region = standardRegion(options.region);
    this.network = options.network ?? createNetwork('system');
    this.caller = new VendorCaller({
      vendor: OSS_NAME,
      rateLimits: { PutObject: 10, ProcessImage: 10, DeleteObject: 10, GetBucketInfo: 2, ...options.rateLimits },
      defaultRatePerSecond: 10,
      concurrency: options.concurrency ?? 2,
      retry: options.retry,
      secrets: () => [this.lastSecret, this.lastToken],
      onEvent: options.onEvent,
      metering: {
        vendor: 'alioss',
        account: () => this.lastKeyId,
        // image/codes is billed twice: by OSS (the GET with image processing) and by IMM
        // (DetectImageCodes). DeleteObject requests are free.
        operations: {
          PutObject: { billedAs: ['PutObject'] },
          ProcessImage: { billedAs: ['ProcessImage', 'IMM DetectImageCodes'] },
          DeleteObject: {},
          GetBucketInfo: { billedAs: ['GetBucketInfo'] },
        },
      },
    });
  }

  put(key: string, data: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
    return this.run('PutObject', async (oss) => {
      await oss.put(key, data, { mime: contentType, headers: { 'Content-Type': contentType } });
    }, signal, true, data.length);
  }

  /** GET <key>?x-oss-process=image/codes */
  detectCodes(key: string, signal?: AbortSignal): Promise<OssCodesResponse> {
    return this.run('ProcessImage', async (oss) => {
      const res = await oss.get(key, { process: 'image/codes' });
      const text = Buffer.isBuffer(res.content) ? res.content.toString('utf8') : String(res.content);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ScanError('VENDOR_SERVER', `${OSS_NAME} answered image/codes with something that is not JSON.`, { errorClass: 'final' });
      }
      const parsed = ossCodesResponse.safeParse(json);
      if (!parsed.success) throw new ScanError('VENDOR_SERVER', `${OSS_NAME} answered image/codes in an unexpected shape.`, { errorClass: 'final' });
      return parsed.data;
    }, signal);
  }

  /** Deletes an object (OSS answers 204 whether or not it existed). Does not stop the engine. */
  delete(key: string, signal?: AbortSignal): Promise<void> {
    return this.run('DeleteObject', async (oss) => {
      await oss.delete(key);
    }, signal, false);
  }

  /**
   * "Test the connection": what a batch does, on a tiny blank image under the upload prefix:
   * PutObject, image/codes (oss:GetObject, oss:ProcessImm, imm:DetectImageCodes), DeleteObject.
   * That proves key, secret, region and bucket with the permissions a least-privilege RAM user
   * is given for ScanDesk (GetBucketInfo is not among them); a refusal names the permission.
   */
  async testConnection(signal?: AbortSignal): Promise<void> {
    const key = `${this.prefix}/scandesk-connection-test/${randomUUID()}.png`;
    await this.run('PutObject', async (oss) => {
      await oss.put(key, await blankPng(), { mime: 'image/png', headers: { 'Content-Type': 'image/png' } });
    }, signal, false);
    try {
      await this.run('ProcessImage', async (oss) => {
        await oss.get(key, { process: 'image/codes' });
      }, signal, false);
    } finally {
      await this.delete(key, signal);
    }
  }

  private get endpoint(): string {
    return this.options.endpoint ?? `https://oss-${this.region}.aliyuncs.com`;
  }

  /** Closes the pooled connections (a proxy's tunnels). */
  close(): void {
    this.network.close();
  }

  private get prefix(): string {
    return (this.options.prefix ?? 'scandesk-tmp').replace(/^\/+|\/+$/g, '');
  }

  private run<T>(operation: string, fn: (oss: OSS) => Promise<T>, signal?: AbortSignal, stopsEngine = true, bytesSent = 0): Promise<T> {
    return this.caller.call(
      operation,
      async () => {
        const oss = await this.client();
        try {
          return await abortable(fn(oss), signal);
        } catch (err) {
          throw ossError(err, operation, { bucket: this.bucket, region: this.region, prefix: this.prefix, via: this.network.describe(this.endpoint) });
        }
      },
      { signal, stopsEngine, bytesSent },
    );
  }

  private async client(): Promise<OSS> {
    const creds = await this.options.credentials.get('alioss');
    if (!creds) {
      throw new ScanError('VENDOR_AUTH', `${OSS_NAME} is not set up: enter the AccessKey ID and secret in Settings → Cloud vendors.`);
    }
    this.lastSecret = creds.accessKeySecret;
    this.lastToken = creds.securityToken ?? null;
    this.lastKeyId = creds.accessKeyId;
    // Temporary keys (STS) stop the vendor at their expiry, before a request is signed.
    assertNotExpired({ id: 'alioss', name: OSS_NAME }, creds.expiresAt);
    const fingerprint = `${creds.accessKeyId}\0${creds.accessKeySecret}\0${creds.securityToken ?? ''}`;
    if (this.cached?.fingerprint !== fingerprint) {
      // ali-oss (and urllib under it) loads on the first OSS call, not with every command.
      const { default: OSS } = await import('ali-oss');
      const endpoint = this.endpoint;
      // urllib takes `agent` for http and `httpsAgent` for https endpoints: the same path either way.
      const agent = this.network.agentFor(endpoint);
      this.cached = {
        fingerprint,
        client: withEndpointHint(new OSS({
          region: `oss-${this.region}`,
          bucket: this.bucket,
          endpoint,
          secure: endpoint.startsWith('https:'),
          accessKeyId: creds.accessKeyId,
          accessKeySecret: creds.accessKeySecret,
          // STS keys carry their security token (sent as x-oss-security-token, signed in V4).
          ...(creds.securityToken ? { stsToken: creds.securityToken } : {}),
          authorizationV4: true,
          agent,
          httpsAgent: agent,
          timeout: this.options.timeoutMs ?? 60_000,
          retryMax: 0, // retries are VendorCaller's (backoff, jitter, Retry-After)
        } as OSS.Options & { authorizationV4: boolean; retryMax: number })),
      };
    }
    return this.cached.client;
  }
}

/**
 * ali-oss keeps an error's Code and Message but drops the rest of OSS's XML. An AccessDenied
 * sent to the wrong region's endpoint carries <Endpoint> (where the bucket really is): keep it
 * on the error, so the message can say "wrong region" and which one is right.
 */
function withEndpointHint(oss: OSS): OSS {
  const client = oss as OSS & { requestError(result: { data?: unknown }): Promise<Error & { endpoint?: string }> };
  const original = client.requestError.bind(client);
  client.requestError = async (result) => {
    const err = await original(result);
    const body = Buffer.isBuffer(result?.data) ? result.data.toString('utf8') : typeof result?.data === 'string' ? result.data : '';
    const endpoint = /<Endpoint>([^<]{1,200})<\/Endpoint>/.exec(body)?.[1];
    if (endpoint) err.endpoint = endpoint;
    return err;
  };
  return oss;
}

let blank: Promise<Buffer> | null = null;
/** A small white PNG: a real image for image/codes, with nothing to find. */
function blankPng(): Promise<Buffer> {
  blank ??= import('sharp').then(({ default: sharp }) => sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png().toBuffer());
  return blank;
}

/** ali-oss cannot be aborted: stop waiting for it when the caller cancels (it times out on its own). */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
