import { dirname } from 'node:path';
import type { EngineId, Task } from '../../../shared/engines';
import { testConnection, type ConnectionTestResult } from '../credentials/connection-test';
import { secretDestination } from '../credentials/endpoint';
import { credentialsForEndpoint, ProfileCredentials } from '../credentials/environment';
import { CredentialStore } from '../credentials/store';
import { accountOf } from '../usage/meter';
import { VENDOR_IDS, type CredentialProvider, type CredentialStatus, type KeychainStatus, type VendorCredentials, type VendorId } from '../credentials/types';
import { ScanError } from '../errors';
import { PreparePool } from '../imaging/prepare-pool';
import type { VendorSettings, VendorSettingsPatch } from '../settings/schema';
import { mergePatch, VendorSettingsStore, vendorSettingsPath } from '../settings/store';
import { identifyingField, VENDOR_LIST, vendorDefinition } from '../vendors';
import { createNetwork, proxyFor, type RetryOptions, type VendorEvent } from '../vendors/common';
import type { ProxyAuthLookup } from '../credentials/proxy-auth';
import type { Engine, RecognizeRequest, RecognizeResult } from './engine';
import { LocalEngine, type LocalEngineOptions } from './local';

/**
 * Builds the engines a service runs: the local decoder and the cloud vendors (each from its
 * definition in electron/core/vendors), from the non-secret vendor settings and a
 * CredentialProvider (by default the process's environment variables where a vendor's are set,
 * else the OS keychain, loaded on first use). Each vendor engine is a stable object that builds the real engine from the
 * settings in effect at its next call, so a settings change or new credentials apply without
 * reopening the service (call `invalidate`). Without a keychain, vendor pages stop with
 * KEYCHAIN_UNAVAILABLE (what to do is in the message) and the local engine keeps working.
 */
export interface EngineRegistryOptions {
  /** Where settings come from: the profile's store, or fixed settings. */
  settings: VendorSettingsStore | (() => VendorSettings);
  /** Per-run changes over the settings (CLI flags); never saved. */
  overrides?: VendorSettingsPatch;
  /**
   * Default: ProfileCredentials (environment variables where set, else the OS keychain). A
   * CredentialStore given here is used alone, without the environment.
   */
  credentials?: CredentialProvider;
  /** The local decoder's pool (e.g. { size: jobs }). */
  local?: LocalEngineOptions;
  /** Which engines to build (default: all four). */
  include?: readonly EngineId[];
  /** Vendor retry tuning (tests shorten the backoff). */
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Retries and stops of the vendor clients (messages are secret-free). */
  onVendorEvent?: (vendor: VendorId, event: VendorEvent) => void;
  /** Environment for the 'system' proxy (HTTPS_PROXY, NO_PROXY...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The profile's folder: OSS writes its uploads in flight there (vendors/alioss/upload-journal.ts). */
  dataDir?: string;
}

/** Each vendor's tasks and name, from its definition (for callers that want a table). */
export const VENDOR_TASKS = Object.fromEntries(VENDOR_LIST.map((d) => [d.id, d.tasks])) as Record<VendorId, readonly Task[]>;
export const VENDOR_NAMES = Object.fromEntries(VENDOR_LIST.map((d) => [d.id, d.name])) as Record<VendorId, string>;

export class EngineRegistry {
  readonly engines: Engine[];
  readonly credentials: CredentialProvider;
  private readonly vendors = new Map<VendorId, VendorEngine>();
  private readonly unsubscribe: (() => void) | null;
  /** Vendor pages are prepared (HEIC decoding, PDF rendering, encoding) off the service's thread. */
  private readonly preparePool = new PreparePool();

  constructor(private readonly options: EngineRegistryOptions) {
    // A bare keychain store means "these keys only" (no environment variables).
    const c = options.credentials;
    this.credentials = c instanceof CredentialStore ? new ProfileCredentials(c, {}) : (c ?? new ProfileCredentials());
    const include = new Set<EngineId>(options.include ?? ['local', ...VENDOR_IDS]);
    this.engines = [];
    if (include.has('local')) this.engines.push(new LocalEngine(options.local));
    for (const vendor of VENDOR_IDS) {
      if (!include.has(vendor)) continue;
      const e = new VendorEngine(vendor, () => this.settings(), (s) => this.build(vendor, s));
      this.vendors.set(vendor, e);
      this.engines.push(e);
    }
    const src = options.settings;
    this.unsubscribe = typeof src === 'function' ? null : src.onChange(() => this.invalidate());
  }

  /** The settings in effect (file, environment overrides, then per-run overrides). */
  settings(): VendorSettings {
    const src = this.options.settings;
    const base = typeof src === 'function' ? src() : src.get();
    return this.options.overrides ? mergePatch(base, this.options.overrides) : base;
  }

  get(id: EngineId): Engine | undefined {
    return this.engines.find((e) => e.id === id);
  }

  /**
   * Forget the built vendor engine(s), e.g. after new credentials were saved: the next page
   * gets a fresh client (no stop latched from the old key, no cached token). Pages in flight
   * finish on the old one.
   */
  invalidate(vendor?: VendorId): void {
    for (const [id, e] of this.vendors) if (!vendor || id === vendor) e.invalidate();
  }

  /**
   * Stores credentials in the keychain, for the endpoint the vendor is set to now (they are
   * sent nowhere else), and makes the vendor use them from its next page.
   */
  async setCredentials<V extends VendorId>(vendor: V, credentials: VendorCredentials<V>): Promise<void> {
    const store = this.keychain(vendor);
    await store.set(vendor, credentials, { endpoint: this.secretDestination(vendor) });
    this.invalidate(vendor);
  }

  /** Where the vendor's secret goes with the settings in effect (what its keys must be saved for). */
  secretDestination(vendor: VendorId): string {
    return secretDestination(vendor, this.settings()[vendor]);
  }

  async deleteCredentials(vendor: VendorId): Promise<boolean> {
    const removed = await this.keychain(vendor).delete(vendor);
    this.invalidate(vendor);
    return removed;
  }

  /** The keychain store, when this registry's credentials for `vendor` are the keychain's to change. */
  private keychain(vendor: VendorId) {
    const c = this.credentials;
    if (c instanceof ProfileCredentials && c.source(vendor) === 'environment') {
      const vars = vendorDefinition(vendor).credentials.map((f) => f.env).join(', ');
      throw new ScanError(
        'INVALID_INPUT',
        `The ${vendorDefinition(vendor).name} credentials of this ScanDesk come from environment variables (${vars}); unset them to use keys from the keychain.`,
      );
    }
    return this.keychainStore();
  }

  /**
   * What a settings screen shows per vendor: credentials configured (masked id only), the
   * settings in effect, and whether it can run now (`missing` says what is not set up).
   * Never throws for a missing keychain: `keychain.available` is false with the reason.
   */
  async status(): Promise<VendorsStatus> {
    const keychain =
      this.credentials instanceof ProfileCredentials
        ? await this.credentials.status()
        : { available: true, error: null, vendors: VENDOR_IDS.map((vendor): CredentialStatus => ({ vendor, configured: true, maskedId: null, endpoint: null })) };
    const s = this.settings();
    const vendors = VENDOR_LIST.map((d) => {
      const vendor = d.id;
      const credentials = keychain.vendors.find((v) => v.vendor === vendor)!;
      const missing: VendorStatus['missing'] = [];
      if (!credentials.configured) {
        if (!keychain.available) missing.push({ code: 'keychain', message: keychain.error?.message ?? 'The keychain is not available.' });
        else missing.push({ code: 'credentials', message: `${d.name} has no credentials yet: add them in Settings.` });
      } else if (credentials.endpoint && credentials.endpoint !== secretDestination(vendor, s[vendor])) {
        missing.push({ code: 'endpoint', message: `${d.name} now points at another endpoint than its keys were saved for: enter them again in Settings.` });
      }
      missing.push(...d.missing(s[vendor] as never));
      return { vendor, name: d.name, tasks: d.tasks, credentials, settings: s[vendor], ready: missing.length === 0, missing };
    });
    return { keychain: { available: keychain.available, error: keychain.error, ...(keychain.proxy ? { proxy: keychain.proxy } : {}) }, vendors };
  }

  /**
   * The usage fingerprint (usage/meter accountOf) of the account a vendor would use now, to
   * check today's quota; null when it has none or the keychain cannot be read.
   */
  async usageAccount(vendor: string): Promise<string | null> {
    if (!(VENDOR_IDS as readonly string[]).includes(vendor)) return null;
    const v = vendor as VendorId;
    try {
      const creds = (await this.credentials.get(v)) as Record<string, string> | null;
      const id = creds?.[identifyingField(vendorDefinition(v)).key];
      return id ? accountOf(v, id).account : null;
    } catch {
      return null;
    }
  }

  /**
   * What earlier runs that died left at `vendor` (OSS: uploaded pages), cleaned now with the
   * credentials and settings in effect; answers notices for what could not be. Throws when the
   * vendor cannot be built (not set up).
   */
  sweepLeftovers(vendor: VendorId): Promise<string[]> {
    return this.vendors.get(vendor)?.sweepLeftovers() ?? Promise.resolve([]);
  }

  /** The vendor's connection test with the stored credentials and the settings in effect. */
  testConnection(vendor: VendorId, signal?: AbortSignal): Promise<ConnectionTestResult> {
    return testConnection(vendor, this.credentials, this.settings(), signal, undefined, this.options.env ?? process.env, this.proxyAuth());
  }

  /**
   * Saves the proxy's sign-in in the keychain for the proxy in effect (Settings, else the
   * system's HTTPS_PROXY), the only proxy it will be given to; vendors use it from their next page.
   */
  async setProxyAuth(auth: { username: unknown; password: unknown }): Promise<void> {
    const proxy = this.proxyInEffect();
    if (!proxy) {
      throw new ScanError('INVALID_INPUT', 'proxy: there is no proxy to sign in to: choose one in Settings → Cloud vendors → Network (or set HTTPS_PROXY) first.');
    }
    await this.keychainStore().proxy.set(auth, proxy);
    this.invalidate();
  }

  async deleteProxyAuth(): Promise<boolean> {
    const removed = await this.keychainStore().proxy.delete();
    this.invalidate();
    return removed;
  }

  /** The proxy vendors would use now for an https service (null: direct). */
  proxyInEffect(): string | null {
    const setting = this.settings().network.proxy;
    return proxyFor(new URL('https://scandesk.invalid/'), setting, this.options.env ?? process.env)?.origin ?? null;
  }

  /** Where the proxy's sign-in comes from: the keychain (none for fixed test credentials). */
  private proxyAuth(): ProxyAuthLookup | undefined {
    const c = this.credentials;
    return c instanceof ProfileCredentials ? (origin) => c.proxyAuth(origin) : undefined;
  }

  private keychainStore(): CredentialStore {
    const c = this.credentials;
    if (!(c instanceof ProfileCredentials)) throw new ScanError('INTERNAL', 'These credentials are read-only.');
    return c.store;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.engines.map((e) => e.close?.()));
    await this.preparePool.close();
  }

  private build(vendor: VendorId, s: VendorSettings): Engine {
    const onEvent = this.options.onVendorEvent ? (e: VendorEvent) => this.options.onVendorEvent!(vendor, e) : undefined;
    const retry = this.options.retry;
    // The engine built from these settings may use keychain keys only if they were saved for
    // the endpoint these settings send to (rebuilt whenever the settings change).
    const credentials = credentialsForEndpoint(this.credentials, vendor, secretDestination(vendor, s[vendor]));
    // Throws a clear stop-engine error when the vendor is not set up (e.g. OSS without a bucket).
    return vendorDefinition(vendor).createEngine({
      settings: s[vendor] as never,
      credentials,
      network: createNetwork(s.network.proxy, this.options.env ?? process.env, this.proxyAuth()),
      ...(this.options.dataDir ? { dataDir: this.options.dataDir } : {}),
      prepare: this.preparePool.prepare,
      ...(retry ? { retry } : {}),
      onEvent,
    });
  }
}

export function createEngineRegistry(options: EngineRegistryOptions): EngineRegistry {
  return new EngineRegistry(options);
}

export interface VendorStatus {
  vendor: VendorId;
  name: string;
  tasks: readonly Task[];
  credentials: CredentialStatus;
  settings: VendorSettings[VendorId];
  /** Credentials and required settings are in place (the vendor may still refuse them: test it). */
  ready: boolean;
  /**
   * What is not set up ('keychain', 'credentials', 'endpoint' (keys saved for another one), or
   * the vendor's own: 'bucket', 'region'), with what to do.
   */
  missing: Array<{ code: string; message: string }>;
}

export interface VendorsStatus {
  keychain: Pick<KeychainStatus, 'available' | 'error' | 'proxy'>;
  vendors: VendorStatus[];
}

/**
 * The registry of one profile (what the desktop app and the browser host use): settings in
 * vendor-settings.json beside the database, credentials in the OS keychain. Give
 * `registry.engines` to openScanService, keep `settings` for the settings screen, and close
 * the registry after the service.
 */
export function profileEngines(dbPath: string, options: Omit<EngineRegistryOptions, 'settings'> = {}): { registry: EngineRegistry; settings: VendorSettingsStore } {
  const settings = new VendorSettingsStore(vendorSettingsPath(dbPath));
  return { registry: createEngineRegistry({ dataDir: dirname(dbPath), ...options, settings }), settings };
}

/** Drops the options meant for another vendor; unknown ones stay, so the engine names them. */
function ownOptions(vendor: VendorId, options: Record<string, unknown>): Record<string, unknown> {
  const others = new Set(VENDOR_LIST.filter((d) => d.id !== vendor).flatMap((d) => d.optionKeys));
  const mine = new Set(vendorDefinition(vendor).optionKeys);
  return Object.fromEntries(Object.entries(options).filter(([k]) => mine.has(k) || !others.has(k)));
}

/**
 * A vendor engine as the runner sees it: fixed id and tasks; the real engine is built from
 * the settings in effect and rebuilt when they change (or after `invalidate`). A superseded
 * engine is closed once its last request has finished.
 */
class VendorEngine implements Engine {
  readonly tasks: readonly Task[];
  private inner: { key: string; engine: Engine; inflight: number; retired: boolean } | null = null;
  private stale = false;

  constructor(
    readonly id: VendorId,
    private readonly settings: () => VendorSettings,
    private readonly build: (s: VendorSettings) => Engine,
  ) {
    this.tasks = vendorDefinition(id).tasks;
  }

  get concurrency(): number {
    try {
      return (this.settings()[this.id] as { concurrency?: number }).concurrency ?? 1;
    } catch {
      return 1;
    }
  }

  invalidate(): void {
    this.stale = true;
  }

  async sweepLeftovers(): Promise<string[]> {
    return (await this.current().engine.sweepLeftovers?.()) ?? [];
  }

  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    const slot = this.current();
    slot.inflight++;
    try {
      return await slot.engine.recognize(req.options ? { ...req, options: ownOptions(this.id, req.options) } : req);
    } finally {
      slot.inflight--;
      if (slot.retired && slot.inflight === 0) void slot.engine.close?.();
    }
  }

  async close(): Promise<void> {
    const slot = this.inner;
    this.inner = null;
    if (slot) await slot.engine.close?.();
  }

  private current(): NonNullable<VendorEngine['inner']> {
    const s = this.settings();
    const key = JSON.stringify([s[this.id], s.network]);
    if (this.inner && this.inner.key === key && !this.stale) return this.inner;
    const old = this.inner;
    const engine = this.build(s); // throws a clear stop-engine error when not set up
    this.inner = { key, engine, inflight: 0, retired: false };
    this.stale = false;
    if (old) {
      old.retired = true;
      if (old.inflight === 0) void old.engine.close?.();
    }
    return this.inner;
  }
}
