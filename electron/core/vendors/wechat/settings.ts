import { z } from 'zod';
import { baseUrl, concurrency, rateLimits, timeoutMs } from '../../settings/fields';

/** WeChat's non-secret settings (vendor-settings.json → wechat). */
export const WeChatSettingsSchema = z
  .object({
    /** Default https://api.weixin.qq.com. */
    baseUrl: baseUrl.optional(),
    concurrency: concurrency.default(2),
    rateLimits: rateLimits(['qrcode', 'ocr']),
    timeoutMs: timeoutMs.default(30_000),
  })
  .strict();

export type WeChatSettings = z.output<typeof WeChatSettingsSchema>;
