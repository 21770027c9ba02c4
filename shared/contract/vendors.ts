/**
 * Contract shapes for the cloud vendors: their descriptions, credential status, vendor
 * settings, the engine list. No output schema here has a place for a secret: the keychain
 * status carries `configured` and a masked id only. Secrets travel one way, renderer -> host,
 * in credentials.set.
 *
 * What each vendor needs (its credential fields, its settings and their ranges) is described
 * once, in the vendor's folder (electron/core/vendors/<id>/definition.ts): the host sends that
 * description to the renderer (vendors.describe) and checks every field against it. The schemas
 * here bound the shape and size of what may cross the boundary (identifier keys, bounded
 * strings, finite numbers, no credential-looking setting); the host then validates each field
 * with the vendor's own schema and names the field it refuses.
 *
 * shared/ runs in the renderer too: zod only.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { ENGINE_IDS, TASKS, VENDOR_IDS, type VendorId } from '../engines';

export { VENDOR_IDS, type VendorId };
export const VendorIdSchema = z.enum(VENDOR_IDS);

/** Text shown to people, in each language of the interface. */
export const LocalizedSchema = z.object({ en: z.string(), 'zh-CN': z.string() });
export type Localized = z.infer<typeof LocalizedSchema>;

/** Longest credential value accepted (the keychain store refuses longer ones too). */
export const CREDENTIAL_VALUE_CHARS = 512;

/** A field name of a credential or a setting: a plain identifier. */
const FieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, { message: 'is not a field name' });

// zod's messages for these checks never quote the value, so a bad secret is never echoed.
const credentialValue = z
  .string()
  .trim()
  .min(1, { message: 'is empty' })
  .max(CREDENTIAL_VALUE_CHARS, { message: `is longer than ${CREDENTIAL_VALUE_CHARS} characters` })
  .refine((s) => !/[\0\r\n\t]/.test(s), { message: 'contains control characters' });

/** The vendor's fields are checked by the host against its description (unknown or missing ones are named). */
export const CredentialsSetInput = z.strictObject({
  vendor: VendorIdSchema,
  fields: z.record(FieldKey, credentialValue).refine((f) => Object.keys(f).length <= 8, { message: 'has too many fields' }),
});

export const CredentialStatusSchema = z.strictObject({
  vendor: VendorIdSchema,
  configured: z.boolean(),
  /** e.g. "AKID…3f9a"; never enough of the id to use it. */
  maskedId: z.string().max(16).nullable(),
  /**
   * Where the credentials in use come from: the system keychain (set in Settings or with
   * `scandesk credentials set`), or environment variables of the process (headless machines;
   * read-only here). Absent when nothing is configured.
   */
  source: z.enum(['keychain', 'environment']).optional(),
  /** Temporary keys (STS): when they expire (ISO 8601, UTC), or null when not known. */
  temporary: z.boolean().optional(),
  expiresAt: z.string().max(40).nullable().optional(),
  /** The endpoint the keys were saved for: they are sent nowhere else. */
  savedFor: z.string().max(2048).nullable().optional(),
  /**
   * The vendor now points at another endpoint than the keys were saved for: they are not used
   * until entered again (the settings screen asks for them).
   */
  endpointChanged: z.boolean().optional(),
});

/** The proxy's sign-in: saved or not, and the proxy (origin) it is given to; never the user name or password. */
export const ProxyAuthStatusSchema = z.strictObject({ configured: z.boolean(), proxy: z.string().max(2048).nullable() });

export const KeychainStatusSchema = z.strictObject({
  available: z.boolean(),
  /** Why the keychain cannot be used, and what to do (code KEYCHAIN_UNAVAILABLE). */
  error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
  vendors: z.array(CredentialStatusSchema),
  /** Absent when the keychain was not opened (every vendor's keys from the environment). */
  proxy: ProxyAuthStatusSchema.optional(),
});

/**
 * The sign-in of the proxy in effect, to the keychain (bound to that proxy). The password is
 * taken as typed (not trimmed); neither value is ever echoed.
 */
export const ProxyAuthSetInput = z.strictObject({
  username: credentialValue,
  password: z
    .string()
    .min(1, { message: 'is empty' })
    .max(CREDENTIAL_VALUE_CHARS, { message: `is longer than ${CREDENTIAL_VALUE_CHARS} characters` })
    .refine((s) => !/[\0\r\n]/.test(s), { message: 'contains line breaks' }),
});
export type KeychainStatusView = z.infer<typeof KeychainStatusSchema>;

export const ConnectionTestSchema = z.strictObject({
  vendor: VendorIdSchema,
  ok: z.boolean(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  elapsedMs: z.number(),
});
export type ConnectionTestView = z.infer<typeof ConnectionTestSchema>;

// ---------------------------------------------------------------------------------------------
// What a vendor says about itself (the settings screen is built from it)
// ---------------------------------------------------------------------------------------------
export const CredentialFieldSchema = z.object({
  key: z.string(),
  label: LocalizedSchema,
  /** Typed into a password box and never shown again. */
  secret: z.boolean(),
  /** May be left empty (e.g. the session token of permanent keys). */
  optional: z.boolean(),
  /** When temporary keys expire: a date and time (ISO 8601), shown in the status afterwards. */
  expiry: z.boolean().optional(),
  /** The environment variable that can hold it on a headless machine. */
  env: z.string(),
});
export type CredentialFieldView = z.infer<typeof CredentialFieldSchema>;

export const SettingFieldSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), key: z.string(), label: LocalizedSchema, placeholder: LocalizedSchema.optional() }),
  z.object({ kind: z.literal('url'), key: z.string(), label: LocalizedSchema, placeholder: LocalizedSchema.optional() }),
  z.object({ kind: z.literal('number'), key: z.string(), label: LocalizedSchema }),
  z.object({ kind: z.literal('checkbox'), key: z.string(), label: LocalizedSchema }),
  z.object({ kind: z.literal('select'), key: z.string(), label: LocalizedSchema, choices: z.array(z.string()) }),
  /** Requests per second per operation: one number box per operation, under `key`. */
  z.object({ kind: z.literal('rates'), key: z.string(), label: LocalizedSchema, operations: z.array(z.string()) }),
]);
export type SettingFieldView = z.infer<typeof SettingFieldSchema>;

export const VendorDescriptionSchema = z.object({
  id: VendorIdSchema,
  name: LocalizedSchema,
  /** One line on what the vendor does for ScanDesk. */
  about: LocalizedSchema,
  tasks: z.array(z.enum(TASKS)),
  credentials: z.array(CredentialFieldSchema),
  settings: z.array(SettingFieldSchema),
});
export type VendorDescription = z.infer<typeof VendorDescriptionSchema>;

// ---------------------------------------------------------------------------------------------
// Non-secret vendor settings (each vendor's schema in its folder checks the values)
// ---------------------------------------------------------------------------------------------
/** One vendor's settings as stored, defaults filled in (the description says which fields there are). */
const SettingsRecord = z.record(z.string(), z.unknown());

/** What every vendor shares: 'system' (HTTPS_PROXY / NO_PROXY), 'none', or a proxy URL. */
export const NetworkViewSchema = z.object({ proxy: z.string() });

export const VendorSettingsViewSchema = z.object({
  network: NetworkViewSchema,
  ...(Object.fromEntries(VENDOR_IDS.map((v) => [v, SettingsRecord])) as Record<VendorId, typeof SettingsRecord>),
});
export type VendorSettingsView = { network: { proxy: string } } & Record<VendorId, Record<string, unknown>>;

export const VendorSettingsResultSchema = z.object({
  settings: VendorSettingsViewSchema,
  /** Why the settings file could not be used (defaults are in effect), or null. */
  problem: z.string().nullable(),
  /** Endpoints set for this run by environment variables (they win over the file). */
  overridden: z.array(VendorIdSchema),
});
export type VendorSettingsResult = { settings: VendorSettingsView; problem: string | null; overridden: VendorId[] };

/**
 * Settings never hold credentials: a key that names one is refused here, before the vendor's
 * schema (which is strict) would refuse it too.
 */
const CREDENTIAL_KEY = /secret|passw|token|credential|accesskey|private/i;
const SettingKey = FieldKey.refine((k) => !CREDENTIAL_KEY.test(k), { message: 'is a credential, not a setting (credentials live in the system keychain)' });
const patchText = z.string().max(2048).refine((s) => !s.includes('\0'), { message: 'must not contain NUL characters' });
const patchNumber = z.number().finite();
/** A change to one setting: a value, null (back to the default), or per-operation numbers (rates). */
const PatchValue = z.union([
  patchText,
  patchNumber,
  z.boolean(),
  z.null(),
  z.record(FieldKey, patchNumber.nullable()).refine((r) => Object.keys(r).length <= 16, { message: 'has too many entries' }),
]);
const VendorPatch = z.record(SettingKey, PatchValue).refine((r) => Object.keys(r).length <= 32, { message: 'has too many fields' });

/** A change: null clears a field (back to its default); only the fields given change. */
export const VendorSettingsPatchSchema = z.strictObject({
  network: z.strictObject({ proxy: patchText.nullable().optional() }).optional(),
  ...(Object.fromEntries(VENDOR_IDS.map((v) => [v, VendorPatch.optional()])) as Record<VendorId, z.ZodOptional<typeof VendorPatch>>),
});
export type VendorSettingsPatchInput = { network?: { proxy?: string | null } } & Partial<Record<VendorId, Record<string, z.infer<typeof PatchValue>>>>;

/** One engine as the new-batch picker sees it. */
export const EngineInfoSchema = z.strictObject({
  id: z.enum(ENGINE_IDS),
  tasks: z.array(z.enum(TASKS)),
  /** Credentials (and, for OSS, bucket + region) are in place. */
  configured: z.boolean(),
  /** Can take a batch now (configured and the keychain answers). */
  available: z.boolean(),
  /** Why not, for the user; null when available. */
  reason: z.string().nullable(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;
