/**
 * Contract shapes for the cloud vendors: credential status, vendor settings, the engine list.
 * No output schema here has a place for a secret: the keychain status carries `configured`
 * and a masked id only, and every object is strict on input so a secret cannot ride along in
 * a settings change. Secrets travel one way, renderer -> host, in credentials.set.
 *
 * shared/ runs in the renderer too: zod only.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { ENGINE_IDS, TASKS } from '../engines';

export const VENDOR_IDS = ['tencent', 'wechat', 'alioss'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];
export const VendorIdSchema = z.enum(VENDOR_IDS);

/** The fields of each vendor's credentials; the first identifies the account (shown masked). */
export const CREDENTIAL_FIELDS = {
  tencent: ['secretId', 'secretKey'],
  wechat: ['appId', 'appSecret'],
  alioss: ['accessKeyId', 'accessKeySecret'],
} as const satisfies Record<VendorId, readonly string[]>;

export const CREDENTIAL_FIELD_NAMES = ['secretId', 'secretKey', 'appId', 'appSecret', 'accessKeyId', 'accessKeySecret'] as const;
export type CredentialFieldName = (typeof CREDENTIAL_FIELD_NAMES)[number];

/** Longest credential value accepted (the keychain store refuses longer ones too). */
export const CREDENTIAL_VALUE_CHARS = 512;

// zod's messages for these checks never quote the value, so a bad secret is never echoed.
const credentialValue = z
  .string()
  .trim()
  .min(1, { message: 'is empty' })
  .max(CREDENTIAL_VALUE_CHARS, { message: `is longer than ${CREDENTIAL_VALUE_CHARS} characters` })
  .refine((s) => !/[\0\r\n\t]/.test(s), { message: 'contains control characters' });

export const CredentialsSetInput = z
  .strictObject({
    vendor: VendorIdSchema,
    fields: z.strictObject({
      secretId: credentialValue.optional(),
      secretKey: credentialValue.optional(),
      appId: credentialValue.optional(),
      appSecret: credentialValue.optional(),
      accessKeyId: credentialValue.optional(),
      accessKeySecret: credentialValue.optional(),
    }),
  })
  .superRefine((v, ctx) => {
    const wanted: readonly string[] = CREDENTIAL_FIELDS[v.vendor];
    const given = Object.keys(v.fields).filter((k) => (v.fields as Record<string, unknown>)[k] !== undefined);
    for (const k of given) {
      if (!wanted.includes(k)) ctx.addIssue({ code: 'custom', path: ['fields', k], message: `is not a ${v.vendor} field (expected ${wanted.join(', ')})` });
    }
    for (const k of wanted) {
      if (!given.includes(k)) ctx.addIssue({ code: 'custom', path: ['fields', k], message: 'is required' });
    }
  });

export const CredentialStatusSchema = z.strictObject({
  vendor: VendorIdSchema,
  configured: z.boolean(),
  /** e.g. "AKID…3f9a"; never enough of the id to use it. */
  maskedId: z.string().max(16).nullable(),
  /** The endpoint the keys were saved for: they are sent nowhere else. */
  savedFor: z.string().max(2048).nullable().optional(),
  /**
   * The vendor now points at another endpoint than the keys were saved for: they are not used
   * until entered again (the settings screen asks for them).
   */
  endpointChanged: z.boolean().optional(),
});

export const KeychainStatusSchema = z.strictObject({
  available: z.boolean(),
  /** Why the keychain cannot be used, and what to do (code KEYCHAIN_UNAVAILABLE). */
  error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
  vendors: z.array(CredentialStatusSchema),
});
export type KeychainStatusView = z.infer<typeof KeychainStatusSchema>;

export const ConnectionTestSchema = z.strictObject({
  vendor: VendorIdSchema,
  ok: z.boolean(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  elapsedMs: z.number(),
});
export type ConnectionTestView = z.infer<typeof ConnectionTestSchema>;

// ---------------------------------------------------------------------------------------------
// Non-secret vendor settings (mirrors electron/core/settings/schema.ts, which validates values)
// ---------------------------------------------------------------------------------------------
const url = z.string().max(2048);
const rate = z.number().finite();
const intNum = z.number().finite();

const TencentView = z.object({
  region: z.string(),
  endpoint: url.optional(),
  concurrency: intNum,
  rateLimits: z.object({ QrcodeOCR: rate.optional(), IDCardOCR: rate.optional(), QueryBarCode: rate.optional() }),
  enrichWithProductData: z.boolean(),
  timeoutMs: intNum,
});
const WeChatView = z.object({
  baseUrl: url.optional(),
  concurrency: intNum,
  rateLimits: z.object({ qrcode: rate.optional(), ocr: rate.optional() }),
  timeoutMs: intNum,
});
const AliOssView = z.object({
  region: z.string().optional(),
  bucket: z.string().optional(),
  endpoint: url.optional(),
  keepUploads: z.boolean(),
  prefix: z.string(),
  concurrency: intNum,
  rateLimits: z.object({
    PutObject: rate.optional(),
    ProcessImage: rate.optional(),
    DeleteObject: rate.optional(),
    GetBucketInfo: rate.optional(),
  }),
  timeoutMs: intNum,
});

export const VendorSettingsViewSchema = z.object({
  tencent: TencentView,
  wechat: WeChatView,
  alioss: AliOssView,
});
export type VendorSettingsView = z.infer<typeof VendorSettingsViewSchema>;

export const VendorSettingsResultSchema = z.object({
  settings: VendorSettingsViewSchema,
  /** Why the settings file could not be used (defaults are in effect), or null. */
  problem: z.string().nullable(),
  /** Endpoints set for this run by environment variables (they win over the file). */
  overridden: z.array(VendorIdSchema),
});
export type VendorSettingsResult = z.infer<typeof VendorSettingsResultSchema>;

// A change: null clears an optional field. Values are range-checked by the host's settings
// schema (it names the field); here only types and sizes.
const patchNum = z.number().finite().nullable().optional();
const patchStr = (max: number) => z.string().max(max).refine((s) => !s.includes('\0'), { message: 'must not contain NUL characters' }).nullable().optional();
const patchUrl = patchStr(2048);

export const VendorSettingsPatchSchema = z.strictObject({
  tencent: z
    .strictObject({
      region: patchStr(64),
      endpoint: patchUrl,
      concurrency: patchNum,
      rateLimits: z.strictObject({ QrcodeOCR: patchNum, IDCardOCR: patchNum, QueryBarCode: patchNum }).nullable().optional(),
      enrichWithProductData: z.boolean().nullable().optional(),
      timeoutMs: patchNum,
    })
    .optional(),
  wechat: z
    .strictObject({
      baseUrl: patchUrl,
      concurrency: patchNum,
      rateLimits: z.strictObject({ qrcode: patchNum, ocr: patchNum }).nullable().optional(),
      timeoutMs: patchNum,
    })
    .optional(),
  alioss: z
    .strictObject({
      region: patchStr(64),
      bucket: patchStr(63),
      endpoint: patchUrl,
      keepUploads: z.boolean().nullable().optional(),
      prefix: patchStr(100),
      concurrency: patchNum,
      rateLimits: z
        .strictObject({ PutObject: patchNum, ProcessImage: patchNum, DeleteObject: patchNum, GetBucketInfo: patchNum })
        .nullable()
        .optional(),
      timeoutMs: patchNum,
    })
    .optional(),
});
export type VendorSettingsPatchInput = z.infer<typeof VendorSettingsPatchSchema>;

/** One engine as the new-batch picker sees it. */
export const EngineInfoSchema = z.strictObject({
  id: z.enum(ENGINE_IDS),
  tasks: z.array(z.enum(TASKS)),
  /** Credentials (and, for OSS, bucket + region) are in place. */
  configured: z.boolean(),
  /** Can take a batch now (configured and the keychain answers). */
  available: z.boolean(),
  /** Why not, for the user; null when available. */
  reason: z.string().nullable(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;
