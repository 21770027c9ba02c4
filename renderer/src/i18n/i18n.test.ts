import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { format, pickLocale, translator } from './i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have exactly the same keys in zh-CN and en', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, p: placeholders(zhCN[key]) }).toEqual({ key, p: placeholders(en[key]) });
    }
  });

  it('have no empty strings, and the Chinese one is actually Chinese', () => {
    for (const [key, value] of Object.entries(zhCN)) expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
    const han = Object.values(zhCN).filter((v) => /[\u4e00-\u9fff]/.test(v)).length;
    expect(han / Object.keys(zhCN).length).toBeGreaterThan(0.9);
  });
});

describe('pickLocale', () => {
  it('follows a stored choice first', () => {
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
    expect(pickLocale('zh-CN', ['en-US'])).toBe('zh-CN');
  });
  it('follows the browser languages otherwise', () => {
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale(null, ['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLocale('fr', ['de-DE'])).toBe('en');
  });
});

describe('translate', () => {
  it('fills placeholders in the chosen language', () => {
    expect(translator('en')('batches.codes', { count: 3 })).toBe('3 codes');
    expect(translator('zh-CN')('batches.codes', { count: 3 })).toBe('3 个码');
  });
  it('says "1 code", not "1 codes", in English (Intl plural rules), and keeps the plural otherwise', () => {
    const t = translator('en');
    expect(t('batches.codes', { count: 1 })).toBe('1 code');
    expect(t('batches.codes', { count: 0 })).toBe('0 codes');
    expect(t('grid.pages', { count: 1 })).toBe('1 page');
    expect([t('export.codes', { count: 1 }), t('export.pages', { count: 1 }), t('export.pages', { count: 13 })]).toEqual(['1 code', '1 page', '13 pages']);
    expect(translator('zh-CN')('batches.codes', { count: 1 })).toBe('1 个码');
  });
  it('has a singular form only for messages that exist, with the same placeholders', async () => {
    const { enOne } = await import('./en');
    for (const [key, value] of Object.entries(enOne)) {
      expect({ key, p: placeholders(value!) }).toEqual({ key, p: placeholders(en[key as keyof typeof en]) });
    }
  });
  it('leaves unknown placeholders visible', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
