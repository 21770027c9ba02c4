import { en, enOne, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
/** Forms for a `count` in the plural category "one", where a language has them. */
const ONE_FORMS: Record<Locale, Partial<Record<MessageKey, string>>> = { en: enOne, 'zh-CN': {} };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Any Chinese browser language gets Simplified Chinese; everything else English. */
export function pickLocale(stored: string | null | undefined, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Fills `{name}` placeholders; unknown placeholders stay visible so a missing one shows. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translator(locale: Locale): Translate {
  const dict = DICTIONARIES[locale];
  const one = ONE_FORMS[locale];
  const plural = new Intl.PluralRules(locale);
  return (key, params) => {
    const count = params?.count;
    const singular = typeof count === 'number' && plural.select(count) === 'one' ? one[key] : undefined;
    return format(singular ?? dict[key] ?? en[key] ?? key, params);
  };
}

export function dictionary(locale: Locale): Readonly<Record<MessageKey, string>> {
  return DICTIONARIES[locale];
}

export type { MessageKey };
