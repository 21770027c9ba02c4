import { ruleBreaksText } from '../../../shared/rules/text';
import type { RuleBreak } from '../../../shared/rules/types';
import type { ExportDetection, ExportItem } from './types';

/**
 * A batch's review rules in every export format (shared/rules): the verdict and its reasons per
 * code and per page, worded alike in CSV, XLSX and JSON. Blank when the batch has no rules or
 * the page was not read (nothing was judged).
 */
export type RuleLabel = 'pass' | 'break';

export function codeRuleLabel(d: ExportDetection): RuleLabel | null {
  return d.rule ? (d.rule.ok ? 'pass' : 'break') : null;
}

export function codeRuleReason(d: ExportDetection): string | null {
  return d.rule && !d.rule.ok ? ruleBreaksText(d.rule.breaks) : null;
}

export function pageRuleLabel(item: ExportItem): RuleLabel | null {
  return item.rule ? (item.rule.breaks > 0 ? 'break' : 'pass') : null;
}

/** The page's own breaks (the code count), then how many of its codes break a rule. */
export function pageRuleReasons(item: ExportItem): string[] {
  if (!item.rule || item.rule.breaks === 0) return [];
  const out = item.rule.page.map((b: RuleBreak) => ruleBreaksText([b]));
  const codes = item.rule.breaks - item.rule.page.length;
  if (codes > 0) out.push(`${codes} code${codes === 1 ? '' : 's'} break${codes === 1 ? 's' : ''} a rule`);
  return out;
}

export function pageRuleReason(item: ExportItem): string | null {
  return pageRuleReasons(item).join('; ') || null;
}

/** JSON: the verdict with its reasons in words and as data (absent when nothing was judged). */
export function codeRuleJson(d: ExportDetection): Record<string, unknown> | undefined {
  if (!d.rule) return undefined;
  return { verdict: codeRuleLabel(d), reasons: d.rule.breaks.map((b) => ruleBreaksText([b])), breaks: d.rule.breaks };
}

export function pageRuleJson(item: ExportItem): Record<string, unknown> | undefined {
  if (!item.rule) return undefined;
  return { verdict: pageRuleLabel(item), reasons: pageRuleReasons(item), breaks: item.rule.page, codesBreaking: item.rule.breaks - item.rule.page.length };
}
