import { z } from 'zod';
import { ScanError } from '../../errors';

import { ID_CARD_CONFIG_FLAGS, REGION_ID } from '../../../../shared/idcard';
import { IdCardConfigSchema, checkIdCardRules } from '../../../../shared/contract/idcard';

export { ID_CARD_CONFIG_FLAGS };

export const QRCODE_REGIONS = ['ap-beijing', 'ap-guangzhou'] as const;

const rate = z.number().positive().max(1000);
const bytes = z.number().int().positive();

export const TencentOptionsSchema = z
  .object({
    /** QrcodeOCR answers in these two regions only; QueryBarCode uses it too. */
    region: z.enum(QRCODE_REGIONS).default('ap-guangzhou'),
    /** IDCardOCR's region, which may be any OCR region (shared/idcard OCR_REGIONS); default `region`. */
    idCardRegion: z.string().regex(REGION_ID, { message: 'is not a Tencent Cloud region id (e.g. ap-shanghai)' }).optional(),
    /** Requests per second per operation, when the account's limits differ from the defaults. */
    rateLimits: z
      .object({ QrcodeOCR: rate.optional(), IDCardOCR: rate.optional(), QueryBarCode: rate.optional() })
      .strict()
      .default({}),
    /** Requests in flight at once. */
    concurrency: z.number().int().min(1).max(32).default(8),
    cardSide: z.enum(['FRONT', 'BACK', 'auto']).default('auto'),
    config: IdCardConfigSchema.default({}),
    enableRecognitionRectify: z.boolean().optional(),
    enableReflectDetail: z.boolean().optional(),
    cardWarnType: z.enum(['Basic', 'Advanced']).optional(),
    /** Look up product data (QueryBarCode) for EAN/UPC codes after decoding. */
    enrichWithProductData: z.boolean().default(false),
    /** Base64 limits; newer Tencent pages allow more than the seed's 3 MB / 10 MB. */
    maxBase64Bytes: z.object({ QrcodeOCR: bytes.optional(), IDCardOCR: bytes.optional() }).strict().default({}),
  })
  .strict()
  // The vendor's rules across ID-card fields (the same the contract and the CLI apply).
  .superRefine(checkIdCardRules);

export type TencentOptions = z.output<typeof TencentOptionsSchema>;
export type TencentOptionsInput = z.input<typeof TencentOptionsSchema>;

/** Validates EnginePlan.options for Tencent; a clear INVALID_INPUT naming the bad field otherwise. */
export function parseTencentOptions(raw: unknown): TencentOptions {
  const r = TencentOptionsSchema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const what = r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
  throw new ScanError('INVALID_INPUT', `Invalid Tencent engine options: ${what}`);
}
