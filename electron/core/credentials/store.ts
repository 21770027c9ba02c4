import { ScanError } from '../errors';
import { keytarBackend, type KeychainBackend } from './keychain';
import { maskId } from './mask';
import { identifyingField, vendorDefinition } from '../vendors';
import { VENDOR_IDS, type CredentialProvider, type CredentialStatus, type KeychainStatus, type VendorCredentials, type VendorId } from './types';

export const KEYCHAIN_SERVICE = 'ScanDesk';

/** Keychain account of one vendor field. */
export function accountName(vendor: VendorId, field: string): string {
  return `${vendor}.${field}`;
}

const MAX_FIELD_LENGTH = 512;

/**
 * Vendor credentials in the OS keychain: one service, one account per vendor field. This is
 * the only place that writes them; vendor clients read them through CredentialProvider at
 * signing time, and the UI only ever gets a KeychainStatus (configured + masked id).
 */
export class CredentialStore implements CredentialProvider {
  private readonly backend: KeychainBackend;
  private readonly service: string;

  constructor(options: { backend?: KeychainBackend; service?: string } = {}) {
    this.backend = options.backend ?? keytarBackend();
    this.service = options.service ?? KEYCHAIN_SERVICE;
  }

  /**
   * Stores (or replaces) one vendor's credentials: every required field, and the optional ones
   * given (an optional field left out is removed, so switching from temporary to permanent keys
   * leaves no stale token). Input errors name the field and never echo the values.
   */
  async set<V extends VendorId>(vendor: V, credentials: VendorCredentials<V>): Promise<CredentialStatus> {
    const values = checkCredentials(vendor, credentials as Record<string, unknown>);
    for (const field of fieldsOf(vendor)) {
      const value = values[field.key];
      if (value !== undefined) await this.backend.setPassword(this.service, accountName(vendor, field.key), value);
      else await this.backend.deletePassword(this.service, accountName(vendor, field.key));
    }
    return this.vendorStatus(vendor, values);
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
    return removed;
  }

  /** Configured + masked id per vendor; never throws for a missing keychain (reports it). */
  async status(): Promise<KeychainStatus> {
    try {
      const entries = await this.backend.findCredentials(this.service);
      const byAccount = new Map(entries.map((e) => [e.account, e.password]));
      const vendors = VENDOR_IDS.map((vendor) => {
        const values: Record<string, string | undefined> = {};
        for (const { key } of fieldsOf(vendor)) values[key] = byAccount.get(accountName(vendor, key));
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
    return credentialStatus(vendor, values, 'keychain');
  }
}

/** Configured (every required field present) and the masked id, from field values. */
export function credentialStatus(vendor: VendorId, values: Record<string, string | undefined>, source: CredentialStatus['source']): CredentialStatus {
  const configured = fieldsOf(vendor).every((f) => f.optional || (typeof values[f.key] === 'string' && values[f.key] !== ''));
  const id = values[identifyingField(vendorDefinition(vendor)).key];
  return { vendor, configured, maskedId: configured && id ? maskId(id) : null, ...(configured ? { source } : {}) };
}

function fieldsOf(vendor: VendorId) {
  if (!(VENDOR_IDS as readonly string[]).includes(vendor)) throw new ScanError('INVALID_INPUT', `Unknown vendor: ${String(vendor)}.`);
  return vendorDefinition(vendor).credentials;
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
    out[field.key] = trimmed;
  }
  return out;
}
