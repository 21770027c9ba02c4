/**
 * UPC-E (number system, 6 digits, check) to its UPC-A digits, per the GS1 zero-suppression
 * rules. ZXing-C++ reports UPC-E as the expanded GTIN-13; ZBar reports the 8 printed digits:
 * we bring ZBar's answer to ZXing's spelling so the two decoders agree and merge.
 */
export function expandUpcE(upce: string): string | null {
  if (!/^[01]\d{7}$/.test(upce)) return null;
  const ns = upce[0]!;
  const d = upce.slice(1, 7);
  const check = upce[7]!;
  const last = d[5]!;
  let body: string;
  if ('012'.includes(last)) body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  else if (last === '3') body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === '4') body = `${d.slice(0, 4)}00000${d[4]}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  return `${ns}${body}${check}`;
}
