import { isErrorCode, type AppError } from '../../../shared/errors';
import type { MessageKey } from '../i18n/en';
import type { Locale, Translate } from '../i18n/i18n';

/**
 * An error as a person reads it in their language. The engine writes its messages in English
 * with the specifics (which file, which limit); every error carries a stable code. In English
 * the message is shown as written; in another language the code's translation is shown, with
 * the English specifics after it (a path or a vendor's words are worth having verbatim).
 */
export function errorText(e: { code?: string; message: string }, t: Translate, locale: Locale): string {
  if (locale === 'en' || !e.code || !isErrorCode(e.code)) return e.message;
  return t('error.withDetail', { summary: t(errorKey(e.code)), detail: e.message });
}

/** Just the translated summary of a code (or the message when the code is unknown). */
export function errorSummary(e: { code?: string; message: string }, t: Translate): string {
  return e.code && isErrorCode(e.code) ? t(errorKey(e.code)) : e.message;
}

export function errorKey(code: AppError['code']): MessageKey {
  return `error.${code}`;
}
