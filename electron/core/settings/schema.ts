import { z } from 'zod';

/**
 * The non-secret settings of the cloud vendors: where to send requests, how fast, how many at
 * once, and (OSS) which bucket. Kept as JSON beside the database. Secrets are NOT here: every
 * object is strict, so a credential field is refused, and vendor credentials live in the OS
 * keychain only (electron/core/credentials).
 */
const rate = z.number().positive().max(1000);
const concurrency = z.number().int().min(1).max(32);
const timeoutMs = z.number().int().min(1000).max(600_000);

/**
 * A vendor endpoint: https, or plain http to this machine only (the local emulators, a
 * debugging proxy on loopback), with no user, password, query or fragment. Anything else
 * would let a changed setting send signed requests, page images or (WeChat) the AppSecret
 * itself over the network in clear text.
 */
const baseUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      const scheme = u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
      return scheme && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'must be an https:// URL (http:// only for this machine: localhost, 127.0.0.1, [::1]) without user, password, query or fragment');

/** localhost, 127.0.0.0/8 or ::1, as URL.hostname spells them. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export const TencentSettingsSchema = z
  .object({
    /** QrcodeOCR answers in these two regions only. */
    region: z.enum(['ap-guangzhou', 'ap-beijing']).default('ap-guangzhou'),
    /** Default https://ocr.tencentcloudapi.com. An IP address here means "send to it, sign for the real host". */
    endpoint: baseUrl.optional(),
    concurrency: concurrency.default(8),
    rateLimits: z.object({ QrcodeOCR: rate.optional(), IDCardOCR: rate.optional(), QueryBarCode: rate.optional() }).strict().default({}),
    /** Look up product data (QueryBarCode) for EAN/UPC codes. */
    enrichWithProductData: z.boolean().default(false),
    timeoutMs: timeoutMs.default(30_000),
  })
  .strict();

export const WeChatSettingsSchema = z
  .object({
    /** Default https://api.weixin.qq.com. */
    baseUrl: baseUrl.optional(),
    concurrency: concurrency.default(2),
    rateLimits: z.object({ qrcode: rate.optional(), ocr: rate.optional() }).strict().default({}),
    timeoutMs: timeoutMs.default(30_000),
  })
  .strict();

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
    rateLimits: z
      .object({ PutObject: rate.optional(), ProcessImage: rate.optional(), DeleteObject: rate.optional(), GetBucketInfo: rate.optional() })
      .strict()
      .default({}),
    timeoutMs: timeoutMs.default(60_000),
  })
  .strict();

export const VendorSettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    tencent: TencentSettingsSchema.default(() => TencentSettingsSchema.parse({})),
    wechat: WeChatSettingsSchema.default(() => WeChatSettingsSchema.parse({})),
    alioss: AliOssSettingsSchema.default(() => AliOssSettingsSchema.parse({})),
  })
  .strict();

export type VendorSettings = z.output<typeof VendorSettingsSchema>;
export type TencentSettings = VendorSettings['tencent'];
export type WeChatSettings = VendorSettings['wechat'];
export type AliOssSettings = VendorSettings['alioss'];

/** Fields of a change; null clears an optional field (back to its default). */
type PatchOf<T> = { [K in keyof T]?: T[K] | null };

/** A change: any subset of fields of any vendor (nested objects are merged, not replaced). */
export type VendorSettingsPatch = {
  tencent?: PatchOf<z.input<typeof TencentSettingsSchema>>;
  wechat?: PatchOf<z.input<typeof WeChatSettingsSchema>>;
  alioss?: PatchOf<z.input<typeof AliOssSettingsSchema>>;
};

export function defaultVendorSettings(): VendorSettings {
  return VendorSettingsSchema.parse({});
}
