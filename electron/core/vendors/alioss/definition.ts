import { join } from 'node:path';
import { ScanError } from '../../errors';
import type { VendorDefinition } from '../definition';
import { LABELS } from '../labels';
import { AliOssClient } from './client';
import { AliOssEngine } from './engine';
import { OSS_JOURNAL_FOLDER } from './upload-journal';
import { AliOssSettingsSchema, type AliOssSettings } from './settings';

declare module '../../credentials/types' {
  interface VendorCredentialsMap {
    /** `securityToken` and `expiresAt` come with temporary keys (STS AssumeRole); permanent keys have neither. */
    alioss: { accessKeyId: string; accessKeySecret: string; securityToken?: string; expiresAt?: string };
  }
}

const NAME = 'Alibaba Cloud OSS';

/** Alibaba Cloud OSS image/codes (seed 003): upload to the user's bucket, process, delete. */
export const alioss: VendorDefinition<AliOssSettings> = {
  id: 'alioss',
  name: NAME,
  label: { en: 'Alibaba Cloud OSS', 'zh-CN': '阿里云 OSS' },
  about: {
    en: 'QR codes and barcodes through OSS image processing; pages are uploaded to your bucket and removed afterwards.',
    'zh-CN': '通过 OSS 图片处理识别二维码和条形码；页面会上传到你的存储空间，识别后删除。',
  },
  tasks: ['codes'],
  credentials: [
    { key: 'accessKeyId', label: { en: 'AccessKey ID', 'zh-CN': 'AccessKey ID' }, secret: false, optional: false, identifies: true, env: 'OSS_ACCESS_KEY_ID' },
    { key: 'accessKeySecret', label: { en: 'AccessKey Secret', 'zh-CN': 'AccessKey Secret' }, secret: true, optional: false, env: 'OSS_ACCESS_KEY_SECRET' },
    // Temporary keys (STS AssumeRole): ali-oss sends the token as x-oss-security-token.
    {
      key: 'securityToken',
      label: { en: 'SecurityToken (temporary keys only)', 'zh-CN': 'SecurityToken（仅临时密钥）' },
      secret: true,
      optional: true,
      env: 'OSS_SESSION_TOKEN',
    },
    { key: 'expiresAt', label: LABELS.expiresAt, secret: false, optional: true, expiry: true, env: 'SCANDESK_ALIOSS_EXPIRES_AT' },
  ],
  settings: {
    schema: AliOssSettingsSchema,
    form: [
      { kind: 'text', key: 'region', label: LABELS.region, placeholder: { en: 'cn-hangzhou', 'zh-CN': 'cn-hangzhou' } },
      { kind: 'text', key: 'bucket', label: { en: 'Bucket', 'zh-CN': '存储空间（Bucket）' } },
      { kind: 'url', key: 'endpoint', label: LABELS.endpoint, placeholder: LABELS.endpointHint },
      { kind: 'number', key: 'concurrency', label: LABELS.concurrency },
      { kind: 'rates', key: 'rateLimits', label: LABELS.rateLimits, operations: ['PutObject', 'ProcessImage'] },
      { kind: 'checkbox', key: 'keepUploads', label: { en: 'Keep uploaded pages in the bucket after reading', 'zh-CN': '识别后在存储空间中保留上传的页面' } },
    ],
  },
  endpoint: {
    key: 'endpoint',
    env: 'SCANDESK_ALIOSS_ENDPOINT',
    help: 'Alibaba Cloud OSS (default https://oss-<region>.aliyuncs.com)',
    // oss-<region>.aliyuncs.com: the region picks the host, always Alibaba's (the region id is
    // checked against a strict pattern before it is put in a host name).
    official: 'https://*.aliyuncs.com',
  },
  optionKeys: ['keepUploads'],
  missing: (a) => {
    const out = [];
    if (!a.bucket) out.push({ code: 'bucket', message: `${NAME} needs a bucket and its region: enter them in Settings.` });
    if (!a.region) out.push({ code: 'region', message: `${NAME} needs a bucket and its region: enter them in Settings.` });
    return out;
  },
  createEngine: ({ settings: a, credentials, retry, onEvent, prepare, network, dataDir }) => {
    if (!a.region || !a.bucket) {
      throw new ScanError(
        'INVALID_INPUT',
        `${NAME} is not set up: enter the bucket and its region in Settings → Cloud vendors (command line: --bucket and --region).`,
        { errorClass: 'stop-engine' },
      );
    }
    return new AliOssEngine({
      network,
      credentials,
      region: a.region,
      bucket: a.bucket,
      endpoint: a.endpoint,
      keepUploads: a.keepUploads,
      prefix: a.prefix,
      // Uploads in flight are written down there: the next run deletes what a crash left behind.
      ...(dataDir ? { journalDir: join(dataDir, OSS_JOURNAL_FOLDER) } : {}),
      timeoutMs: a.timeoutMs,
      concurrency: a.concurrency,
      rateLimits: a.rateLimits as Record<string, number>,
      ...(retry ? { retry } : {}),
      onEvent,
      prepare,
    });
  },
  testConnection: ({ settings: a, credentials, timeoutMs, signal, network }) => {
    if (!a.region || !a.bucket) {
      throw new ScanError('INVALID_INPUT', `Enter the bucket and its region before testing the ${NAME} connection.`);
    }
    return new AliOssClient({ credentials, region: a.region, bucket: a.bucket, endpoint: a.endpoint, prefix: a.prefix, timeoutMs, retry: { maxAttempts: 1 }, network }).testConnection(signal);
  },
};
