import type { Budget } from '../../imaging/types';
import type { TencentOptions } from './options';

const MIB = 1024 * 1024;

/** QrcodeOCR: "base64 at most 3M, PNG/JPG/JPEG" (seed 000). */
export function qrcodeBudget(options: TencentOptions): Budget {
  return { maxBytes: options.maxBase64Bytes.QrcodeOCR ?? 3 * MIB, countAs: 'base64', formats: ['jpeg', 'png'] };
}

/** IDCardOCR: "base64 at most 10M, PNG/JPG/JPEG/BMP" (seed 004). */
export function idCardBudget(options: TencentOptions): Budget {
  return { maxBytes: options.maxBase64Bytes.IDCardOCR ?? 10 * MIB, countAs: 'base64', formats: ['jpeg', 'png', 'bmp'] };
}

/** Documented default rate limits, requests per second. */
export const DEFAULT_RATES = { QrcodeOCR: 5, IDCardOCR: 20, QueryBarCode: 5 } as const;
