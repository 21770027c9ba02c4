import type { Detection } from '../../../../shared/detection';
import { ScanError } from '../../errors';
import { GTIN_SYMBOLOGIES } from './symbology';

/** QueryBarCode takes a GTIN; the seed's example is 14 digits with leading zeros. */
export function toGtin14(text: string): string | null {
  return /^\d{8,14}$/.test(text) ? text.padStart(14, '0') : null;
}

export function wantsProductData(d: Detection): boolean {
  return d.kind === 'code' && GTIN_SYMBOLOGIES.has(d.symbology) && toGtin14(d.text) !== null;
}

/** Answers that mean "this action does not exist for you any more": stop asking for the batch. */
export function productLookupUnavailable(err: unknown): boolean {
  return err instanceof ScanError && (err.code === 'VENDOR_UNAVAILABLE' || err.code === 'VENDOR_AUTH' || err.code === 'VENDOR_QUOTA');
}

export function productRecords(response: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(response.ProductDataRecords) ? (response.ProductDataRecords as Array<Record<string, unknown>>) : [];
}
