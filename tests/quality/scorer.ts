import type { Detection } from '../../shared/detection';
import type { Sample, SampleSource } from './samples';

/**
 * Does one of the engine's detections carry the sample's expected payload? Each source writes
 * some symbologies its own way (data README); the engine reports what ZXing-C++ reads and this
 * scorer translates between conventions, so the engine is never tuned to a test set's spelling.
 */
export function isCorrect(sample: Sample, detections: Detection[]): boolean {
  const exp = sample.expected;
  if (exp === null) return detections.length === 0;
  return detections.some((d) => {
    if (exp.kind === 'bytes') return payloadBytes(d).equals(exp.bytes);
    return textVariants(d, sample.source).includes(exp.text) || numericMatch(d, exp.text);
  });
}

function payloadBytes(d: Detection): Buffer {
  return d.bytesBase64 !== undefined ? Buffer.from(d.bytesBase64, 'base64') : Buffer.from(d.text, 'utf8');
}

const EAN_UPC = new Set(['EAN-13', 'EAN-8', 'UPC-A', 'UPC-E']);

/** The detection's text as each source would have written it. */
function textVariants(d: Detection, source: SampleSource): string[] {
  const out = [d.text];
  const addOn = typeof d.extra?.eanAddOn === 'string' ? d.extra.eanAddOn : '';
  if (d.symbology === 'Codabar' && source === 'zxing' && /^[A-D].*[A-D]$/i.test(d.text)) {
    out.push(d.text.slice(1, -1)); // zxing strips start/stop characters
  }
  if (d.symbology.startsWith('DataBar') && source === 'zxing' && d.text.startsWith('01')) {
    out.push(d.text.slice(2)); // zxing writes the bare GTIN-14
  }
  if (EAN_UPC.has(d.symbology) && addOn) {
    const main = d.text.endsWith(addOn) ? d.text.slice(0, -addOn.length) : d.text;
    out.push(main, main + addOn); // zxing keeps add-ons apart, zxing-cpp concatenates them
  }
  return out;
}

/** EAN/UPC digits compared as GTIN-13 (UPC-A 12 vs 13 digits, UPC-E 8 digits vs expanded). */
function numericMatch(d: Detection, expected: string): boolean {
  if (!EAN_UPC.has(d.symbology) || !/^\d+$/.test(expected)) return false;
  const addOn = typeof d.extra?.eanAddOn === 'string' ? d.extra.eanAddOn : '';
  const mains = [d.text, addOn && d.text.endsWith(addOn) ? d.text.slice(0, -addOn.length) : d.text];
  const want = [gtin13(expected)];
  if (addOn && expected.endsWith(addOn)) want.push(gtin13(expected.slice(0, -addOn.length)) + addOn);
  for (const m of mains) {
    const g = gtin13(m);
    if (g !== null && want.includes(g)) return true;
    if (g !== null && addOn && want.includes(g + addOn)) return true;
  }
  return false;
}

function gtin13(digits: string): string | null {
  if (!/^\d+$/.test(digits)) return null;
  if (digits.length === 8 && digits[0] === '0') {
    // Could be UPC-E (0 + 6 + check) or EAN-8; return its UPC-A expansion, EAN-8 stays as is
    const upce = expandUpcE(digits);
    return upce ? `0${upce}` : digits;
  }
  if (digits.length === 12) return `0${digits}`;
  return digits;
}

/** UPC-E (number system, 6 digits, check) to UPC-A, per the GS1 zero-suppression rules. */
function expandUpcE(e: string): string | null {
  const ns = e[0]!;
  const d = e.slice(1, 7);
  const check = e[7]!;
  const last = d[5]!;
  let body: string;
  if ('012'.includes(last)) body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  else if (last === '3') body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === '4') body = `${d.slice(0, 4)}00000${d[4]}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  return `${ns}${body}${check}`;
}
