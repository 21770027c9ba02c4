import type { ReviewStatus } from '../detection';
import { checkGs1 } from './gs1';
import { checkElementString } from './gs1-elements';
import { compilePattern } from './pattern';
import { ANY_SYMBOLOGY, type BatchRules, type PageRuleVerdict, type RuleBreak, type RuleVerdict } from './types';

/**
 * The rule engine: a batch's rules applied to one page's detections (pure; both stores call it
 * with what they read, then write the verdicts). Only codes are judged (printed text and ID-card
 * fields are not); the value judged is the reviewer's correction when there is one.
 */
export interface RuleInput {
  id: number;
  kind: string;
  symbology: string;
  /** The corrected value, else the decoded one. */
  value: string;
  review: ReviewStatus;
  /** The engine's facts: the local decoder's symbologyIdentifier / contentType say whether a code is GS1. */
  extra?: Record<string, unknown> | null;
  /** Set when this row is another engine's copy of the same code (shared/merge.ts): counted once. */
  mergedInto?: number;
}

export interface PageEvaluation {
  /** Verdict of every code detection (copies included), by id. */
  codes: Map<number, RuleVerdict>;
  page: PageRuleVerdict;
  /** Pending codes (and their copies) to accept now: they pass on a page that passes its own rules (when autoAccept is on). */
  accept: number[];
}

/** ISO/IEC 15424 symbology identifiers that announce GS1 data (FNC1 in first position). */
const GS1_IDENTIFIERS = new Set([']C1', ']e0', ']e1', ']e2', ']d2', ']Q3', ']J1']);
/** Symbologies whose value is a GS1 key itself (checkGs1 knows their lengths). */
const KEY_SYMBOLOGIES = new Set(['EAN-13', 'EAN-8', 'UPC-A', 'UPC-E', 'ITF', 'DataBar', 'DataBarLimited']);

/** Whether the decoder said the code holds GS1 data: true, false, or undefined (it did not say: a vendor, a reviewer). */
function markedGs1(extra: RuleInput['extra']): boolean | undefined {
  if (!extra) return undefined;
  if (extra.contentType === 'GS1') return true;
  const id = extra.symbologyIdentifier;
  if (typeof id === 'string' && id !== '') return GS1_IDENTIFIERS.has(id);
  return undefined;
}

/** The GS1 problem of one code, or null (valid, or not a GS1 code). */
export function gs1Break(symbology: string, value: string, extra?: RuleInput['extra']): RuleBreak | null {
  if (KEY_SYMBOLOGIES.has(symbology)) {
    const v = checkGs1(symbology, value);
    return v && !v.ok ? { rule: 'gs1', problem: v.reason, detail: v.key } : null;
  }
  const marked = markedGs1(extra);
  const looksGs1 = /^(?:\][CedQJ][0-9]|\(\d{2,4}\))/.test(value);
  if (symbology === 'DataBarExpanded' || marked === true || (marked === undefined && looksGs1)) {
    const p = checkElementString(value);
    return p ? { rule: 'gs1', problem: p.problem, detail: p.detail } : null;
  }
  if (marked === undefined && symbology === 'Code128') {
    // No word from the decoder: a Code 128 value starting with AI 00 or 01 is checked as GS1-128.
    const v = checkGs1(symbology, value);
    return v && !v.ok ? { rule: 'gs1', problem: v.reason, detail: v.key } : null;
  }
  return null;
}

/** What one code breaks (empty: it passes). Throws when a pattern cannot be compiled (rules are validated before they are stored). */
export function codeBreaks(rules: BatchRules, code: Pick<RuleInput, 'symbology' | 'value' | 'extra'>): RuleBreak[] {
  const out: RuleBreak[] = [];
  if (rules.symbologies.length > 0 && !rules.symbologies.includes(code.symbology)) out.push({ rule: 'symbology', symbology: code.symbology });
  const pattern = rules.patterns[code.symbology] ?? rules.patterns[ANY_SYMBOLOGY];
  if (pattern !== undefined && !compilePattern(pattern).test(code.value)) out.push({ rule: 'pattern', pattern });
  if (rules.gs1) {
    const g = gs1Break(code.symbology, code.value, code.extra);
    if (g) out.push(g);
  }
  return out;
}

/** The count rule for a page with `found` codes, or null when it holds. */
export function countBreak(rules: BatchRules, found: number): RuleBreak | null {
  const { min, max } = rules.codesPerPage;
  if ((min !== null && found < min) || (max !== null && found > max)) return { rule: 'count', found, min, max };
  return null;
}

export function evaluatePage(rules: BatchRules, detections: readonly RuleInput[]): PageEvaluation {
  const codes = new Map<number, RuleVerdict>();
  const list = detections.filter((d) => d.kind === 'code');
  for (const d of list) {
    const breaks = codeBreaks(rules, d);
    codes.set(d.id, { ok: breaks.length === 0, breaks });
  }
  // Each merged code once; a code a reviewer rejected is not on the page.
  const primaries = list.filter((d) => d.mergedInto === undefined && d.review !== 'rejected');
  const count = countBreak(rules, primaries.length);
  const page: RuleBreak[] = count ? [count] : [];
  const breaking = primaries.filter((d) => !codes.get(d.id)!.ok).length;
  const accept: number[] = [];
  if (rules.autoAccept && page.length === 0) {
    for (const p of primaries) {
      if (p.review !== 'pending' || !codes.get(p.id)!.ok) continue;
      accept.push(p.id, ...list.filter((c) => c.mergedInto === p.id && c.review === 'pending').map((c) => c.id));
    }
  }
  return { codes, page: { breaks: page.length + breaking, page }, accept };
}
