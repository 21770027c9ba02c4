/**
 * Credentials live in the OS keychain (keytar: one service name, one account per vendor
 * field), or, on a headless machine, in the process's environment variables. Vendor clients
 * read them at signing time through CredentialProvider; nothing else does. The renderer only
 * ever sees a CredentialStatus.
 */
import { VENDOR_IDS, type VendorId } from '../../../shared/engines';

export { VENDOR_IDS, type VendorId };

/**
 * Each vendor's credential fields, declared by the vendor's own folder (definition.ts adds its
 * entry to this interface), so clients read typed fields and the list of vendors stays there.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging in each vendor's definition.ts
export interface VendorCredentialsMap {}

export type VendorCredentials<V extends VendorId> = V extends keyof VendorCredentialsMap ? VendorCredentialsMap[V] : Record<string, string>;

/** Where a vendor's credentials come from. */
export type CredentialSource = 'keychain' | 'environment';

/** What the UI may know: configured or not, and a masked identifier (e.g. "AKID…3f9a"). */
export interface CredentialStatus {
  vendor: VendorId;
  configured: boolean;
  maskedId: string | null;
  /** Set when configured. */
  source?: CredentialSource;
  /** Temporary keys (STS: with a session token): when they expire (ISO UTC), null when not given. */
  temporary?: boolean;
  expiresAt?: string | null;
  /**
   * The endpoint keychain keys were saved for (they are sent nowhere else; see ./endpoint.ts);
   * null when not configured or from the environment (the process chose both).
   */
  endpoint?: string | null;
}

export interface CredentialProvider {
  /** The vendor's credentials, or null when not configured. Throws KEYCHAIN_UNAVAILABLE. */
  get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null>;
}

/**
 * The keychain as the settings screen sees it. When there is no keychain (no D-Bus session,
 * no Secret Service), `available` is false, every vendor whose credentials are not in the
 * environment reads as not configured and `error` says what to do (code KEYCHAIN_UNAVAILABLE).
 */
export interface KeychainStatus {
  available: boolean;
  error: { code: 'KEYCHAIN_UNAVAILABLE'; message: string } | null;
  vendors: CredentialStatus[];
  /** The proxy's sign-in (credentials/proxy-auth.ts): saved or not, and for which proxy. */
  proxy?: { configured: boolean; proxy: string | null };
}
