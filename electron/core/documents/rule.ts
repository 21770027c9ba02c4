import { DEFAULT_DOCUMENT_TEMPLATE, SEPARATION_LIMITS, type SeparationRule } from '../../../shared/documents';
import { ScanError } from '../errors';

/**
 * A separation rule checked and ready to match: its patterns compiled once. Everything that
 * comes from a person (CLI flags, the app's form, a stored rule) goes through checkRule, so a
 * pattern that does not compile is refused with the reason before a batch depends on it.
 */
export interface CompiledRule {
  rule: SeparationRule;
  /** Does this value start a document (code rules only)? */
  isSeparator(value: string): boolean;
  /** Does this value name a document (keyPattern, when there is one)? */
  isKey: ((value: string) => boolean) | null;
  template: string;
}

/**
 * Patterns run on code values only up to this length: a separator or key code is short, and a
 * pattern a person typed must not spend seconds on a 7 KB PDF417 payload (catastrophic
 * backtracking grows with the input).
 */
export const MATCHED_VALUE_CHARS = 1024;

export function checkRule(input: SeparationRule): SeparationRule {
  if (!input || typeof input !== 'object') throw invalid('A separation rule is "code" (with a pattern) or "every" (with a page count).');
  const template = checkTemplate(input.template);
  const keyPattern = input.keyPattern === undefined || input.keyPattern === '' ? undefined : input.keyPattern;
  if (keyPattern !== undefined) compile(keyPattern, 'key pattern');
  const extra = { ...(keyPattern !== undefined ? { keyPattern } : {}), ...(template !== undefined ? { template } : {}) };
  if (input.kind === 'code') {
    if (typeof input.pattern !== 'string' || input.pattern === '') throw invalid('A code separation rule needs a pattern (a regular expression).');
    compile(input.pattern, 'separator pattern');
    return { kind: 'code', pattern: input.pattern, dropSeparators: input.dropSeparators === true, ...extra };
  }
  if (input.kind === 'every') {
    const n = input.pages;
    if (!Number.isInteger(n) || n < 1 || n > SEPARATION_LIMITS.everyPages) {
      throw invalid(`"Every N pages" needs a whole number of pages from 1 to ${SEPARATION_LIMITS.everyPages}, not ${String(n)}.`);
    }
    return { kind: 'every', pages: n, ...extra };
  }
  throw invalid(`Unknown separation rule "${String((input as { kind?: unknown }).kind)}": use "code" or "every".`);
}

export function compileRule(input: SeparationRule): CompiledRule {
  const rule = checkRule(input);
  const separator = rule.kind === 'code' ? compile(rule.pattern, 'separator pattern') : null;
  const key = rule.keyPattern !== undefined ? compile(rule.keyPattern, 'key pattern') : null;
  return {
    rule,
    isSeparator: (v) => separator !== null && v.length <= MATCHED_VALUE_CHARS && separator.test(v),
    isKey: key ? (v) => v.length <= MATCHED_VALUE_CHARS && key.test(v) : null,
    template: rule.template ?? DEFAULT_DOCUMENT_TEMPLATE,
  };
}

function checkTemplate(t: string | undefined): string | undefined {
  if (t === undefined || t === '') return undefined;
  if (typeof t !== 'string' || t.length > SEPARATION_LIMITS.templateChars) {
    throw invalid(`A file name template is text of at most ${SEPARATION_LIMITS.templateChars} characters.`);
  }
  const unknown = [...t.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((name) => !['code', 'n', 'batch'].includes(name ?? ''));
  if (unknown.length > 0) throw invalid(`Unknown name in the file name template: {${unknown[0]}}. Use {code}, {n} or {batch}.`);
  return t;
}

/** No flags: a pattern means what it means in every regex tester (a search, not a whole match). */
function compile(pattern: string, what: string): RegExp {
  if (pattern.length > SEPARATION_LIMITS.patternChars) throw invalid(`The ${what} is longer than ${SEPARATION_LIMITS.patternChars} characters.`);
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw invalid(`The ${what} is not a valid regular expression: ${(err as Error).message}.`);
  }
}

function invalid(message: string): ScanError {
  return new ScanError('INVALID_INPUT', message);
}
