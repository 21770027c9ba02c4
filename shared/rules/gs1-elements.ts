import { parseBarcode } from 'gs1-barcode-parser-mod';
import { gs1KeyValid } from './gs1';

/**
 * GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR Code, DataBar Expanded): a chain of
 * application identifiers (AIs), each with its data, FNC1 (ASCII 29) after variable-length ones.
 * gs1-barcode-parser-mod (226 AIs) splits and types the chain; it does not verify check digits
 * or calendar dates, so this module adds both for the AIs that carry them.
 */

/** AIs whose data ends with a GS1 mod-10 check digit over the whole field (or its first `digits`). */
const KEY_AIS: Record<string, number> = {
  '00': 18, // SSCC
  '01': 14, // GTIN
  '02': 14, // GTIN of contained items
  '410': 13, // ship to GLN
  '411': 13,
  '412': 13,
  '413': 13,
  '414': 13,
  '415': 13,
  '416': 13,
  '417': 13,
  '253': 13, // GDTI: the GS1 key before the optional serial
  '255': 13, // GCN
  '8017': 18, // GSRN
  '8018': 18,
};

/** AIs holding a YYMMDD date (day 00 means "end of month"). */
const DATE_AIS = new Set(['11', '12', '13', '15', '16', '17']);

export type ElementProblem = { problem: 'syntax' | 'check-digit' | 'date'; detail: string };

/** The first problem of a GS1 element string, or null when it is valid. Accepts ]C1/]d2/]Q3/]e0 prefixes and (AI) HRI. */
export function checkElementString(value: string): ElementProblem | null {
  let parsed: ReturnType<typeof parseBarcode>;
  try {
    parsed = parseBarcode(value);
  } catch (e) {
    return { problem: 'syntax', detail: parserReason(e) };
  }
  if (parsed.parsedCodeItems.length === 0) return { problem: 'syntax', detail: 'no application identifier' };
  for (const el of parsed.parsedCodeItems) {
    const digits = KEY_AIS[el.ai];
    if (digits !== undefined) {
      const key = el.raw.slice(0, digits);
      if (!/^\d+$/.test(key) || key.length < digits || !gs1KeyValid(key)) return { problem: 'check-digit', detail: `(${el.ai}) ${el.raw}` };
    }
    if (DATE_AIS.has(el.ai) && !validYymmdd(el.raw)) return { problem: 'date', detail: `(${el.ai}) ${el.raw}` };
  }
  return null;
}

function validYymmdd(raw: string): boolean {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(raw);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  // The year's century does not change a month's length except for February 29 in 2000/2100
  // (GS1's sliding window); any leap year allows it.
  const longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= longest;
}

/** The parser throws strings: numeric codes for "data too short / bad number" and sentences otherwise. */
function parserReason(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return /^\d+$/.test(s) ? `invalid element data (parser code ${s})` : s;
}
