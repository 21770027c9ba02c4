import type { EngineId, Task } from '../../../shared/engines';
import { testConnection, type ConnectionSettings, type ConnectionTestResult } from '../credentials/connection-test';
import { credentialsFor, secretDestination } from '../credentials/endpoint';
import { CredentialStore } from '../credentials/store';
import { accountOf } from '../usage/meter';
import { VENDOR_ID_FIELD, VENDOR_IDS, VENDOR_NAMES, type CredentialProvider, type CredentialStatus, type KeychainStatus, type VendorCredentials, type VendorId } from '../credentials/types';
import { ScanError } from '../errors';
import { PreparePool } from '../imaging/prepare-pool';
import type { VendorSettings, VendorSettingsPatch } from '../settings/schema';
import { mergePatch, VendorSettingsStore, vendorSettingsPath } from '../settings/store';
import { tencentEndpoint } from '../settings/endpoints';
import { AliOssEngine } from '../vendors/alioss/engine';
import type { RetryOptions, VendorEvent } from '../vendors/common';
import { TencentEngine } from '../vendors/tencent/engine';
import '../vendors/tencent/connection-test';
import { WeChatEngine } from '../vendors/wechat/engine';
import type { Engine, RecognizeRequest, RecognizeResult } from './engine';
import { LocalEngine, type LocalEngineOptions } from './local';

/**
 * Builds the engines a service runs: the local decoder and the three cloud vendors, from the
 * non-secret vendor settings and a CredentialProvider (the OS keychain by default, loaded on
 * first use). Each vendor engine is a stable object that builds the real engine from the
 * settings in effect at its next call, so a settings change or new credentials apply without
 * reopening the service (call `invalidate`). Without a keychain, vendor pages stop with
 * KEYCHAIN_UNAVAILABLE (what to do is in the message) and the local engine keeps working.
 */
export interface EngineRegistryOptions {
  /** Where settings come from: the profile's store, or fixed settings. */
  settings: VendorSettingsStore | (() => VendorSettings);
  /** Per-run changes over the settings (CLI flags); never saved. */
  overrides?: VendorSettingsPatch;
  /** Default: the OS keychain (CredentialStore). */
  credentials?: CredentialProvider;
  /** The local decoder's pool (e.g. { size: jobs }). */
  local?: LocalEngineOptions;
  /** Which engines to build (default: all four). */
  include?: readonly EngineId[];
  /** Vendor retry tuning (tests shorten the backoff). */
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Retries and stops of the vendor clients (messages are secret-free). */
  onVendorEvent?: (vendor: VendorId, event: VendorEvent) => void;
}

export const VENDOR_TASKS: Record<VendorId, readonly Task[]> = {
  tencent: ['codes', 'idcard'],
  wechat: ['codes', 'text'],
  alioss: ['codes'],
};

export { VENDOR_NAMES };

export class EngineRegistry {
  readonly engines: Engine[];
  readonly credentials: CredentialProvider;
  private readonly vendors = new Map<VendorId, VendorEngine>();
  private readonly unsubscribe: (() => void) | null;
  /** Vendor pages are prepared (HEIC decoding, PDF rendering, encoding) off the service's thread. */
  private readonly preparePool = new PreparePool();

  constructor(private readonly options: EngineRegistryOptions) {
    this.credentials = options.credentials ?? new CredentialStore();
    const include = new Set(options.include ?? (['local', 'tencent', 'wechat', 'alioss'] as const));
    this.engines = [];
    if (include.has('local')) this.engines.push(new LocalEngine(options.local));
    for (const vendor of ['tencent', 'wechat', 'alioss'] as const) {
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
    if (!(this.credentials instanceof CredentialStore)) throw new ScanError('INTERNAL', 'These credentials are read-only.');
    await this.credentials.set(vendor, credentials, { endpoint: this.secretDestination(vendor) });
    this.invalidate(vendor);
  }

  /** Where the vendor's secret goes with the settings in effect (what its keys must be saved for). */
  secretDestination(vendor: VendorId): string {
    return secretDestination(vendor, this.settings()[vendor]);
  }

  async deleteCredentials(vendor: VendorId): Promise<boolean> {
    if (!(this.credentials instanceof CredentialStore)) throw new ScanError('INTERNAL', 'These credentials are read-only.');
    const removed = await this.credentials.delete(vendor);
    this.invalidate(vendor);
    return removed;
  }

  /**
   * What a settings screen shows per vendor: credentials configured (masked id only), the
   * settings in effect, and whether it can run now (`missing` says what is not set up).
   * Never throws for a missing keychain: `keychain.available` is false with the reason.
   */
  async status(): Promise<VendorsStatus> {
    const keychain =
      this.credentials instanceof CredentialStore
        ? await this.credentials.status()
        : { available: true, error: null, vendors: VENDOR_IDS.map((vendor): CredentialStatus => ({ vendor, configured: true, maskedId: null, endpoint: null })) };
    const s = this.settings();
    const vendors = VENDOR_IDS.map((vendor) => {
      const credentials = keychain.vendors.find((v) => v.vendor === vendor)!;
      const missing: string[] = [];
      if (!keychain.available) missing.push('keychain');
      else if (!credentials.configured) missing.push('credentials');
      else if (credentials.endpoint && credentials.endpoint !== secretDestination(vendor, s[vendor])) missing.push('endpoint');
      if (vendor === 'alioss' && !s.alioss.bucket) missing.push('bucket');
      if (vendor === 'alioss' && !s.alioss.region) missing.push('region');
      return { vendor, name: VENDOR_NAMES[vendor], tasks: VENDOR_TASKS[vendor], credentials, settings: s[vendor], ready: missing.length === 0, missing };
    });
    return { keychain: { available: keychain.available, error: keychain.error }, vendors };
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
      const id = creds?.[VENDOR_ID_FIELD[v]];
      return id ? accountOf(v, id).account : null;
    } catch {
      return null;
    }
  }

  /** One cheap real request with the stored credentials and the settings in effect. */
  testConnection(vendor: VendorId, signal?: AbortSignal): Promise<ConnectionTestResult> {
    return testConnection(vendor, this.credentials, connectionSettings(vendor, this.settings()), signal);
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.engines.map((e) => e.close?.()));
    await this.preparePool.close();
  }

  private build(vendor: VendorId, s: VendorSettings): Engine {
    // The engine built from these settings may use the keys only if they were saved for the
    // endpoint these settings send to (rebuilt whenever the settings change).
    const credentials = credentialsFor(this.credentials, vendor, secretDestination(vendor, s[vendor]));
    const onEvent = this.options.onVendorEvent ? (e: VendorEvent) => this.options.onVendorEvent!(vendor, e) : undefined;
    const retry = this.options.retry;
    const prepare = this.preparePool.prepare;
    if (vendor === 'tencent') {
      const t = s.tencent;
      return new TencentEngine({
        credentials,
        endpoint: tencentEndpoint(t.endpoint),
        timeoutMs: t.timeoutMs,
        concurrency: t.concurrency,
        defaults: { region: t.region, rateLimits: t.rateLimits, concurrency: t.concurrency, enrichWithProductData: t.enrichWithProductData },
        ...(retry ? { retry } : {}),
        onEvent,
        prepare,
      });
    }
    if (vendor === 'wechat') {
      const w = s.wechat;
      return new WeChatEngine({
        credentials,
        baseUrl: w.baseUrl,
        timeoutMs: w.timeoutMs,
        concurrency: w.concurrency,
        rateLimits: w.rateLimits,
        ...(retry ? { retry } : {}),
        onEvent,
        prepare,
      });
    }
    const a = s.alioss;
    if (!a.region || !a.bucket) {
      throw new ScanError(
        'INVALID_INPUT',
        `${VENDOR_NAMES.alioss} is not set up: enter the bucket and its region in Settings → Cloud vendors (command line: --bucket and --region).`,
        { errorClass: 'stop-engine' },
      );
    }
    return new AliOssEngine({
      credentials,
      region: a.region,
      bucket: a.bucket,
      endpoint: a.endpoint,
      keepUploads: a.keepUploads,
      prefix: a.prefix,
      timeoutMs: a.timeoutMs,
      concurrency: a.concurrency,
      rateLimits: a.rateLimits as Record<string, number>,
      ...(retry ? { retry } : {}),
      onEvent,
      prepare,
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
  /** What is not set up: 'keychain', 'credentials', 'endpoint' (keys saved for another one), 'bucket', 'region'. */
  missing: string[];
}

export interface VendorsStatus {
  keychain: Pick<KeychainStatus, 'available' | 'error'>;
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
  return { registry: createEngineRegistry({ ...options, settings }), settings };
}

/** What a vendor's connection test needs from the settings. */
export function connectionSettings(vendor: VendorId, s: VendorSettings): ConnectionSettings {
  if (vendor === 'tencent') return { endpoint: s.tencent.endpoint, region: s.tencent.region, timeoutMs: 15_000 };
  if (vendor === 'wechat') return { baseUrl: s.wechat.baseUrl, timeoutMs: 15_000 };
  return { region: s.alioss.region, bucket: s.alioss.bucket, endpoint: s.alioss.endpoint, timeoutMs: 15_000 };
}

/** Plan options each vendor understands (a plan's options serve both engines of a fallback plan). */
const VENDOR_OPTIONS: Record<VendorId, readonly string[]> = {
  tencent: [
    'region',
    'rateLimits',
    'concurrency',
    'cardSide',
    'config',
    'enableRecognitionRectify',
    'enableReflectDetail',
    'cardWarnType',
    'enrichWithProductData',
    'maxBase64Bytes',
  ],
  wechat: [],
  alioss: ['keepUploads'],
};

/** Drops the options meant for another vendor; unknown ones stay, so the engine names them. */
function ownOptions(vendor: VendorId, options: Record<string, unknown>): Record<string, unknown> {
  const others = new Set(
    (Object.keys(VENDOR_OPTIONS) as VendorId[]).filter((v) => v !== vendor).flatMap((v) => VENDOR_OPTIONS[v]),
  );
  const mine = new Set(VENDOR_OPTIONS[vendor]);
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
    this.tasks = VENDOR_TASKS[id];
  }

  get concurrency(): number {
    try {
      return this.settings()[this.id].concurrency;
    } catch {
      return 1;
    }
  }

  invalidate(): void {
    this.stale = true;
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
    const key = JSON.stringify(s[this.id]);
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
