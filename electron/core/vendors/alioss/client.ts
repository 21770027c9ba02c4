import OSS from 'ali-oss';
import { z } from 'zod';
import { ScanError } from '../../errors';
import type { CredentialProvider } from '../../credentials/types';
import { cancelled, VendorCaller, type RetryOptions, type VendorEvent } from '../common';
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
  /** Requests per second per operation (PutObject, ProcessImage, DeleteObject, GetBucketInfo). */
  rateLimits?: Record<string, number>;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  onEvent?: (event: VendorEvent) => void;
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
  private lastKeyId: string | null = null;
  private cached: { fingerprint: string; client: OSS } | null = null;

  constructor(options: AliOssClientOptions) {
    this.options = options;
    this.bucket = checkBucketName(options.bucket);
    this.region = standardRegion(options.region);
    this.caller = new VendorCaller({
      vendor: OSS_NAME,
      rateLimits: { PutObject: 10, ProcessImage: 10, DeleteObject: 10, GetBucketInfo: 2, ...options.rateLimits },
      defaultRatePerSecond: 10,
      concurrency: options.concurrency ?? 2,
      retry: options.retry,
      secrets: () => [this.lastSecret],
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

  /** "Test the connection": GetBucketInfo, one cheap signed request that proves key, secret, region and bucket. */
  testConnection(signal?: AbortSignal): Promise<void> {
    return this.run('GetBucketInfo', async (oss) => {
      await oss.getBucketInfo(this.bucket);
    }, signal, false);
  }

  private run<T>(operation: string, fn: (oss: OSS) => Promise<T>, signal?: AbortSignal, stopsEngine = true, bytesSent = 0): Promise<T> {
    return this.caller.call(
      operation,
      async () => {
        const oss = await this.client();
        try {
          return await abortable(fn(oss), signal);
        } catch (err) {
          throw ossError(err, operation, { bucket: this.bucket, region: this.region });
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
    this.lastKeyId = creds.accessKeyId;
    const fingerprint = `${creds.accessKeyId}\0${creds.accessKeySecret}`;
    if (this.cached?.fingerprint !== fingerprint) {
      const endpoint = this.options.endpoint ?? `https://oss-${this.region}.aliyuncs.com`;
      this.cached = {
        fingerprint,
        client: new OSS({
          region: `oss-${this.region}`,
          bucket: this.bucket,
          endpoint,
          secure: endpoint.startsWith('https:'),
          accessKeyId: creds.accessKeyId,
          accessKeySecret: creds.accessKeySecret,
          authorizationV4: true,
          timeout: this.options.timeoutMs ?? 60_000,
          retryMax: 0, // retries are VendorCaller's (backoff, jitter, Retry-After)
        } as OSS.Options & { authorizationV4: boolean; retryMax: number }),
      };
    }
    return this.cached.client;
  }
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
