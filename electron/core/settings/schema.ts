import { z } from 'zod';
import type { VendorId } from '../../../shared/engines';
import { VENDOR_LIST, type SettingsOf } from '../vendors';

export { isLoopbackHost } from './fields';
import { proxySetting } from './fields';

/**
 * The non-secret settings of the cloud vendors: where to send requests, how fast, how many at
 * once, and (OSS) which bucket. Kept as JSON beside the database. Each vendor's part is its
 * own schema, in its folder (electron/core/vendors/<id>/settings.ts); this file only puts
 * them together. Secrets are NOT here: every object is strict, so a credential field is
 * refused, and vendor credentials live in the OS keychain (electron/core/credentials).
 */
/** What every vendor shares: how requests reach the network (Settings → Cloud vendors → Network). */
export const NetworkSettingsSchema = z.object({ proxy: proxySetting.default('system') }).strict();
export type NetworkSettings = z.output<typeof NetworkSettingsSchema>;

export type VendorSettings = { version: 1; network: NetworkSettings } & { [V in VendorId]: SettingsOf<V> };

export const VendorSettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    network: NetworkSettingsSchema.default(() => NetworkSettingsSchema.parse({})),
    ...Object.fromEntries(VENDOR_LIST.map((d) => [d.id, withDefaults(d.settings.schema)])),
  })
  .strict() as unknown as z.ZodType<VendorSettings, unknown>;

/** A vendor's schema that turns a missing section into that vendor's defaults. */
function withDefaults(schema: z.ZodType<object>) {
  return (schema as z.ZodType<object, object>).default(() => schema.parse({}));
}

/** Nested fields of a change may be null (back to the default) too. */
type PatchValue<T> = T extends object ? { [K in keyof T]?: PatchValue<T[K]> | null } | null : T | null;

/** A change: any subset of fields of any vendor or of the network (nested objects are merged, not replaced). */
export type VendorSettingsPatch = { network?: { proxy?: string | null } } & { [V in VendorId]?: { [K in keyof SettingsOf<V>]?: PatchValue<SettingsOf<V>[K]> } };

export function defaultVendorSettings(): VendorSettings {
  return VendorSettingsSchema.parse({});
}

/** One vendor's settings checked against its schema, with the field's path in the message. */
export function parseVendorSettings(vendor: VendorId, value: unknown): { ok: true; value: object } | { ok: false; message: string } {
  const d = VENDOR_LIST.find((v) => v.id === vendor)!;
  const r = d.settings.schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: describeIssues(r.error, [vendor]) };
}

/** zod issues as "path: message; ..." (at most three). */
export function describeIssues(error: z.ZodError, prefix: Array<string | number> = []): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${[...prefix, ...i.path.map(String)].join('.') || '(settings)'}: ${i.message}`)
    .join('; ');
}
