/**
 * The one typed contract between the renderer and whatever hosts it (Electron main over IPC,
 * or the browser host over a WebSocket). Every request has an input schema (strict: extra
 * fields are rejected; strings, arrays and numbers are bounded) and an output schema; every
 * event has a payload schema. Both transports register the same handler table
 * (electron/core/api), so the renderer cannot tell them apart.
 *
 * shared/ runs in the renderer too: this file imports zod and shared/ only.
 */
import { z } from 'zod';
import { ENGINE_IDS, TASKS, type EnginePlan } from './engines';
import { ERROR_CODES, type AppError, type ErrorCode } from './errors';
import type { BatchProgress, BatchSummary, ItemDetail, ItemSummary } from './batch';
import { DETECTION_ENGINES, SYMBOLOGIES, type StoredDetection } from './detection';
import {
  EVENT_NAMES,
  MENU_COMMANDS,
  REQUEST_NAMES,
  type EventName,
  type MediaKind,
  type RequestName,
} from './contract/names';
import { AbsolutePath, noNul } from './contract/paths';
import { exportRequests } from './contract/exports';
import {
  ConnectionTestSchema,
  CredentialsSetInput,
  EngineInfoSchema,
  KeychainStatusSchema,
  ProxyAuthSetInput,
  VendorDescriptionSchema,
  VendorIdSchema,
  VendorSettingsPatchSchema,
  VendorSettingsResultSchema,
} from './contract/vendors';
import { intakeRequests } from './contract/intake';
import { folderRequests } from './contract/folders';
import { sharedQueueRequests, SharedQueueStatusSchema, type SharedQueueStatus } from './contract/shared-queue';
import { cameraRequests } from './contract/camera';
import { tableRequests } from './contract/table';
import { BatchEstimateSchema, BatchUsageSchema, UsageSummarySchema } from './contract/usage';
import { BatchRulesSchema, PageRuleVerdictSchema, RuleVerdictSchema, rulesRequests } from './contract/rules';

import type { CropKind } from './idcard';
import { IdCardOptionsSchema, idCardPart } from './contract/idcard';

export * from './contract/names';
export * from './contract/paths';
export * from './contract/exports';
export * from './contract/idcard';
export * from './contract/vendors';
export * from './contract/intake';
export * from './contract/folders';
export * from './contract/shared-queue';
export * from './contract/usage';
export * from './contract/camera';
export * from './contract/table';
export * from './contract/rules';

// ---------------------------------------------------------------------------------------------
// Limits (exported so the UI can enforce the same bounds before it asks)
// ---------------------------------------------------------------------------------------------
export const LIMITS = {
  pathChars: 4096,
  pathsPerBatch: 10_000,
  searchChars: 200,
  nameChars: 200,
  correctedTextChars: 10_000,
  /** Largest page side a box drawn by a reviewer may reach (pixels). */
  pagePixels: 1_000_000,
  pageSize: 1000,
  planOptions: 32,
  planOptionChars: 4096,
  /** Detections one Undo may put back (a bulk verdict over a large batch). */
  restoreDetections: 200_000,
} as const;

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------
/** Database ids: positive safe integers (NaN, negatives, fractions and strings are rejected). */
export const Id = z.int().positive();

/** A plan option: a plain value, or a small set of named flags (IDCardOCR's Config). */
const PlanOptionValue = z.union([
  z.string().max(LIMITS.planOptionChars),
  z.number(),
  z.boolean(),
  z.null(),
  z
    .record(z.string().min(1).max(50), z.boolean())
    .refine((o) => Object.keys(o).length <= LIMITS.planOptions, { message: `at most ${LIMITS.planOptions} flags` }),
]);

export const EnginePlanSchema = z.strictObject({
  engine: z.enum(ENGINE_IDS),
  task: z.enum(TASKS),
  fallback: z.enum(ENGINE_IDS).nullable().optional(),
  options: z
    .record(z.string().min(1).max(100), PlanOptionValue)
    .refine((o) => Object.keys(o).length <= LIMITS.planOptions, { message: `at most ${LIMITS.planOptions} options` })
    .optional(),
})
  // ID-card options are checked here by the vendor's rules (shared/contract/idcard.ts), so the
  // dialog hears about a bad combination before any page is sent.
  .superRefine((plan, ctx) => {
    if (plan.task !== 'idcard') return;
    const r = IdCardOptionsSchema.safeParse(idCardPart(plan.options));
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: ['options', ...issue.path] } as never);
  }) satisfies z.ZodType<EnginePlan>;

export const ItemFilterSchema = z.enum(['all', 'with-codes', 'without-codes', 'errors', 'needs-review', 'rule-breaks']);
export const ReviewStatusSchema = z.enum(['pending', 'accepted', 'rejected']);
export const LanguageSchema = z.enum(['system', 'en', 'zh-CN']);
export const ThemeSchema = z.enum(['system', 'light', 'dark']);

const Empty = z.strictObject({});

// ---------------------------------------------------------------------------------------------
// Output shapes (mirror shared/batch.ts and shared/detection.ts)
// ---------------------------------------------------------------------------------------------
export const AppErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() }) satisfies z.ZodType<AppError>;

const PointSchema = z.object({ x: z.number(), y: z.number() });
const GeometrySchema = z.object({ kind: z.enum(['quad', 'rect', 'none']), points: z.array(PointSchema) });

export const BatchCountsSchema = z.object({
  total: z.number(),
  pending: z.number(),
  done: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  skipped: z.number(),
  codes: z.number(),
});

const BatchStatusSchema = z.enum(['queued', 'running', 'paused', 'cancelled', 'done']);

export const BatchSummarySchema = z.object({
  id: Id,
  name: z.string(),
  createdAt: z.string(),
  status: BatchStatusSchema,
  plan: z.object({
    engine: z.enum(ENGINE_IDS),
    task: z.enum(TASKS),
    fallback: z.enum(ENGINE_IDS).nullable().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  counts: BatchCountsSchema,
  stopped: z.array(z.object({ engine: z.string(), code: z.string(), message: z.string(), pages: z.number() })),
  engines: z.array(z.string()),
}) satisfies z.ZodType<BatchSummary>;

export const ItemSummarySchema = z.object({
  id: Id,
  batchId: Id,
  path: z.string(),
  page: z.number(),
  pageCount: z.number(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'cancelled', 'skipped']),
  error: AppErrorSchema.nullable(),
  detectionCount: z.number(),
  reviewPending: z.number(),
  checkedNoCode: z.boolean(),
  rule: PageRuleVerdictSchema.optional(),
  width: z.number().nullable(),
  height: z.number().nullable(),
}) satisfies z.ZodType<ItemSummary>;

export const StoredDetectionSchema = z.object({
  id: Id,
  itemId: Id,
  kind: z.enum(['code', 'text', 'field']),
  symbology: z.string(),
  text: z.string(),
  bytesBase64: z.string().optional(),
  field: z.string().optional(),
  geometry: GeometrySchema,
  engine: z.enum(DETECTION_ENGINES),
  extra: z.record(z.string(), z.unknown()).optional(),
  review: ReviewStatusSchema,
  correctedText: z.string().nullable(),
  foundBy: z.array(z.enum(DETECTION_ENGINES)).optional(),
  disagrees: z.boolean().optional(),
  rule: RuleVerdictSchema.optional(),
}) satisfies z.ZodType<StoredDetection>;

export const ItemDetailSchema = ItemSummarySchema.extend({
  detections: z.array(StoredDetectionSchema),
}) satisfies z.ZodType<ItemDetail>;

/**
 * One path as the new-batch dialog checks it: a file or a folder (with how many of its files
 * look like images and how many do not; `capped` when a huge tree was only partly counted), or
 * the error intake would give it.
 */
export const PathCheckSchema = z.object({
  path: z.string(),
  kind: z.enum(['file', 'folder']).nullable(),
  images: z.number(),
  others: z.number(),
  capped: z.boolean(),
  error: AppErrorSchema.nullable(),
});
export type PathCheck = z.infer<typeof PathCheckSchema>;

/** A detection's review as it was before a change (what Undo puts back). */
export const ReviewBeforeSchema = z.object({
  id: Id,
  review: ReviewStatusSchema,
  correctedText: z.string().max(LIMITS.correctedTextChars).refine(noNul, { message: 'must not contain NUL characters' }).nullable(),
});

export const SettingsSchema = z.strictObject({ language: LanguageSchema, theme: ThemeSchema });
export type Settings = z.infer<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = { language: 'system', theme: 'system' };

/**
 * Native dialogs exist only in Electron. The browser host answers `unavailable` (with a reason
 * to show) and the renderer offers a typed path instead.
 */
export const PathsDialogResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('selected'), paths: z.array(z.string()) }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
]);
export type PathsDialogResult = z.infer<typeof PathsDialogResultSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** process.platform of the machine running the engine. */
  platform: z.string(),
  /** Which host runs the renderer; 'browser' means no native dialogs and no file paths from drops. */
  transport: z.enum(['electron', 'browser']),
  capabilities: z.object({ nativeDialogs: z.boolean(), pathsFromDrop: z.boolean() }),
  engines: z.array(z.enum(ENGINE_IDS)),
  dataDir: z.string(),
  /** Said once at start, about no batch (e.g. OSS pages an earlier run left that could not be deleted). */
  notices: z.array(z.string()).optional(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------
const BatchRef = z.strictObject({ batchId: Id });

export const requests = {
  'app.info': { input: Empty, output: AppInfoSchema },
  'settings.get': { input: Empty, output: SettingsSchema },
  /** Partial update; answers the full settings after the change. */
  'settings.set': {
    input: z.strictObject({ language: LanguageSchema.optional(), theme: ThemeSchema.optional() }),
    output: SettingsSchema,
  },

  'batches.list': { input: Empty, output: z.array(BatchSummarySchema) },
  'batches.get': { input: BatchRef, output: BatchSummarySchema },
  'batches.create': {
    input: z.strictObject({
      paths: z.array(AbsolutePath).min(1).max(LIMITS.pathsPerBatch),
      name: z.string().trim().min(1).max(LIMITS.nameChars).refine(noNul, { message: 'must not contain NUL characters' }).optional(),
      plan: EnginePlanSchema,
      /** The batch's review rules (shared/rules), stored with it before its first page is read. */
      rules: BatchRulesSchema.optional(),
    }),
    output: z.object({
      batch: BatchSummarySchema,
      skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
  },
  'batches.pause': { input: BatchRef, output: BatchSummarySchema },
  'batches.resume': { input: BatchRef, output: BatchSummarySchema },
  'batches.cancel': { input: BatchRef, output: BatchSummarySchema },
  'batches.finishWithoutStopped': { input: BatchRef, output: BatchSummarySchema },
  'batches.retryFailed': { input: BatchRef, output: BatchSummarySchema },
  'batches.delete': { input: BatchRef, output: z.object({ batchId: Id }) },

  'items.list': {
    input: z.strictObject({
      batchId: Id,
      filter: ItemFilterSchema.optional(),
      search: z.string().max(LIMITS.searchChars).refine(noNul, { message: 'must not contain NUL characters' }).optional(),
      offset: z.int().min(0).optional(),
      limit: z.int().min(1).max(LIMITS.pageSize).optional(),
    }),
    output: z.object({ total: z.number(), items: z.array(ItemSummarySchema) }),
  },
  'items.get': { input: z.strictObject({ itemId: Id }), output: ItemDetailSchema },

  /** Accept / reject / reset a detection and/or correct its value (null clears a correction). */
  'detections.review': {
    input: z
      .strictObject({
        detectionId: Id,
        review: ReviewStatusSchema.optional(),
        correctedText: z.string().max(LIMITS.correctedTextChars).refine(noNul, { message: 'must not contain NUL characters' }).nullable().optional(),
      })
      .refine((v) => v.review !== undefined || v.correctedText !== undefined, {
        message: 'review or correctedText is required',
        path: ['review'],
      }),
    output: StoredDetectionSchema,
  },

  ...exportRequests,

  'dialogs.openFiles': { input: Empty, output: PathsDialogResultSchema },
  'dialogs.openFolder': { input: Empty, output: PathsDialogResultSchema },
  /** Run a settled batch again with another engine or task; earlier detections stay. */
  'batches.rerun': { input: z.strictObject({ batchId: Id, plan: EnginePlanSchema }), output: BatchSummarySchema },
  ...cameraRequests,

  /** What each path holds before a batch exists: a folder's images and other files, or why it cannot be used. */
  'paths.check': {
    input: z.strictObject({ paths: z.array(AbsolutePath).min(1).max(LIMITS.pathsPerBatch) }),
    output: z.array(PathCheckSchema),
  },
  /** Completes a typed path: the folders (then files) whose names start with what was typed. */
  'paths.complete': {
    input: z.strictObject({ text: z.string().min(1).max(LIMITS.pathChars).refine(noNul, { message: 'must not contain NUL characters' }) }),
    output: z.object({ entries: z.array(z.object({ path: z.string(), folder: z.boolean() })) }),
  },
  /** Files intake ignored for a batch (not images, duplicates...), each with the reason: not pages. */
  'batches.ignored': {
    input: z.strictObject({ batchId: Id, offset: z.int().min(0).optional(), limit: z.int().min(1).max(LIMITS.pageSize).optional() }),
    output: z.object({ total: z.number(), files: z.array(z.object({ path: z.string(), reason: z.string() })) }),
  },

  /**
   * One verdict for every open (pending) detection of a page, of the grid's current list, or of
   * one symbology. Answers the detections changed as they were before, for Undo.
   */
  'detections.bulkReview': {
    input: z.strictObject({
      batchId: Id,
      review: z.enum(['accepted', 'rejected']),
      scope: z.union([
        z.strictObject({ itemId: Id }),
        z.strictObject({ filter: ItemFilterSchema, search: z.string().max(LIMITS.searchChars).refine(noNul, { message: 'must not contain NUL characters' }).optional() }),
        z.strictObject({ symbology: z.string().min(1).max(100) }),
      ]),
    }),
    output: z.object({ changed: z.array(ReviewBeforeSchema) }),
  },
  /** Undo: puts detections back as they were (verdict and corrected value). Answers how many pages changed. */
  'detections.restore': {
    input: z.strictObject({ detections: z.array(ReviewBeforeSchema.strict()).min(1).max(LIMITS.restoreDetections) }),
    output: z.object({ pages: z.number() }),
  },
  /** The symbologies found in a batch, with how many are still open. */
  'detections.symbologies': {
    input: BatchRef,
    output: z.array(z.object({ symbology: z.string(), total: z.number(), pending: z.number() })),
  },

  /**
   * A code a reviewer drew where no engine found one (box in page pixels), with the value and
   * symbology they typed: stored as an accepted detection of engine 'manual'. Answers it and the page.
   */
  'detections.addManual': {
    input: z.strictObject({
      itemId: Id,
      box: z.strictObject({
        left: z.number().min(0).max(LIMITS.pagePixels),
        top: z.number().min(0).max(LIMITS.pagePixels),
        width: z.number().min(1).max(LIMITS.pagePixels),
        height: z.number().min(1).max(LIMITS.pagePixels),
      }),
      symbology: z.enum(SYMBOLOGIES),
      text: z.string().min(1).max(LIMITS.correctedTextChars).refine(noNul, { message: 'must not contain NUL characters' }),
    }),
    output: z.object({ detection: StoredDetectionSchema, item: ItemDetailSchema }),
  },
  /** Undo of detections.addManual: removes a code a reviewer drew (an engine's detection is refused). Answers the page. */
  'detections.removeManual': { input: z.strictObject({ detectionId: Id }), output: ItemDetailSchema },
  /** A reviewer's "checked, no code here" on a page (checked: false takes it back). Answers the page. */
  'items.setNoCode': { input: z.strictObject({ itemId: Id, checked: z.boolean() }), output: ItemDetailSchema },
  /** Shows a page's file in the system's file manager. The host looks the file up by the page's id: the renderer sends no path. */
  'items.reveal': { input: z.strictObject({ itemId: Id }), output: z.object({ revealed: z.literal(true) }) },

  /** What each cloud vendor is and needs (names, tasks, credential fields, settings): the settings screen is built from it. */
  'vendors.describe': { input: Empty, output: z.array(VendorDescriptionSchema) },
  /** Keychain status: configured + masked id per vendor; never a secret. */
  'credentials.status': { input: Empty, output: KeychainStatusSchema },
  /** Writes one vendor's credentials to the keychain; answers the status (the secret is not echoed). */
  'credentials.set': { input: CredentialsSetInput, output: KeychainStatusSchema },
  'credentials.delete': { input: z.strictObject({ vendor: VendorIdSchema }), output: KeychainStatusSchema },
  /** The proxy's sign-in (user name + password) to the keychain, for the proxy in effect only; answers the status. */
  'credentials.setProxy': { input: ProxyAuthSetInput, output: KeychainStatusSchema },
  'credentials.deleteProxy': { input: Empty, output: KeychainStatusSchema },
  /** One cheap real request with the stored credentials and the settings in effect. */
  'credentials.test': { input: z.strictObject({ vendor: VendorIdSchema }), output: ConnectionTestSchema },
  'vendorSettings.get': { input: Empty, output: VendorSettingsResultSchema },
  /** Partial change (null clears a field); answers the settings after it. */
  'vendorSettings.set': { input: VendorSettingsPatchSchema, output: VendorSettingsResultSchema },
  /** Every engine with its tasks and whether it can take a batch now. */
  'engines.list': { input: Empty, output: z.array(EngineInfoSchema) },

  /** What a batch would send to each vendor (stored results not counted) and the daily quotas it would exceed; creates nothing. */
  'batches.estimate': {
    input: z.strictObject({ paths: z.array(AbsolutePath).min(1).max(LIMITS.pathsPerBatch), plan: EnginePlanSchema }),
    output: BatchEstimateSchema,
  },
  /** Vendor calls today and this month per vendor, account (masked) and operation. */
  'usage.summary': { input: Empty, output: UsageSummarySchema },
  /** What one batch spent per vendor and operation. */
  'usage.batch': { input: BatchRef, output: BatchUsageSchema },
  ...intakeRequests,
  ...folderRequests,
  ...sharedQueueRequests,
  ...tableRequests,
  ...rulesRequests,
} as const satisfies Record<RequestName, { input: z.ZodType; output: z.ZodType }>;

// ---------------------------------------------------------------------------------------------
// Events (host -> renderer)
// ---------------------------------------------------------------------------------------------
export const events = {
  /** Throttled progress of a running batch; always sent once more when it settles. */
  'batch.progress': z.object({ batchId: Id, status: BatchStatusSchema, counts: BatchCountsSchema }) satisfies z.ZodType<BatchProgress>,
  /** A batch was created, deleted or changed status: reload the list. */
  'batches.changed': z.object({}),
  /** Something to tell the user once (a vendor stopped, an operation is offline...). */
  notice: z.object({ batchId: z.number(), engine: z.string(), message: z.string() }),
  /** A native menu item was chosen; the renderer performs the action. */
  'menu.command': z.object({ command: z.enum(MENU_COMMANDS) }),
  /** Paths handed to the app from outside (second instance argv, dock/file-open): offer a batch. */
  'paths.opened': z.object({ paths: z.array(z.string()) }),
  /** The shared queue connected, was lost, came back, or the desk shows the other batches. */
  'sharedQueue.changed': SharedQueueStatusSchema,
} as const satisfies Record<EventName, z.ZodType>;

// Compile-time check that the schema tables and the name lists agree in both directions.
type _ReqKeysMatch = [keyof typeof requests] extends [RequestName] ? ([RequestName] extends [keyof typeof requests] ? true : never) : never;
type _EvtKeysMatch = [keyof typeof events] extends [EventName] ? ([EventName] extends [keyof typeof events] ? true : never) : never;
const _checks: [_ReqKeysMatch, _EvtKeysMatch] = [true, true];
void _checks;
void REQUEST_NAMES;
void EVENT_NAMES;

// ---------------------------------------------------------------------------------------------
// Types derived from the tables
// ---------------------------------------------------------------------------------------------
/** What a caller sends (optional fields may be omitted). */
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>;
/** What a handler receives after validation. */
export type ParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<(typeof requests)[N]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

/** Validates the outer result shape (used by transports before trusting what came back). */
export const ResultEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);

/**
 * A readable one-line message naming every offending field, e.g.
 * `batches.create: paths[3]: must be an absolute path; plan.engine: Invalid option ...`.
 */
export function describeIssues(name: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = formatPath(issue.path);
    let msg = issue.message;
    if (issue.code === 'unrecognized_keys') msg = `unexpected field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    return where ? `${where}: ${msg}` : msg;
  });
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`);
  return `Invalid input for ${name}: ${parts.join('; ')}`.slice(0, 1000);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Validates a request input; the failure message names the field(s). */
export function parseInput<N extends RequestName>(name: N, input: unknown): Result<ParsedInput<N>> {
  const schema = requests[name].input as unknown as z.ZodType<ParsedInput<N>>;
  // An absent input is the same as {} for requests that take no fields.
  const parsed = schema.safeParse(input === undefined ? {} : input);
  if (!parsed.success) return fail('INVALID_INPUT', describeIssues(name, parsed.error));
  return ok(parsed.data);
}

// ---------------------------------------------------------------------------------------------
// window.scandesk: what the preload (Electron) and the WebSocket bridge (browser host) expose
// ---------------------------------------------------------------------------------------------
export interface ScanDeskApi {
  /** Which host the renderer runs in. */
  readonly transport: 'electron' | 'browser';
  /** Never rejects: failures come back as `{ok:false, error}`. */
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** URL of an item's oriented preview or thumbnail (scandesk: protocol or the host's HTTP route). */
  mediaUrl(kind: MediaKind, itemId: number): string;
  /** URL of IDCardOCR's card or portrait crop kept with a detection's result (same route as mediaUrl). */
  cropUrl(kind: CropKind, detectionId: number): string;
  /**
   * The absolute path of a dropped File (Electron's webUtils.getPathForFile); null in a browser,
   * where dropped files have no path (the UI asks for a typed path instead). Typed loosely:
   * shared/ has no DOM types; pass the DOM File.
   */
  getPathForFile(file: object): string | null;
  /**
   * Sends a File (dropped or picked) to the host, which keeps a copy under its profile and
   * answers its path there (and its session's folder): the browser host's way to read files
   * a browser gives no path for. Absent in Electron, where files have paths.
   */
  uploadFile?(file: object, session: string, relativePath: string): Promise<Result<{ path: string; folder: string }>>;
}


// ---------------------------------------------------------------------------------------------
// Typed client for the renderer
// ---------------------------------------------------------------------------------------------
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export interface ScanDeskClient {
  readonly api: ScanDeskApi;
  /** Like invoke, but resolves with the value and rejects with an ApiError. */
  call<N extends RequestName>(name: N, ...input: Record<string, never> extends RequestInput<N> ? [RequestInput<N>?] : [RequestInput<N>]): Promise<RequestOutput<N>>;
  on: ScanDeskApi['on'];
  mediaUrl: ScanDeskApi['mediaUrl'];
  cropUrl: ScanDeskApi['cropUrl'];
}

export function createClient(api: ScanDeskApi): ScanDeskClient {
  // Item ids belong to a store: once the desk shows a shared queue, item 5 is another page than
  // this desk's item 5. Media URLs name the source (the media route reads only the path), so the
  // browser's cache never shows one store's image for the other's page.
  let showing: SharedQueueStatus['showing'] = 'local';
  const follow = (status: SharedQueueStatus) => {
    showing = status.showing;
  };
  api.on('sharedQueue.changed', follow);
  return {
    api,
    async call(name, ...rest) {
      const input = (rest[0] ?? {}) as RequestInput<typeof name>;
      const res = await api.invoke(name, input);
      if (!res.ok) throw new ApiError(res.error.code, res.error.message);
      // A page reloaded while the desk shows the queue learns it from the first status it asks for.
      if (name === 'sharedQueue.status') follow(res.value as SharedQueueStatus);
      return res.value;
    },
    on: (event, listener) => api.on(event, listener),
    mediaUrl: (kind, itemId) => (showing === 'local' ? api.mediaUrl(kind, itemId) : `${api.mediaUrl(kind, itemId)}?from=${showing}`),
    cropUrl: (kind, detectionId) => api.cropUrl(kind, detectionId),
  };
}
