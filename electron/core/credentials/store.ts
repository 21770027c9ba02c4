import { ScanError } from '../errors';
import { OFFICIAL_ENDPOINTS, type EndpointBoundCredentials } from './endpoint';
import { keytarBackend, type KeychainBackend } from './keychain';
import { maskId } from './mask';
import {
  VENDOR_FIELDS,
  VENDOR_ID_FIELD,
  VENDOR_IDS,
  type CredentialProvider,
  type CredentialStatus,
  type KeychainStatus,
  type VendorCredentials,
  type VendorId,
} from './types';

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

  constructor(options: { backend?: KeychainBackend; service?: string } = {}) {
    this.backend = options.backend ?? keytarBackend();
    this.service = options.service ?? KEYCHAIN_SERVICE;
  }

  /**
   * Stores (or replaces) every field of one vendor, for use with `binding.endpoint` only (the
   * origin from `secretDestination` for the settings in effect). Input errors never echo the values.
   */
  async set<V extends VendorId>(vendor: V, credentials: VendorCredentials<V>, binding: { endpoint: string }): Promise<CredentialStatus> {
    const fields = fieldsOf(vendor);
    const input = credentials as Record<string, unknown>;
    const unknown = Object.keys(input).filter((k) => !fields.includes(k));
    if (unknown.length > 0) {
      throw new ScanError('INVALID_INPUT', `Unknown ${vendor} credential field(s): ${unknown.join(', ')} (expected ${fields.join(', ')}).`);
    }
    const values: string[] = [];
    for (const field of fields) {
      const value = input[field];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new ScanError('INVALID_INPUT', `The ${vendor} ${field} is missing.`);
      }
      const trimmed = value.trim();
      if (trimmed.length > MAX_FIELD_LENGTH || /[\r\n\t\0]/.test(trimmed)) {
        throw new ScanError('INVALID_INPUT', `The ${vendor} ${field} does not look like a credential (too long or contains control characters).`);
      }
      values.push(trimmed);
    }
    if (!binding || typeof binding.endpoint !== 'string' || binding.endpoint === '') {
      throw new ScanError('INTERNAL', `The ${vendor} credentials need the endpoint they are saved for.`);
    }
    // The old binding goes first: if this stops half-way, the keys left behind count as saved
    // for the vendor's own service (never for the endpoint of other keys).
    await this.backend.deletePassword(this.service, accountName(vendor, ENDPOINT_FIELD));
    for (const [i, field] of fields.entries()) {
      await this.backend.setPassword(this.service, accountName(vendor, field), values[i]!);
    }
    await this.backend.setPassword(this.service, accountName(vendor, ENDPOINT_FIELD), binding.endpoint);
    return this.vendorStatus(vendor, { ...Object.fromEntries(fields.map((f, i) => [f, values[i]!])), [ENDPOINT_FIELD]: binding.endpoint });
  }

  /**
   * The endpoint the vendor's keys were saved for; null when no keys are stored. Keys stored
   * before endpoints were bound count as saved for the vendor's own service.
   */
  async boundEndpoint(vendor: VendorId): Promise<string | null> {
    const bound = await this.backend.getPassword(this.service, accountName(vendor, ENDPOINT_FIELD));
    if ((await this.get(vendor)) === null) return null;
    return bound || OFFICIAL_ENDPOINTS[vendor];
  }

  /** Every field, or null when any is missing (a half-written entry is not usable). */
  async get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null> {
    const out: Record<string, string> = {};
    for (const field of fieldsOf(vendor)) {
      const value = await this.backend.getPassword(this.service, accountName(vendor, field));
      if (value === null || value === '') return null;
      out[field] = value;
    }
    return out as VendorCredentials<V>;
  }

  /** Removes every field of one vendor; true when something was there. */
  async delete(vendor: VendorId): Promise<boolean> {
    let removed = false;
    for (const field of fieldsOf(vendor)) {
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
        for (const field of [...fieldsOf(vendor), ENDPOINT_FIELD]) values[field] = byAccount.get(accountName(vendor, field));
        return this.vendorStatus(vendor, values);
      });
      return { available: true, error: null, vendors };
    } catch (err) {
      if (err instanceof ScanError && err.code === 'KEYCHAIN_UNAVAILABLE') {
        return {
          available: false,
          error: { code: 'KEYCHAIN_UNAVAILABLE', message: err.message },
          vendors: VENDOR_IDS.map((vendor) => ({ vendor, configured: false, maskedId: null })),
        };
      }
      throw err;
    }
  }

  private vendorStatus(vendor: VendorId, values: Record<string, string | undefined>): CredentialStatus {
    const configured = fieldsOf(vendor).every((f) => typeof values[f] === 'string' && values[f] !== '');
    const id = values[VENDOR_ID_FIELD[vendor]];
    const endpoint = configured ? values[ENDPOINT_FIELD] || OFFICIAL_ENDPOINTS[vendor] : null;
    return { vendor, configured, maskedId: configured && id ? maskId(id) : null, endpoint };
  }
}

function fieldsOf(vendor: VendorId): readonly string[] {
  const fields = (VENDOR_FIELDS as Record<string, readonly string[]>)[vendor];
  if (!fields) throw new ScanError('INVALID_INPUT', `Unknown vendor: ${String(vendor)}.`);
  return fields;
}
