import type { VendorId } from '../../../shared/engines';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ScanError } from '../errors';
import { VENDOR_LIST } from '../vendors';
import { defaultVendorSettings, describeIssues as describe, VendorSettingsSchema, type VendorSettings, type VendorSettingsPatch } from './schema';

export const VENDOR_SETTINGS_FILE = 'vendor-settings.json';

/** The settings file of a profile: beside its database. */
export function vendorSettingsPath(dbPath: string): string {
  return join(dirname(dbPath), VENDOR_SETTINGS_FILE);
}

/**
 * Environment variables that point a vendor somewhere else for this process only (emulators,
 * a proxy, a private endpoint), from each vendor's definition. They override the file and are
 * never written to it.
 */
export const ENDPOINT_ENV = Object.fromEntries(VENDOR_LIST.map((d) => [d.id, d.endpoint.env])) as Record<VendorId, string>;

export const ENDPOINT_ENV_HELP =
  'Endpoint overrides (environment, this run only; https, or http to this machine only;\n' +
  'stored keys are sent only to the endpoint they were saved for: store them again for another):\n' +
  VENDOR_LIST.map((d) => `  ${`${d.endpoint.env}=<url>`.padEnd(33)}${d.endpoint.help}`).join('\n');

/**
 * Non-secret vendor settings in one JSON file (validated with zod). A missing file means
 * defaults; a damaged one means defaults too (the app must start) with `problem` saying why,
 * and it is only replaced when someone saves. Writes go to a temporary file that is flushed
 * and renamed over the old one, so a crash never leaves half a file.
 */
export class VendorSettingsStore {
  private cached: VendorSettings | null = null;
  private damaged: string | null = null;
  private readonly listeners = new Set<(s: VendorSettings) => void>();

  constructor(
    readonly file: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Why the file could not be used (defaults are in effect), or null. */
  get problem(): string | null {
    this.stored();
    return this.damaged;
  }

  /** What the file says (defaults filled in), without environment overrides. */
  stored(): VendorSettings {
    if (this.cached) return this.cached;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.damaged = `Cannot read ${this.file} (${(err as NodeJS.ErrnoException).code}); using defaults.`;
      this.cached = defaultVendorSettings();
      return this.cached;
    }
    try {
      const parsed = VendorSettingsSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.cached = parsed.data;
        this.damaged = null;
      } else {
        this.damaged = `${this.file} is not valid (${describe(parsed.error)}); using defaults.`;
        this.cached = defaultVendorSettings();
      }
    } catch {
      this.damaged = `${this.file} is not valid JSON; using defaults.`;
      this.cached = defaultVendorSettings();
    }
    return this.cached;
  }

  /** The settings in effect: the file with this process's endpoint overrides applied. */
  get(): VendorSettings {
    return applyEndpointEnv(this.stored(), this.env);
  }

  /**
   * Merges a change into the stored settings (null clears an optional field), validates the
   * result and writes it. Throws INVALID_INPUT naming the bad field; the file is unchanged then.
   */
  update(patch: VendorSettingsPatch): VendorSettings {
    const merged = mergePatch(this.stored(), patch);
    const parsed = VendorSettingsSchema.safeParse(merged);
    if (!parsed.success) throw new ScanError('INVALID_INPUT', `Invalid vendor settings: ${describe(parsed.error)}.`);
    writeAtomic(this.file, `${JSON.stringify(parsed.data, null, 2)}\n`);
    this.cached = parsed.data;
    this.damaged = null;
    const effective = this.get();
    for (const l of this.listeners) l(effective);
    return effective;
  }

  /** Told after every successful update (the engine registry rebuilds the vendor it concerns). */
  onChange(listener: (s: VendorSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Settings with endpoint overrides from the environment; a bad value is an INVALID_INPUT naming the variable. */
export function applyEndpointEnv(settings: VendorSettings, env: NodeJS.ProcessEnv): VendorSettings {
  const patch: Record<string, Record<string, string>> = {};
  for (const d of VENDOR_LIST) {
    const url = env[d.endpoint.env];
    if (url) patch[d.id] = { [d.endpoint.key]: url };
  }
  if (Object.keys(patch).length === 0) return settings;
  const parsed = VendorSettingsSchema.safeParse(mergePatch(settings, patch));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const vendor = String(issue?.path[0] ?? '') as VendorId;
    throw new ScanError('INVALID_INPUT', `${ENDPOINT_ENV[vendor] ?? 'An endpoint variable'}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

/** Deep merge of plain objects; null removes a key. */
export function mergePatch<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || base === null || typeof base !== 'object') {
    return patch as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out as T;
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ScanError('INVALID_INPUT', `Cannot save the vendor settings to ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`, { cause: err });
  }
}
