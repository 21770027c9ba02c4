import { ScanError } from '../errors';
import { VENDOR_LIST, vendorDefinition } from '../vendors';
import type { CredentialProvider, VendorCredentials, VendorId } from './types';

/**
 * A stored secret is only ever sent to the endpoint it was saved for. When credentials are
 * stored, the endpoint in effect is stored with them (CredentialStore.set); every vendor client
 * and connection test then reads them through `credentialsFor(provider, vendor, endpoint)`,
 * which refuses when the endpoint it is about to call is another one. So a changed setting
 * (from a compromised renderer, a hand-edited file, an environment variable) can point a vendor
 * elsewhere, but the keys do not follow until someone types them again for that endpoint.
 */

/**
 * Where each vendor's own service is (credentials saved before endpoints were bound count as
 * saved for it): each definition's `endpoint.official`.
 */
export function officialEndpoint(vendor: VendorId): string {
  return vendorDefinition(vendor).endpoint.official;
}

/** Every vendor's own service, by id. */
export const OFFICIAL_ENDPOINTS = Object.fromEntries(VENDOR_LIST.map((d) => [d.id, d.endpoint.official])) as Record<VendorId, string>;

/** The endpoint fields of a vendor's settings (VendorSettings[vendor]): the one its definition names. */
export type EndpointSettings = object;

/** The endpoint a vendor's secret goes to with these settings: the configured URL's origin, or the vendor's own service. */
export function secretDestination(vendor: VendorId, settings: EndpointSettings): string {
  const url = (settings as Record<string, unknown>)[vendorDefinition(vendor).endpoint.key];
  const official = officialEndpoint(vendor);
  if (typeof url !== 'string' || !url) return official;
  const origin = new URL(url).origin;
  // The official host spelled out in the settings is the official endpoint.
  return origin === official ? official : origin;
}

/** A credential source that knows which endpoint each vendor's secret was saved for. */
export interface EndpointBoundCredentials extends CredentialProvider {
  /** The endpoint the vendor's credentials were saved for, or null when none are stored. */
  boundEndpoint(vendor: VendorId): Promise<string | null>;
}

function isEndpointBound(p: CredentialProvider): p is EndpointBoundCredentials {
  return typeof (p as Partial<EndpointBoundCredentials>).boundEndpoint === 'function';
}

/**
 * The credentials a client that sends to `endpoint` may use. A source without bindings (the
 * user's own environment variables, a test's fixed keys) is passed through: whoever set those
 * also chose the endpoint for the same run.
 */
export function credentialsFor(provider: CredentialProvider, vendor: VendorId, endpoint: string): CredentialProvider {
  if (!isEndpointBound(provider)) return provider;
  return {
    async get<V extends VendorId>(asked: V): Promise<VendorCredentials<V> | null> {
      if (asked !== vendor) throw new ScanError('INTERNAL', `A ${vendorDefinition(vendor).name} client asked for ${vendorDefinition(asked).name} credentials.`);
      const bound = await provider.boundEndpoint(vendor);
      if (bound === null) return null;
      if (bound !== endpoint) throw endpointChanged(vendor, bound, endpoint);
      return provider.get(asked);
    },
  };
}

/** Stops the vendor (VENDOR_AUTH): the keys exist, but not for this endpoint. Names endpoints only, never a key. */
export function endpointChanged(vendor: VendorId, bound: string, endpoint: string): ScanError {
  const name = vendorDefinition(vendor).name;
  return new ScanError(
    'VENDOR_AUTH',
    `The ${name} keys in the keychain were saved for ${bound}, and ${name} is now set to ${endpoint}. ` +
      `Enter the keys again in Settings → Cloud vendors (command line: scandesk credentials set ${vendor}) to use them with this endpoint.`,
  );
}
