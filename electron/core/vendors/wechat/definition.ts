import type { VendorDefinition } from '../definition';
import { LABELS } from '../labels';
import { WeChatClient } from './client';
import { WeChatEngine } from './engine';
import { WeChatSettingsSchema, type WeChatSettings } from './settings';

declare module '../../credentials/types' {
  interface VendorCredentialsMap {
    wechat: { appId: string; appSecret: string };
  }
}

/** WeChat's server APIs (seeds 001 and 002): imgQrcode for codes, printedTextOCR for text. */
export const wechat: VendorDefinition<WeChatSettings> = {
  id: 'wechat',
  name: 'WeChat',
  label: { en: 'WeChat OCR', 'zh-CN': '微信 OCR' },
  about: {
    en: 'QR codes and barcodes (imgQrcode), printed text (printedTextOCR).',
    'zh-CN': '二维码和条形码（imgQrcode）、印刷文字（printedTextOCR）。',
  },
  tasks: ['codes', 'text'],
  credentials: [
    { key: 'appId', label: { en: 'AppID', 'zh-CN': 'AppID' }, secret: false, optional: false, identifies: true, env: 'SCANDESK_WECHAT_APPID' },
    { key: 'appSecret', label: { en: 'AppSecret', 'zh-CN': 'AppSecret' }, secret: true, optional: false, env: 'SCANDESK_WECHAT_SECRET' },
  ],
  settings: {
    schema: WeChatSettingsSchema,
    form: [
      { kind: 'url', key: 'baseUrl', label: LABELS.endpoint, placeholder: LABELS.endpointHint },
      { kind: 'number', key: 'concurrency', label: LABELS.concurrency },
      { kind: 'rates', key: 'rateLimits', label: LABELS.rateLimits, operations: ['qrcode', 'ocr'] },
    ],
  },
  endpoint: { key: 'baseUrl', env: 'SCANDESK_WECHAT_BASE_URL', help: 'WeChat API (default https://api.weixin.qq.com)', official: 'https://api.weixin.qq.com' },
  optionKeys: [],
  missing: () => [],
  createEngine: ({ settings: w, credentials, retry, onEvent, prepare, network }) =>
    new WeChatEngine({
      network,
      credentials,
      baseUrl: w.baseUrl,
      timeoutMs: w.timeoutMs,
      concurrency: w.concurrency,
      rateLimits: w.rateLimits,
      ...(retry ? { retry } : {}),
      onEvent,
      prepare,
    }),
  // A token (stable_token, normal mode): proves AppID, AppSecret and the IP whitelist.
  testConnection: ({ settings, credentials, timeoutMs, signal, network }) =>
    new WeChatClient({ credentials, baseUrl: settings.baseUrl, timeoutMs, retry: { maxAttempts: 1 }, network }).testConnection(signal),
};
