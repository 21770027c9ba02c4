/** GS1 check digits (shared/rules/gs1.ts) on published GS1 keys and one-digit misreads of them. */
import { describe, expect, it } from 'vitest';
import { checkGs1, gs1CheckDigit, upcEToA } from '../../shared/rules/gs1';

/** Every one-digit change of a valid key (the misread a check digit exists to catch). */
function misreads(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) for (let d = 0; d <= 9; d++) if (String(d) !== key[i]) out.push(`${key.slice(0, i)}${d}${key.slice(i + 1)}`);
  return out;
}

describe('GS1 check digits', () => {
  it('computes the mod-10 check digit of GS1 keys', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(gs1CheckDigit('03600029145')).toBe(2); // UPC-A 036000291452
    expect(gs1CheckDigit('9638507')).toBe(4); // EAN-8 96385074
    expect(gs1CheckDigit('10614141123456789')).toBe(7); // SSCC 106141411234567897 (GS1 General Specifications)
  });

  it('accepts valid keys per symbology and catches every one-digit misread', () => {
    const valid: Array<[string, string]> = [
      ['EAN-13', '4006381333931'],
      ['UPC-A', '036000291452'],
      ['EAN-8', '96385074'],
      ['ITF', '10012345000017'],
      ['DataBar', '(01)10012345000017'],
      ['DataBar', '0110012345000017'],
      ['DataBarLimited', '10012345000017'],
      ['Code128', '(00)106141411234567897'],
      ['Code128', '0110012345000017'],
    ];
    for (const [symbology, value] of valid) {
      expect(checkGs1(symbology, value), `${symbology} ${value}`).toMatchObject({ ok: true });
    }
    for (const bad of misreads('4006381333931')) expect(checkGs1('EAN-13', bad)).toMatchObject({ ok: false, reason: 'check-digit' });
    for (const bad of misreads('96385074')) expect(checkGs1('EAN-8', bad)).toMatchObject({ ok: false, reason: 'check-digit' });
  });

  it('says why a value is no key: letters, wrong length; and leaves other codes alone', () => {
    expect(checkGs1('EAN-13', '40063813339X1')).toMatchObject({ ok: false, reason: 'not-digits' });
    expect(checkGs1('EAN-13', '400638133393')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkGs1('Code128', '(00)1061414112')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkGs1('QRCode', '4006381333930')).toBeNull();
    expect(checkGs1('Code128', 'ABC-123')).toBeNull();
    expect(checkGs1('ITF', '123456')).toBeNull(); // not ITF-14
  });

  it('expands UPC-E to the UPC-A it stands for, and checks that', () => {
    expect(upcEToA('04252614')).toBe('042100005264');
    expect(upcEToA('01234565')).toBe('012345000065');
    expect(checkGs1('UPC-E', '04252614')).toMatchObject({ ok: true });
    expect(checkGs1('UPC-E', '04252615')).toMatchObject({ ok: false, reason: 'check-digit' });
    expect(checkGs1('UPC-E', '24252614')).toMatchObject({ ok: false, reason: 'length' });
  });
});
