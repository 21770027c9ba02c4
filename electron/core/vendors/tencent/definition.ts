import { tencentEndpoint } from '../../settings/endpoints';
import type { VendorDefinition } from '../definition';
import { LABELS } from '../labels';
import { tencentConnectionTest } from './connection-test';
import { TencentEngine } from './engine';
import { QRCODE_REGIONS, TencentOptionsSchema } from './options';
import { TencentSettingsSchema, type TencentSettings } from './settings';

declare module '../../credentials/types' {
  interface VendorCredentialsMap {
    /** `token` and `expiresAt` come with temporary keys (STS); permanent keys have neither. */
    tencent: { secretId: string; secretKey: string; token?: string; expiresAt?: string };
  }
}

/** Tencent Cloud OCR (seeds 000 and 004): QrcodeOCR (+ QueryBarCode) for codes, IDCardOCR for ID cards. */
export const tencent: VendorDefinition<TencentSettings> = {
  id: 'tencent',
  name: 'Tencent Cloud OCR',
  label: { en: 'Tencent Cloud OCR', 'zh-CN': '腾讯云 OCR' },
  about: {
    en: 'QR codes and barcodes (QrcodeOCR), ID card fields (IDCardOCR), product data for EAN/UPC (QueryBarCode).',
    'zh-CN': '二维码和条形码（QrcodeOCR）、身份证字段（IDCardOCR）、EAN/UPC 商品信息（QueryBarCode）。',
  },
  tasks: ['codes', 'idcard'],
  credentials: [
    { key: 'secretId', label: { en: 'SecretId', 'zh-CN': 'SecretId' }, secret: false, optional: false, identifies: true, env: 'TENCENTCLOUD_SECRET_ID' },
    { key: 'secretKey', label: { en: 'SecretKey', 'zh-CN': 'SecretKey' }, secret: true, optional: false, env: 'TENCENTCLOUD_SECRET_KEY' },
    // Temporary keys (STS GetFederationToken / AssumeRole): the SDK sends the token as X-TC-Token.
    { key: 'token', label: { en: 'Token (temporary keys only)', 'zh-CN': 'Token（仅临时密钥）' }, secret: true, optional: true, env: 'TENCENTCLOUD_SESSION_TOKEN' },
    { key: 'expiresAt', label: LABELS.expiresAt, secret: false, optional: true, expiry: true, env: 'SCANDESK_TENCENT_EXPIRES_AT' },
  ],
  settings: {
    schema: TencentSettingsSchema,
    form: [
      { kind: 'select', key: 'region', label: LABELS.region, choices: [...QRCODE_REGIONS] },
      { kind: 'url', key: 'endpoint', label: LABELS.endpoint, placeholder: LABELS.endpointHint },
      { kind: 'number', key: 'concurrency', label: LABELS.concurrency },
      { kind: 'rates', key: 'rateLimits', label: LABELS.rateLimits, operations: ['QrcodeOCR', 'IDCardOCR', 'QueryBarCode'] },
      {
        kind: 'checkbox',
        key: 'enrichWithProductData',
        label: { en: 'Look up product data for EAN/UPC codes (QueryBarCode)', 'zh-CN': '为 EAN/UPC 条码查询商品信息（QueryBarCode）' },
      },
    ],
  },
  endpoint: {
    key: 'endpoint',
    env: 'SCANDESK_TENCENT_ENDPOINT',
    help: 'Tencent Cloud OCR (default https://ocr.tencentcloudapi.com; an IP address is called while signing for the real host)',
    official: 'https://ocr.tencentcloudapi.com',
  },
  optionKeys: Object.keys(TencentOptionsSchema.shape),
  missing: () => [],
  createEngine: ({ settings: t, credentials, retry, onEvent, prepare, network }) =>
    new TencentEngine({
      network,
      credentials,
      endpoint: tencentEndpoint(t.endpoint),
      timeoutMs: t.timeoutMs,
      concurrency: t.concurrency,
      defaults: { region: t.region, rateLimits: t.rateLimits, concurrency: t.concurrency, enrichWithProductData: t.enrichWithProductData },
      ...(retry ? { retry } : {}),
      onEvent,
      prepare,
    }),
  testConnection: ({ settings, credentials, timeoutMs, signal, network }) =>
    tencentConnectionTest(credentials, { endpoint: settings.endpoint, region: settings.region, timeoutMs }, signal, network),
};
