/**
 * The contract of issue 9's intake features: document separation, reconciliation against an
 * expected list, hot folders. Imported by shared/contract.ts into the one request table.
 */
import { z } from 'zod';
import { SEPARATION_LIMITS, type DocumentList, type DocumentPdf, type SeparationRule } from '../documents';
import { EXPECTED_LIMITS } from '../reconciliation';
import type { HotFolder } from '../hot-folders';
import { folderChoice } from './folders';
import { AbsolutePath, LocalFolderPath, noNul } from './paths';

const Id = z.int().positive();
const Path = AbsolutePath;
const Text = (max: number) => z.string().max(max).refine(noNul, { message: 'must not contain NUL characters' });

const Template = Text(SEPARATION_LIMITS.templateChars).optional();
const KeyPattern = Text(SEPARATION_LIMITS.patternChars).optional();
export const SeparationRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('code'), pattern: Text(SEPARATION_LIMITS.patternChars).min(1), dropSeparators: z.boolean(), keyPattern: KeyPattern, template: Template }),
  z.strictObject({ kind: z.literal('every'), pages: z.int().min(1).max(SEPARATION_LIMITS.everyPages), keyPattern: KeyPattern, template: Template }),
]) satisfies z.ZodType<SeparationRule>;

const ErrorShape = z.object({ code: z.string(), message: z.string() });
const PageRef = z.object({ itemId: z.number(), path: z.string(), page: z.number() });
export const DocumentListSchema = z.object({
  rule: z.unknown().nullable(),
  documents: z.array(
    z.object({
      n: z.number(),
      fileName: z.string(),
      key: z.string().nullable(),
      pages: z.array(PageRef),
      separator: PageRef.nullable(),
      codes: z.array(z.string()),
      pending: z.number(),
      failed: z.number(),
    }),
  ),
}) as unknown as z.ZodType<DocumentList>;
export const DocumentPdfSchema = z.array(
  z.object({ n: z.number(), fileName: z.string(), pages: z.number(), path: z.string().nullable(), error: ErrorShape.nullable() }),
) as unknown as z.ZodType<DocumentPdf[]>;

const Values = z.array(z.object({ value: z.string(), pages: z.array(PageRef) }));
const ListInfo = z.object({ source: z.string(), column: z.string(), count: z.number(), importedAt: z.string() });
export const ReconciliationSchema = z
  .object({
    list: ListInfo,
    result: z.object({ expected: z.number(), found: Values, missing: Values, unexpected: Values, duplicates: Values }),
  })
  .nullable();

const Plan = z.object({ engine: z.string(), task: z.string() }).passthrough();
export const HotFolderSchema = z.object({
  id: Id,
  path: z.string(),
  batchId: z.number().nullable(),
  plan: Plan,
  doneDir: z.string().nullable(),
  failedDir: z.string().nullable(),
  enabled: z.boolean(),
  live: z.boolean(),
  files: z.object({ queued: z.number(), done: z.number(), failed: z.number(), gone: z.number() }),
}) as unknown as z.ZodType<HotFolder>;

/** base64 of at most EXPECTED_LIMITS.fileBytes bytes. */
const base64Chars = Math.ceil(EXPECTED_LIMITS.fileBytes / 3) * 4;

export const intakeRequests = {
  'documents.getRule': { input: z.strictObject({ batchId: Id }), output: SeparationRuleSchema.nullable() },
  /** null: the batch is no longer separated. */
  'documents.setRule': { input: z.strictObject({ batchId: Id, rule: SeparationRuleSchema.nullable() }), output: SeparationRuleSchema.nullable() },
  'documents.list': { input: z.strictObject({ batchId: Id }), output: DocumentListSchema },
  /**
   * One PDF per document into an existing folder the user chose: `{ handle }` from the folder
   * dialog (desktop app), or a typed path (browser host).
   */
  // A folder the renderer types is never a network share (Windows would send the user's credentials there).
  'documents.writePdfs': { input: z.strictObject({ batchId: Id, dir: folderChoice(LocalFolderPath) }), output: DocumentPdfSchema },
  /** An expected list file (CSV or XLSX) read in the renderer, sent as bytes: works the same in both hosts. */
  'expected.import': {
    input: z.strictObject({
      batchId: Id,
      fileName: Text(255).min(1),
      bytesBase64: z.string().min(1).max(base64Chars),
      column: Text(255).min(1).optional(),
    }),
    output: z.object({ list: ListInfo, repeated: z.number(), header: z.boolean() }),
  },
  /** Pasted values (one per entry); null removes the batch's list. */
  'expected.set': {
    input: z.strictObject({ batchId: Id, values: z.array(Text(EXPECTED_LIMITS.valueChars)).max(EXPECTED_LIMITS.values).nullable() }),
    output: ListInfo.nullable(),
  },
  'reconciliation.get': { input: z.strictObject({ batchId: Id }), output: ReconciliationSchema },
  'hotFolders.list': { input: z.strictObject({}), output: z.array(HotFolderSchema) },
  /**
   * Adds (or updates, by path) a watched folder; every folder named must exist. Desktop app:
   * each folder is `{ handle }` from the folder dialog; browser host: typed paths.
   */
  'hotFolders.save': {
    input: z.strictObject({ path: folderChoice(Path), doneDir: folderChoice(Path).nullable().optional(), failedDir: folderChoice(Path).nullable().optional() }),
    output: HotFolderSchema,
  },
  'hotFolders.setEnabled': { input: z.strictObject({ id: Id, enabled: z.boolean() }), output: HotFolderSchema },
  'hotFolders.remove': { input: z.strictObject({ id: Id }), output: z.object({ id: Id }) },
} as const;
