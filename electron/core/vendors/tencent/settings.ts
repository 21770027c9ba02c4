import { z } from 'zod';
import { baseUrl, concurrency, rateLimits, timeoutMs } from '../../settings/fields';
import { QRCODE_REGIONS } from './options';

/** Tencent Cloud OCR's non-secret settings (vendor-settings.json → tencent). */
export const TencentSettingsSchema = z
  .object({
    /** QrcodeOCR answers in these two regions only. */
    region: z.enum(QRCODE_REGIONS).default('ap-guangzhou'),
    /** Default https://ocr.tencentcloudapi.com. An IP address here means "send to it, sign for the real host". */
    endpoint: baseUrl.optional(),
    concurrency: concurrency.default(8),
    rateLimits: rateLimits(['QrcodeOCR', 'IDCardOCR', 'QueryBarCode']),
    /** Look up product data (QueryBarCode) for EAN/UPC codes. */
    enrichWithProductData: z.boolean().default(false),
    timeoutMs: timeoutMs.default(30_000),
  })
  .strict();

export type TencentSettings = z.output<typeof TencentSettingsSchema>;
