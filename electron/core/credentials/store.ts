import { ScanError } from '../errors';
import { officialEndpoint, type EndpointBoundCredentials } from './endpoint';
import { keytarBackend, type KeychainBackend } from './keychain';
import { maskId } from './mask';
import { ProxyAuthStore } from './proxy-auth';
import { identifyingField, vendorDefinition } from '../vendors';
import { VENDOR_IDS, type CredentialProvider, type CredentialStatus, type KeychainStatus, type VendorCredentials, type VendorId } from './types';

export const KEYCHAIN_SERVICE = 'ScanDesk';

/** Keychain account of one vendor field. */
export function accountName(vendor: VendorId, field: string): string {
  return `${vendor}.${field}`;
}

const MAX_FIELD_LENGTH = 512;

/** The keychain account, beside the fields, naming the endpoint the vendor's keys were saved for. */
const ENDPOINT_FIELD = 'endpoint';

/**
 * Vendor credentials in the OS keychain: one service, one account per vendor field. This is
 * the only place that writes them; vendor clients read them through CredentialProvider at
 * signing time, and the UI only ever gets a KeychainStatus (configured + masked id).
 *
 * Each vendor's keys are bound to the endpoint they were saved for (see ./endpoint.ts): `set`
 * records it, `boundEndpoint` reads it, and clients get the keys through `credentialsFor`, which
 * refuses another endpoint.
 */
export class CredentialStore implements CredentialProvider, EndpointBoundCredentials {
  private readonly backend: KeychainBackend;
  private readonly service: string;
  /** The proxy's sign-in, in the same keychain service (./proxy-auth.ts). */
  readonly proxy: ProxyAuthStore;

  constructor(options: { backend?: KeychainBackend; service?: string } = {}) {
    this.backend = options.backend ?? keytarBackend();
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.proxy = new ProxyAuthStore(this.backend, this.service);
  }

  /**
   * Stores (or replaces) one vendor's credentials: every required field, and the optional ones
   * given (an optional field left out is removed, so switching from temporary to permanent keys
   * leaves no stale token), for use with `binding.endpoint` only (the origin from
   * `secretDestination` for the settings in effect). Input errors name the field and never
   * echo the values.
   */
  async set<V extends VendorId>(vendor: V, credentials: VendorCredentials<V>, binding: { endpoint: string }): Promise<CredentialStatus> {
    const values = checkCredentials(vendor, credentials as Record<string, unknown>);
    if (!binding || typeof binding.endpoint !== 'string' || binding.endpoint === '') {
      throw new ScanError('INTERNAL', `The ${vendor} credentials need the endpoint they are saved for.`);
    }
    // The old binding goes first: if this stops half-way, the keys left behind count as saved
    // for the vendor's own service (never for the endpoint of other keys).
    await this.backend.deletePassword(this.service, accountName(vendor, ENDPOINT_FIELD));
    for (const field of fieldsOf(vendor)) {
      const value = values[field.key];
      if (value !== undefined) await this.backend.setPassword(this.service, accountName(vendor, field.key), value);
      else await this.backend.deletePassword(this.service, accountName(vendor, field.key));
    }
    await this.backend.setPassword(this.service, accountName(vendor, ENDPOINT_FIELD), binding.endpoint);
    return this.vendorStatus(vendor, { ...values, [ENDPOINT_FIELD]: binding.endpoint });
  }

  /**
   * The endpoint the vendor's keys were saved for; null when no keys are stored. Keys stored
   * before endpoints were bound count as saved for the vendor's own service.
   */
  async boundEndpoint(vendor: VendorId): Promise<string | null> {
    const bound = await this.backend.getPassword(this.service, accountName(vendor, ENDPOINT_FIELD));
    if ((await this.get(vendor)) === null) return null;
    return bound || officialEndpoint(vendor);
  }

  /** Every required field (and the optional ones stored), or null when a required one is missing (a half-written entry is not usable). */
  async get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null> {
    const out: Record<string, string> = {};
    for (const field of fieldsOf(vendor)) {
      const value = await this.backend.getPassword(this.service, accountName(vendor, field.key));
      if (value === null || value === '') {
        if (field.optional) continue;
        return null;
      }
      out[field.key] = value;
    }
    return out as VendorCredentials<V>;
  }

  /** Removes every field of one vendor; true when something was there. */
  async delete(vendor: VendorId): Promise<boolean> {
    let removed = false;
    for (const { key: field } of fieldsOf(vendor)) {
      if (await this.backend.deletePassword(this.service, accountName(vendor, field))) removed = true;
    }
    await this.backend.deletePassword(this.service, accountName(vendor, ENDPOINT_FIELD));
    return removed;
  }

  /** Configured + masked id per vendor; never throws for a missing keychain (reports it). */
  async status(): Promise<KeychainStatus> {
    try {
      const entries = await this.backend.findCredentials(this.service);
      const byAccount = new Map(entries.map((e) => [e.account, e.password]));
      const vendors = VENDOR_IDS.map((vendor) => {
        const values: Record<string, string | undefined> = {};
        for (const key of [...fieldsOf(vendor).map((f) => f.key), ENDPOINT_FIELD]) values[key] = byAccount.get(accountName(vendor, key));
        return this.vendorStatus(vendor, values);
      });
      return { available: true, error: null, vendors, proxy: ProxyAuthStore.statusOf(byAccount) };
    } catch (err) {
      if (err instanceof ScanError && err.code === 'KEYCHAIN_UNAVAILABLE') {
        return {
          available: false,
          error: { code: 'KEYCHAIN_UNAVAILABLE', message: err.message },
          vendors: VENDOR_IDS.map((vendor) => ({ vendor, configured: false, maskedId: null })),
          proxy: { configured: false, proxy: null },
        };
      }
      throw err;
    }
  }

  private vendorStatus(vendor: VendorId, values: Record<string, string | undefined>): CredentialStatus {
    const status = credentialStatus(vendor, values, 'keychain');
    return { ...status, endpoint: status.configured ? values[ENDPOINT_FIELD] || officialEndpoint(vendor) : null };
  }
}

/** Configured (every required field present) and the masked id, from field values. */
export function credentialStatus(vendor: VendorId, values: Record<string, string | undefined>, source: CredentialStatus['source']): CredentialStatus {
  const fields = fieldsOf(vendor);
  const configured = fields.every((f) => f.optional || (typeof values[f.key] === 'string' && values[f.key] !== ''));
  const id = values[identifyingField(vendorDefinition(vendor)).key];
  const status: CredentialStatus = { vendor, configured, maskedId: configured && id ? maskId(id) : null };
  if (!configured) return status;
  // Temporary keys (STS) carry a token (an optional secret field) and, when known, their expiry.
  const temporary = fields.some((f) => f.optional && f.secret && !!values[f.key]);
  const expiry = fields.find((f) => f.expiry);
  const expiresAt = expiry ? values[expiry.key] : undefined;
  return { ...status, source, ...(temporary || expiresAt ? { temporary: true, expiresAt: expiresAt ?? null } : {}) };
}

function fieldsOf(vendor: VendorId) {
  if (!(VENDOR_IDS as readonly string[]).includes(vendor)) throw new ScanError('INVALID_INPUT', `Unknown vendor: ${String(vendor)}.`);
  return vendorDefinition(vendor).credentials;
}

/** An expiry as ms since the epoch: ISO 8601 with a time zone, or unix seconds (STS ExpiredTime); null if neither. */
export function parseExpiry(value: string): number | null {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * When temporary keys expire, as given (ISO 8601 with a time zone, or unix seconds as STS
 * answers ExpiredTime), normalised to ISO UTC. A time already past is refused: such keys could
 * not make a single request.
 */
function expiryOf(vendor: VendorId, key: string, value: string, now = Date.now()): string {
  const ms = parseExpiry(value);
  if (ms === null) {
    throw new ScanError('INVALID_INPUT', `fields.${key}: the ${vendor} ${key} must be a date and time with its time zone (e.g. 2026-12-06T18:00:00Z) or unix seconds.`);
  }
  if (ms <= now) throw new ScanError('INVALID_INPUT', `fields.${key}: these temporary ${vendor} keys have already expired (${new Date(ms).toISOString()}).`);
  return new Date(ms).toISOString();
}

/**
 * One vendor's credential input checked against its definition: no unknown field, every
 * required one present, no value too long or with control characters. Answers the trimmed
 * values (optional fields left empty are left out). Messages name fields, never values.
 */
export function checkCredentials(vendor: VendorId, input: Record<string, unknown>): Record<string, string> {
  const fields = fieldsOf(vendor);
  const keys = fields.map((f) => f.key);
  const unknown = Object.keys(input).filter((k) => !keys.includes(k));
  if (unknown.length > 0) {
    throw new ScanError('INVALID_INPUT', `fields.${unknown[0]}: is not a ${vendor} credential field (expected ${keys.join(', ')}).`);
  }
  const out: Record<string, string> = {};
  for (const field of fields) {
    const value = input[field.key];
    const trimmed = typeof value === 'string' ? value.trim() : '';
    if (trimmed === '') {
      if (field.optional && (value === undefined || typeof value === 'string')) continue;
      throw new ScanError('INVALID_INPUT', `fields.${field.key}: the ${vendor} ${field.key} is missing.`);
    }
    if (trimmed.length > MAX_FIELD_LENGTH || /[\r\n\t\0]/.test(trimmed)) {
      throw new ScanError('INVALID_INPUT', `fields.${field.key}: the ${vendor} ${field.key} does not look like a credential (too long or contains control characters).`);
    }
    out[field.key] = field.expiry ? expiryOf(vendor, field.key, trimmed) : trimmed;
  }
  return out;
}
