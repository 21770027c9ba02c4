/**
 * Per-batch review rules (issue 9: "rules that make 'Needs review' mean something") and the
 * verdicts they give. Shared by the engine (which evaluates and stores them), the contract, the
 * renderer (which shows them) and the exports.
 *
 * A batch's rules say which symbologies it expects, a pattern per symbology, whether GS1 keys
 * and element strings are verified, and how many codes a page should carry. Codes that pass
 * every rule can be accepted automatically; a page that breaks one is flagged with the reasons.
 */

/** The pattern key that applies to every symbology without a pattern of its own. */
export const ANY_SYMBOLOGY = '*';

export interface BatchRules {
  /** Symbologies the batch expects; a code of another one breaks the rule. Empty: any. */
  symbologies: string[];
  /** A regular expression (RE2 syntax: linear time) per symbology, or `*` for the others. */
  patterns: Record<string, string>;
  /** Verify GS1 keys' check digits (EAN/UPC/ITF-14/DataBar/SSCC...) and GS1 element strings. */
  gs1: boolean;
  /** Codes each page should carry (each merged code once, rejected ones not counted); null: no bound. */
  codesPerPage: { min: number | null; max: number | null };
  /** Accept codes that pass every rule on a page that passes too, as results land (and when the rules change). */
  autoAccept: boolean;
}

export const EMPTY_RULES: BatchRules = {
  symbologies: [],
  patterns: {},
  gs1: false,
  codesPerPage: { min: null, max: null },
  autoAccept: false,
};

export const RULE_LIMITS = {
  /** A pattern's length (RE2 also bounds the compiled program). */
  patternChars: 500,
  patterns: 40,
  symbologies: 40,
  codesPerPage: 10_000,
  /** Values longer than this are checked on their first `valueChars` characters only (QR holds at most 7,089). */
  valueChars: 8_000,
} as const;

/** Why a code or a page breaks the batch's rules (translated by the renderer, worded by ruleBreakText). */
export type RuleBreak =
  | { rule: 'symbology'; symbology: string }
  | { rule: 'pattern'; pattern: string }
  | { rule: 'gs1'; problem: 'check-digit' | 'length' | 'not-digits' | 'syntax' | 'date'; detail?: string }
  | { rule: 'count'; found: number; min: number | null; max: number | null };

/** A code's verdict: it passes (`ok`, no breaks) or breaks the listed rules. */
export interface RuleVerdict {
  ok: boolean;
  breaks: RuleBreak[];
}

/**
 * A page's verdict: `breaks` counts everything the page breaks (its own rules and those of its
 * codes a reviewer has not rejected); `page` lists the page's own breaks (the code count).
 */
export interface PageRuleVerdict {
  breaks: number;
  page: RuleBreak[];
}

/** True when the rules check anything at all. */
export function rulesActive(r: BatchRules): boolean {
  return r.symbologies.length > 0 || Object.keys(r.patterns).length > 0 || r.gs1 || r.codesPerPage.min !== null || r.codesPerPage.max !== null;
}
