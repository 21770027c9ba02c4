/**
 * The contract of per-batch review rules (shared/rules): the rules as the dialog and the batch
 * view send them, and the verdicts items and detections carry. Imported by shared/contract.ts.
 */
import { z } from 'zod';
import { SYMBOLOGIES } from '../detection';
import { patternProblem } from '../rules/pattern';
import { ANY_SYMBOLOGY, RULE_LIMITS, type BatchRules, type PageRuleVerdict, type RuleBreak, type RuleVerdict } from '../rules/types';

const Symbology = z.enum(SYMBOLOGIES);
const Count = z.int().min(0).max(RULE_LIMITS.codesPerPage).nullable();

/** A pattern RE2 compiles (linear-time matching), bounded in length; the error says why not. */
export const RulePatternSchema = z
  .string()
  .min(1)
  .max(RULE_LIMITS.patternChars)
  .superRefine((s, ctx) => {
    const problem = patternProblem(s);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const RulesShape = z
  .strictObject({
    symbologies: z.array(Symbology).max(RULE_LIMITS.symbologies),
    patterns: z
      .partialRecord(z.union([Symbology, z.literal(ANY_SYMBOLOGY)]), RulePatternSchema)
      .refine((o) => Object.keys(o).length <= RULE_LIMITS.patterns, { message: `at most ${RULE_LIMITS.patterns} patterns` }),
    gs1: z.boolean(),
    codesPerPage: z
      .strictObject({ min: Count, max: Count })
      .refine((c) => c.min === null || c.max === null || c.min <= c.max, { message: 'min must not be more than max', path: ['min'] }),
    autoAccept: z.boolean(),
  }) satisfies z.ZodType<BatchRules>;
/** Typed as BatchRules (symbology names are plain strings there) so callers need no casts. */
export const BatchRulesSchema = RulesShape as unknown as z.ZodType<BatchRules>;

export const RuleBreakSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('symbology'), symbology: z.string() }),
  z.object({ rule: z.literal('pattern'), pattern: z.string() }),
  z.object({ rule: z.literal('gs1'), problem: z.enum(['check-digit', 'length', 'not-digits', 'syntax', 'date']), detail: z.string().optional() }),
  z.object({ rule: z.literal('count'), found: z.number(), min: z.number().nullable(), max: z.number().nullable() }),
]) satisfies z.ZodType<RuleBreak>;

export const RuleVerdictSchema = z.object({ ok: z.boolean(), breaks: z.array(RuleBreakSchema) }) satisfies z.ZodType<RuleVerdict>;
export const PageRuleVerdictSchema = z.object({ breaks: z.number(), page: z.array(RuleBreakSchema) }) satisfies z.ZodType<PageRuleVerdict>;

const BatchRef = z.strictObject({ batchId: z.int().positive() });

/** Rules as the host answers them (already checked when stored). */
const BatchRulesOutput = z.object({
  symbologies: z.array(z.string()),
  patterns: z.record(z.string(), z.string()),
  gs1: z.boolean(),
  codesPerPage: z.object({ min: z.number().nullable(), max: z.number().nullable() }),
  autoAccept: z.boolean(),
}) satisfies z.ZodType<BatchRules>;

export const rulesRequests = {
  /** A batch's review rules (null: none). */
  'rules.get': { input: BatchRef, output: BatchRulesOutput.nullable() },
  /**
   * Sets (null: removes) a batch's review rules and judges its read pages again; with
   * autoAccept, pending codes that now pass are accepted. Answers the rules, pages judged,
   * pages flagged and codes accepted.
   */
  'rules.set': {
    input: z.strictObject({ batchId: z.int().positive(), rules: BatchRulesSchema.nullable() }),
    output: z.object({ rules: BatchRulesOutput.nullable(), pages: z.number(), flagged: z.number(), accepted: z.number() }),
  },
} as const;
