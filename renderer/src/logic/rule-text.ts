import type { ItemDetail } from '../../../shared/batch';
import type { BatchRules, RuleBreak } from '../../../shared/rules/types';
import type { Translate } from '../i18n/i18n';

/** A rule break in the reader's language (shared/rules/text.ts says the same in English for exports). */
export function ruleBreakLabel(b: RuleBreak, t: Translate): string {
  switch (b.rule) {
    case 'symbology':
      return t('rules.break.symbology', { symbology: b.symbology });
    case 'pattern':
      return t('rules.break.pattern', { pattern: b.pattern });
    case 'gs1':
      return `${t(`rules.break.gs1.${b.problem}`)}${b.detail ? ` (${b.detail})` : ''}`;
    case 'count':
      return t('rules.break.count', { found: b.found, count: b.found, range: countRange(b.min, b.max, t) });
  }
}

export function countRange(min: number | null, max: number | null, t: Translate): string {
  if (min !== null && max !== null) return min === max ? t('rules.range.exact', { n: min }) : t('rules.range.between', { min, max });
  if (min !== null) return t('rules.range.atLeast', { n: min });
  return t('rules.range.atMost', { n: max ?? 0 });
}

/** One line saying what the rules check (the batch view's summary). */
export function rulesSummary(r: BatchRules, t: Translate): string {
  const parts: string[] = [];
  if (r.symbologies.length > 0) parts.push(t('rules.part.symbologies', { list: r.symbologies.join(', ') }));
  const patterns = Object.keys(r.patterns).length;
  if (patterns > 0) parts.push(t('rules.part.patterns', { count: patterns }));
  if (r.gs1) parts.push(t('rules.part.gs1'));
  if (r.codesPerPage.min !== null || r.codesPerPage.max !== null) parts.push(t('rules.part.count', { range: countRange(r.codesPerPage.min, r.codesPerPage.max, t) }));
  if (r.autoAccept) parts.push(t('rules.part.autoAccept'));
  return parts.join(' · ');
}

/** What a page breaks, in words: its own breaks (the code count); its codes' breaks are shown on each code. */
export function pageBreakLabels(item: Pick<ItemDetail, 'rule'>, t: Translate): string[] {
  return (item.rule?.page ?? []).map((b) => ruleBreakLabel(b, t));
}
