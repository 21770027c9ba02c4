import { ScanError } from '../errors';
import { vendorDefinition } from '../vendors';
import { credentialsFor } from './endpoint';
import type { ProxyAuth } from './proxy-auth';
import { credentialStatus, CredentialStore, parseExpiry } from './store';
import { VENDOR_IDS, type CredentialProvider, type CredentialSource, type KeychainStatus, type VendorCredentials, type VendorId } from './types';

/**
 * Credentials from environment variables, for headless machines without a keychain (a
 * `scandesk worker` on a server, CI). Each vendor's definition names its variables, using the
 * SDKs' own names where they exist (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY,
 * OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET; SCANDESK_WECHAT_APPID / SCANDESK_WECHAT_SECRET).
 * They are read when a client signs a request, like keychain entries, and are never written
 * anywhere: not to the database, not to settings, never taken from command-line flags.
 */

/** The vendor's credentials from `env`: null when none of its variables is set. */
export function environmentCredentials<V extends VendorId>(vendor: V, env: NodeJS.ProcessEnv): VendorCredentials<V> | null {
  const fields = vendorDefinition(vendor).credentials;
  const values: Record<string, string> = {};
  for (const f of fields) {
    const v = env[f.env]?.trim();
    if (!v) continue;
    if (f.expiry) {
      const ms = parseExpiry(v);
      if (ms === null) throw new ScanError('VENDOR_AUTH', `${f.env} is not a date and time with its time zone (e.g. 2026-12-06T18:00:00Z) or unix seconds.`);
      values[f.key] = new Date(ms).toISOString();
    } else values[f.key] = v;
  }
  if (Object.keys(values).length === 0) return null;
  const missing = fields.filter((f) => !f.optional && !values[f.key]);
  if (missing.length > 0) {
    const set = fields.filter((f) => values[f.key]).map((f) => f.env);
    throw new ScanError(
      'VENDOR_AUTH',
      `${vendorDefinition(vendor).name}: ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.map((f) => f.env).join(' and ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not: set every variable of the credentials, or none to use the keychain.`,
    );
  }
  return values as VendorCredentials<V>;
}

/**
 * A profile's credentials: a vendor whose variables are set in the environment uses those
 * (the keychain is not even opened for it, so a headless worker needs none); the others come
 * from the keychain. `status()` says which source each vendor uses.
 */
export class ProfileCredentials implements CredentialProvider {
  constructor(
    readonly store: CredentialStore = new CredentialStore(),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null> {
    return environmentCredentials(vendor, this.env) ?? this.store.get(vendor);
  }

  /**
   * What a client sending to `endpoint` may use: the environment's credentials as they are
   * (whoever set them also chose the endpoint for this process), keychain keys only if they
   * were saved for that endpoint (credentials/endpoint.ts).
   */
  forEndpoint(vendor: VendorId, endpoint: string): CredentialProvider {
    if (this.source(vendor) === 'environment') return { get: (v) => this.get(v) };
    return credentialsFor(this.store, vendor, endpoint);
  }

  /**
   * The keychain's sign-in for the proxy at `proxyOrigin`, if one was saved for it. A keychain
   * that cannot be read counts as none: the proxy then refuses with 407, which says what to do.
   */
  async proxyAuth(proxyOrigin: string): Promise<ProxyAuth | null> {
    try {
      return await this.store.proxy.get(proxyOrigin);
    } catch (err) {
      if (err instanceof ScanError && err.code === 'KEYCHAIN_UNAVAILABLE') return null;
      throw err;
    }
  }

  /** Where the vendor's credentials come from now (environment when any of its variables is set). */
  source(vendor: VendorId): CredentialSource {
    return vendorDefinition(vendor).credentials.some((f) => !!this.env[f.env]?.trim()) ? 'environment' : 'keychain';
  }

  /** The keychain's status, with the vendors configured by the environment shown as such. */
  async status(): Promise<KeychainStatus> {
    const fromEnv = VENDOR_IDS.filter((v) => this.source(v) === 'environment');
    const keychain: KeychainStatus = fromEnv.length === VENDOR_IDS.length ? { available: true, error: null, vendors: [] } : await this.store.status();
    return {
      ...keychain,
      vendors: VENDOR_IDS.map((vendor) => {
        if (!fromEnv.includes(vendor)) return keychain.vendors.find((s) => s.vendor === vendor) ?? { vendor, configured: false, maskedId: null };
        let values: Record<string, string | undefined> = {};
        try {
          values = environmentCredentials(vendor, this.env) ?? {};
        } catch {
          // An incomplete set reads as not configured; using it says which variable is missing.
        }
        return credentialStatus(vendor, values, 'environment');
      }),
    };
  }
}

/** `provider` narrowed to what a client sending to `endpoint` may use (see ProfileCredentials.forEndpoint). */
export function credentialsForEndpoint(provider: CredentialProvider, vendor: VendorId, endpoint: string): CredentialProvider {
  if (provider instanceof ProfileCredentials) return provider.forEndpoint(vendor, endpoint);
  return credentialsFor(provider, vendor, endpoint);
}
