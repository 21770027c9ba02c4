/**
 * GS1 check digits (GS1 General Specifications §7.9.1): the mod-10 check of GTIN-8/12/13/14
 * and SSCC, and which stored symbology carries which key. A first piece of issue 9's per-batch
 * review rules ("GS1 check digits validated"): a decoder can misread a digit that still forms a
 * valid bar pattern (or a person can mistype one); the check digit catches it.
 */

/** The check digit of `body` (the digits before it): weights 3, 1, 3, ... from the right. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of an all-digit key is its check digit. */
export function gs1KeyValid(key: string): boolean {
  return /^\d{2,}$/.test(key) && gs1CheckDigit(key.slice(0, -1)) === Number(key.at(-1));
}

/** UPC-E (8 digits: number system, 6 data digits, check) as the UPC-A it stands for. */
export function upcEToA(upcE: string): string | null {
  if (!/^[01]\d{7}$/.test(upcE)) return null;
  const ns = upcE[0] as string;
  const d = upcE.slice(1, 7);
  const check = upcE[7] as string;
  const last = d[5] as string;
  let body: string;
  if (last <= '2') body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  else if (last === '3') body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === '4') body = `${d.slice(0, 4)}00000${d[4]}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  return `${ns}${body}${check}`;
}

export type Gs1Verdict = { ok: true; key: string } | { ok: false; reason: 'not-digits' | 'length' | 'check-digit'; key: string };

const LENGTHS: Record<string, number[]> = {
  'EAN-13': [13],
  'EAN-8': [8],
  'UPC-A': [12],
  ITF: [14], // ITF-14 carries a GTIN-14; other ITF lengths are not GS1 keys
  DataBar: [14],
  DataBarLimited: [14],
};

/**
 * The GS1 check of a decoded value, or null when the symbology carries no GS1 key ScanDesk
 * checks (QR codes, Code 128 without AI 00/01, ITF of another length...). DataBar values may
 * come as a bare GTIN-14 or with its AI, "(01)" or "01"; GS1-128 (Code128) values are checked
 * when they start with AI 00 (SSCC) or 01 (GTIN).
 */
export function checkGs1(symbology: string, value: string): Gs1Verdict | null {
  const text = value.trim();
  if (symbology === 'UPC-E') {
    const a = upcEToA(text);
    if (!/^\d+$/.test(text)) return { ok: false, reason: 'not-digits', key: text };
    if (!a) return { ok: false, reason: 'length', key: text };
    return gs1KeyValid(a) ? { ok: true, key: text } : { ok: false, reason: 'check-digit', key: text };
  }
  if (symbology === 'Code128') {
    const m = /^(?:\((00|01)\)|(00|01))(\d+)/.exec(text.replace(/^\]C1/, ''));
    if (!m) return null;
    const ai = m[1] ?? m[2];
    const want = ai === '00' ? 18 : 14;
    const key = (m[3] as string).slice(0, want);
    if (key.length < want) return { ok: false, reason: 'length', key };
    return gs1KeyValid(key) ? { ok: true, key } : { ok: false, reason: 'check-digit', key };
  }
  const lengths = LENGTHS[symbology];
  if (!lengths) return null;
  const key = symbology.startsWith('DataBar') ? text.replace(/^\(01\)|^01(?=\d{14}$)/, '') : text;
  if (symbology === 'ITF' && !lengths.includes(key.length)) return null;
  if (!/^\d+$/.test(key)) return { ok: false, reason: 'not-digits', key };
  if (!lengths.includes(key.length)) return { ok: false, reason: 'length', key };
  return gs1KeyValid(key) ? { ok: true, key } : { ok: false, reason: 'check-digit', key };
}
