import { describe, expect, it } from 'vitest';
import { codeBreaks, evaluatePage, gs1Break, type RuleInput } from '../../shared/rules/evaluate';
import { checkElementString } from '../../shared/rules/gs1-elements';
import { compilePattern, patternProblem } from '../../shared/rules/pattern';
import { ruleBreakText } from '../../shared/rules/text';
import { EMPTY_RULES, type BatchRules } from '../../shared/rules/types';
import { BatchRulesSchema } from '../../shared/contract/rules';

const rules = (r: Partial<BatchRules>): BatchRules => ({ ...EMPTY_RULES, ...r });
let nextId = 1;
const code = (symbology: string, value: string, more: Partial<RuleInput> = {}): RuleInput => ({
  id: nextId++,
  kind: 'code',
  symbology,
  value,
  review: 'pending',
  ...more,
});

describe('review rules: one code', () => {
  it('flags a symbology the batch does not expect', () => {
    const r = rules({ symbologies: ['EAN-13', 'Code128'] });
    expect(codeBreaks(r, { symbology: 'EAN-13', value: '4006381333931' })).toEqual([]);
    expect(codeBreaks(r, { symbology: 'QRCode', value: 'hello' })).toEqual([{ rule: 'symbology', symbology: 'QRCode' }]);
  });

  it('applies the pattern of the code\'s symbology, else the "*" pattern', () => {
    const r = rules({ patterns: { Code128: '^PKG-\\d{6}$', '*': '^[A-Z]' } });
    expect(codeBreaks(r, { symbology: 'Code128', value: 'PKG-123456' })).toEqual([]);
    expect(codeBreaks(r, { symbology: 'Code128', value: 'PKG-12345' })).toEqual([{ rule: 'pattern', pattern: '^PKG-\\d{6}$' }]);
    expect(codeBreaks(r, { symbology: 'QRCode', value: 'Hello' })).toEqual([]);
    expect(codeBreaks(r, { symbology: 'QRCode', value: 'hello' })).toEqual([{ rule: 'pattern', pattern: '^[A-Z]' }]);
  });

  it('verifies GS1 check digits of EAN/UPC/ITF-14/DataBar keys and SSCCs', () => {
    expect(gs1Break('EAN-13', '4006381333931')).toBeNull();
    expect(gs1Break('EAN-13', '4006381333932')).toMatchObject({ rule: 'gs1', problem: 'check-digit' });
    expect(gs1Break('EAN-8', '96385074')).toBeNull();
    expect(gs1Break('UPC-A', '036000291452')).toBeNull();
    expect(gs1Break('UPC-A', '036000291453')).toMatchObject({ problem: 'check-digit' });
    expect(gs1Break('UPC-E', '01234565')).toBeNull();
    expect(gs1Break('ITF', '15400141288763')).toBeNull();
    expect(gs1Break('ITF', '15400141288764')).toMatchObject({ problem: 'check-digit' });
    // An ITF of another length is no GS1 key: nothing to check.
    expect(gs1Break('ITF', '123456')).toBeNull();
    expect(gs1Break('DataBar', '0100821935106427')).toBeNull();
    expect(gs1Break('EAN-13', '400638133393')).toMatchObject({ problem: 'length' });
    // SSCC (AI 00) in a GS1-128 the decoder marked as GS1 (symbology identifier ]C1).
    expect(gs1Break('Code128', '00106141411234567897', { symbologyIdentifier: ']C1' })).toBeNull();
    expect(gs1Break('Code128', '00106141411234567898', { symbologyIdentifier: ']C1' })).toMatchObject({ problem: 'check-digit', detail: '(00) 106141411234567898' });
  });

  it('parses GS1 element strings: AIs, lengths, FNC1 separators, key check digits and dates', () => {
    const gs = String.fromCharCode(29);
    expect(checkElementString('01095011015300031725123110AB12')).toBeNull();
    expect(checkElementString(`01095011015300031725123110AB12${gs}21XYZ`)).toBeNull();
    expect(checkElementString('(01)09501101530003(17)251231(10)AB12')).toBeNull();
    expect(checkElementString(']C10109501101530003')).toBeNull();
    expect(checkElementString('0109501101530004')).toEqual({ problem: 'check-digit', detail: '(01) 09501101530004' });
    expect(checkElementString('010950110153000317251331')).toEqual({ problem: 'date', detail: '(17) 251331' });
    expect(checkElementString('010950110153000317250230')).toEqual({ problem: 'date', detail: '(17) 250230' });
    expect(checkElementString('hello')).toMatchObject({ problem: 'syntax' });
    expect(checkElementString('0109501')).toMatchObject({ problem: 'syntax' });
  });

  it('reads the local decoder\'s GS1 marks: a ]C1 Code 128 is an element string, a ]C0 one is not GS1', () => {
    // zxing-cpp/code128-1/4.png reads "123456" with ]C1: AI 12 (due date) needs 6 digits, has 4.
    expect(gs1Break('Code128', '123456', { symbologyIdentifier: ']C1', contentType: 'GS1' })).toMatchObject({ problem: 'syntax' });
    expect(gs1Break('Code128', '0100000000000000', { symbologyIdentifier: ']C0' })).toBeNull();
    // A vendor says nothing: a Code 128 starting with AI 01 is checked as GS1-128.
    expect(gs1Break('Code128', '0100000000000001')).toMatchObject({ problem: 'check-digit' });
    expect(gs1Break('Code128', 'PKG-1')).toBeNull();
    // GS1 QR Code (]Q3) from zxing-cpp/qrcode-2/gs1-figure-4.15.1-2.
    const gs = String.fromCharCode(29);
    const qr = `01095040000591012112345678p901${gs}101234567p${gs}171411208200http://www.gs1.org/demo/`;
    expect(gs1Break('QRCode', qr, { symbologyIdentifier: ']Q3', contentType: 'GS1' })).toBeNull();
    expect(gs1Break('QRCode', 'http://example.com', { symbologyIdentifier: ']Q1' })).toBeNull();
    expect(gs1Break('DataBarExpanded', '0109501101530003')).toBeNull();
  });
});

describe('review rules: patterns cannot stall a batch', () => {
  it('runs in linear time (RE2): the classic catastrophic pattern returns at once on a long value', () => {
    // A backtracking engine needs ~2^n steps here; RE2 answers in one pass (no timing asserted:
    // the test would not finish on a backtracking engine).
    const p = compilePattern('^(a+)+$');
    expect(p.test(`${'a'.repeat(5_000)}b`)).toBe(false);
    expect(p.test('a'.repeat(5_000))).toBe(true);
  });

  it('refuses what RE2 cannot run, and overlong patterns, with the reason', () => {
    expect(patternProblem('^(?=A)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(patternProblem('(a)\\1')).toMatch(/invalid escape/);
    expect(patternProblem('x'.repeat(501))).toMatch(/longer than 500/);
    expect(patternProblem('')).toMatch(/empty/);
    expect(patternProblem('^\\d{13}$')).toBeNull();
    const r = BatchRulesSchema.safeParse({ ...EMPTY_RULES, patterns: { '*': '(?<=x)y' } });
    expect(r.success).toBe(false);
  });
});

describe('review rules: one page', () => {
  it('counts each merged code once and leaves rejected codes out', () => {
    const r = rules({ codesPerPage: { min: 1, max: 1 } });
    const a = code('QRCode', 'A');
    const copy = code('QRCode', 'A', { mergedInto: a.id });
    expect(evaluatePage(r, [a, copy]).page).toEqual({ breaks: 0, page: [] });
    const b = code('QRCode', 'B');
    expect(evaluatePage(r, [a, copy, b]).page).toEqual({ breaks: 1, page: [{ rule: 'count', found: 2, min: 1, max: 1 }] });
    expect(evaluatePage(r, [a, copy, { ...b, review: 'rejected' }]).page.breaks).toBe(0);
    expect(evaluatePage(r, []).page.page).toEqual([{ rule: 'count', found: 0, min: 1, max: 1 }]);
  });

  it('judges codes only (printed text and ID-card fields are not codes)', () => {
    const r = rules({ symbologies: ['EAN-13'] });
    const t: RuleInput = { id: nextId++, kind: 'text', symbology: 'Text', value: 'Invoice', review: 'pending' };
    const e = evaluatePage(r, [t]);
    expect(e.codes.has(t.id)).toBe(false);
    expect(e.page.breaks).toBe(0);
  });

  it('a page flags every code that breaks a rule, and accepts only passing codes on a passing page', () => {
    const r = rules({ gs1: true, codesPerPage: { min: null, max: 3 }, autoAccept: true });
    const good = code('EAN-13', '4006381333931');
    const goodCopy = code('EAN-13', '4006381333931', { mergedInto: good.id });
    const bad = code('EAN-13', '4006381333932');
    const done = code('EAN-13', '9780201379624', { review: 'rejected' });
    const e = evaluatePage(r, [good, goodCopy, bad, done]);
    expect(e.page).toEqual({ breaks: 1, page: [] });
    expect(e.codes.get(bad.id)).toMatchObject({ ok: false, breaks: [{ rule: 'gs1', problem: 'check-digit' }] });
    expect(e.accept.sort()).toEqual([good.id, goodCopy.id].sort());
    // The same codes on a page over its count: nothing is accepted, the page is flagged.
    const over = evaluatePage({ ...r, codesPerPage: { min: null, max: 1 } }, [good, goodCopy, bad, done]);
    expect(over.accept).toEqual([]);
    expect(over.page.breaks).toBe(2);
    // Without autoAccept nothing is accepted.
    expect(evaluatePage({ ...r, autoAccept: false }, [good]).accept).toEqual([]);
  });

  it('words every break for exports and the command line', () => {
    expect(ruleBreakText({ rule: 'symbology', symbology: 'QRCode' })).toBe('QRCode is not an expected symbology');
    expect(ruleBreakText({ rule: 'count', found: 2, min: 1, max: 1 })).toBe('2 codes on the page, expected 1');
    expect(ruleBreakText({ rule: 'count', found: 0, min: 1, max: null })).toBe('0 codes on the page, expected at least 1');
    expect(ruleBreakText({ rule: 'gs1', problem: 'check-digit', detail: '4006381333932' })).toBe('GS1 check digit is wrong (4006381333932)');
  });
});
