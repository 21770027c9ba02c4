import { z } from 'zod';
import { baseUrl, concurrency, rateLimits, timeoutMs } from '../../settings/fields';

/** Alibaba Cloud OSS's non-secret settings (vendor-settings.json → alioss). */
export const AliOssSettingsSchema = z
  .object({
    /** The bucket's region, e.g. cn-hangzhou. Needed before OSS can be used. */
    region: z.string().trim().min(1).max(64).optional(),
    bucket: z.string().trim().min(3).max(63).optional(),
    /** Default https://oss-<region>.aliyuncs.com. */
    endpoint: baseUrl.optional(),
    /** Keep uploaded pages in the bucket after recognition (default: delete them). */
    keepUploads: z.boolean().default(false),
    /** Key prefix of uploads. */
    prefix: z.string().regex(/^[A-Za-z0-9._/-]{1,100}$/).default('scandesk-tmp'),
    concurrency: concurrency.default(2),
    rateLimits: rateLimits(['PutObject', 'ProcessImage', 'DeleteObject', 'GetBucketInfo']),
    timeoutMs: timeoutMs.default(60_000),
  })
  .strict();

export type AliOssSettings = z.output<typeof AliOssSettingsSchema>;
