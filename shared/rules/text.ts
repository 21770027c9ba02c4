import type { RuleBreak } from './types';

/**
 * A rule break in English words, for exports, the CLI and logs (the renderer translates the
 * same RuleBreak by its fields: renderer/src/i18n).
 */
export function ruleBreakText(b: RuleBreak): string {
  switch (b.rule) {
    case 'symbology':
      return `${b.symbology} is not an expected symbology`;
    case 'pattern':
      return `does not match the pattern ${b.pattern}`;
    case 'gs1':
      return b.problem === 'check-digit'
        ? `GS1 check digit is wrong${b.detail ? ` (${b.detail})` : ''}`
        : b.problem === 'length'
          ? `GS1 key has the wrong length${b.detail ? ` (${b.detail})` : ''}`
          : b.problem === 'not-digits'
            ? 'GS1 key is not all digits'
            : b.problem === 'date'
              ? `GS1 date is not a calendar date${b.detail ? ` (${b.detail})` : ''}`
              : `not a valid GS1 element string${b.detail ? `: ${b.detail}` : ''}`;
    case 'count':
      return `${b.found} code${b.found === 1 ? '' : 's'} on the page, expected ${countRange(b.min, b.max)}`;
  }
}

export function countRange(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return min === max ? `${min}` : `${min}-${max}`;
  if (min !== null) return `at least ${min}`;
  return `at most ${max ?? 0}`;
}

/** Several breaks in one cell: "reason; reason". Empty when there are none. */
export function ruleBreaksText(breaks: readonly RuleBreak[]): string {
  return breaks.map(ruleBreakText).join('; ');
}
