/**
 * The contract of the results table (issue 9): the batch's detections as rows, filtered and
 * paged by the store, and where a page sits in the batch (to open it in review). Imported by
 * shared/contract.ts into the one request table.
 */
import { z } from 'zod';
import { DETECTION_ENGINES, SYMBOLOGIES } from '../detection';
import type { CodeFacets, CodeRow } from '../code-table';
import { noNul } from './paths';
import { RuleBreakSchema, RuleVerdictSchema } from './rules';

const Id = z.int().positive();
const Review = z.enum(['pending', 'accepted', 'rejected']);

/** Rows per request: a screen and a half of the table at most, never the whole batch. */
export const CODE_PAGE_LIMIT = 1000;

export const CodeRowSchema = z.object({
  id: Id,
  itemId: Id,
  path: z.string(),
  page: z.number(),
  pageCount: z.number(),
  kind: z.enum(['code', 'text', 'field']),
  symbology: z.string(),
  field: z.string().nullable(),
  text: z.string(),
  correctedText: z.string().nullable(),
  review: Review,
  foundBy: z.array(z.enum(DETECTION_ENGINES)).min(1),
  personal: z.boolean(),
  rule: RuleVerdictSchema.optional(),
  pageRule: z.array(RuleBreakSchema).optional(),
}) satisfies z.ZodType<CodeRow>;

export const tableRequests = {
  /** One page of the batch's detections (each merged code once), in intake order, under the filters. */
  'detections.list': {
    input: z.strictObject({
      batchId: Id,
      symbology: z.string().min(1).max(100).refine(noNul, { message: 'must not contain NUL characters' }).optional(),
      engine: z.enum(DETECTION_ENGINES).optional(),
      review: Review.optional(),
      ruleBreaks: z.boolean().optional(),
      offset: z.int().min(0).optional(),
      limit: z.int().min(1).max(CODE_PAGE_LIMIT).optional(),
    }),
    output: z.object({ total: z.number(), rows: z.array(CodeRowSchema) }),
  },
  /** The symbologies and engines of a batch's detections (the table's filter choices). */
  'detections.facets': {
    input: z.strictObject({ batchId: Id }),
    output: z.object({ symbologies: z.array(z.string()), engines: z.array(z.enum(DETECTION_ENGINES)) }) satisfies z.ZodType<CodeFacets>,
  },
  /**
   * The codes the local decoder reads inside a box a reviewer drew (page pixels), at full
   * resolution in its worker pool: offered as the value of a code added by hand. Empty: nothing
   * found there (the reviewer types the value).
   */
  'detections.readRegion': {
    input: z.strictObject({
      itemId: Id,
      box: z.strictObject({
        left: z.number().min(0).max(1_000_000),
        top: z.number().min(0).max(1_000_000),
        width: z.number().min(1).max(1_000_000),
        height: z.number().min(1).max(1_000_000),
      }),
    }),
    output: z.object({
      codes: z.array(z.object({ symbology: z.enum(SYMBOLOGIES), text: z.string(), geometry: z.object({ kind: z.enum(['quad', 'rect', 'none']), points: z.array(z.object({ x: z.number(), y: z.number() })) }) })),
    }),
  },
  /** Where a page sits among the batch's pages (the grid unfiltered), to open it in review. */
  'items.position': {
    input: z.strictObject({ batchId: Id, itemId: Id }),
    output: z.object({ index: z.number(), total: z.number() }),
  },
} as const;

