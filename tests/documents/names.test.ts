import { describe, expect, it } from 'vitest';
import { documentFileNames } from '../../electron/core/documents/names';

const names = (template: string, codes: (string | null)[], batch = 'March') =>
  documentFileNames(template, codes.map((code, i) => ({ n: i + 1, code, batch })));

/** File names for per-document PDFs: safe on Windows, macOS and Linux, unique in the folder. */
describe('document file names', () => {
  it('fills the template and always ends in .pdf', () => {
    expect(names('{code}.pdf', ['INV-1', 'INV-2'])).toEqual(['INV-1.pdf', 'INV-2.pdf']);
    expect(names('{batch} {n} {code}', ['A'])).toEqual(['March 1 A.pdf']);
    expect(names('{code}.PDF', ['A'])).toEqual(['A.pdf']);
  });

  it('numbers duplicates, as case-insensitive file systems compare names', () => {
    expect(names('{code}.pdf', ['A', 'a', 'A', 'A (2)'])).toEqual(['A.pdf', 'a (2).pdf', 'A (3).pdf', 'A (2) (2).pdf']);
  });

  it('names a document without a key code by its number', () => {
    expect(names('{code}.pdf', [null, '', '   '])).toEqual(['document-1.pdf', 'document-2.pdf', 'document-3.pdf']);
  });

  it('makes every value safe: separators, reserved characters, control characters, device names, trailing dots', () => {
    const [a, b, c, d, e] = names('{code}.pdf', ['https://example.com/a?b=1', 'x:y*z"|<>', 'tab\there\u0000', 'CON', 'end. . .']);
    // eslint-disable-next-line no-control-regex
    for (const n of [a, b, c, d, e]) expect(n).not.toMatch(/[<>:"/\\|?*\u0000-\u001f]/);
    expect(a).toBe('https_example.com_a_b=1.pdf');
    expect(d!.toUpperCase()).not.toBe('CON.PDF');
    expect(e).toBe('end.pdf');
    expect(names('../../{code}', ['etc/passwd'])).toEqual(['_.._etc_passwd.pdf']);
  });

  it('fits long values into 255 bytes of UTF-8 without cutting a character', () => {
    const [cjk] = names('{code}.pdf', ['发票'.repeat(200)]);
    expect(Buffer.byteLength(cjk!, 'utf8')).toBeLessThanOrEqual(255);
    expect(cjk!.endsWith('.pdf')).toBe(true);
    expect(cjk!.replace(/\.pdf$/, '')).toMatch(/^(发票)+发?$/);
    const [emoji] = names('{code}', ['👨‍👩‍👧'.repeat(100)]);
    expect(Buffer.byteLength(emoji!, 'utf8')).toBeLessThanOrEqual(255);
    expect(emoji!.replace(/\.pdf$/, '').replace(/👨‍👩‍👧/g, '')).toBe('');
  });
});
