import { ScanError } from '../errors';
import type { VendorSettings } from '../settings/schema';
import { vendorDefinition } from '../vendors';
import { createNetwork } from '../vendors/common';
import { secretDestination } from './endpoint';
import { credentialsForEndpoint } from './environment';
import type { ProxyAuthLookup } from './proxy-auth';
import type { CredentialProvider, VendorId } from './types';

/**
 * "Test the connection" for the settings screen and `scandesk credentials test`: the vendor's
 * own test (its definition's testConnection: cheap, real, signed requests with the credentials
 * as stored), answering ok or the same clear ScanError a batch would get (never a secret).
 */
export interface ConnectionTestResult {
  vendor: VendorId;
  ok: boolean;
  /** What went wrong, for the user (code + secret-free message). */
  error: { code: string; message: string } | null;
  elapsedMs: number;
}

export async function testConnection(
  vendor: VendorId,
  credentials: CredentialProvider,
  settings: VendorSettings,
  signal?: AbortSignal,
  timeoutMs = 15_000,
  /** For the 'system' proxy. */
  env: NodeJS.ProcessEnv = process.env,
  /** The proxy's sign-in, when the proxy asks for one. */
  proxyAuth?: ProxyAuthLookup,
): Promise<ConnectionTestResult> {
  const started = performance.now();
  const done = (error: ConnectionTestResult['error']): ConnectionTestResult => ({
    vendor,
    ok: error === null,
    error,
    elapsedMs: Math.round(performance.now() - started),
  });
  const network = createNetwork(settings.network.proxy, env, proxyAuth);
  try {
    // The test sends the keys where the settings point: only if they were saved for that endpoint.
    const own = credentialsForEndpoint(credentials, vendor, secretDestination(vendor, settings[vendor]));
    await vendorDefinition(vendor).testConnection({ settings: settings[vendor] as never, credentials: own, timeoutMs, signal, network });
    return done(null);
  } catch (err) {
    if (err instanceof ScanError) return done(err.toJSON());
    // Anything else is a bug; its text could hold anything, so it is not shown.
    return done({ code: 'INTERNAL', message: `The ${vendor} connection test failed unexpectedly.` });
  } finally {
    network.close();
  }
}
