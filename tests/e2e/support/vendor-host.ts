/**
 * The cloud-vendor parts of an e2e start-up, for openWorkstation's `prepare`: a private keychain
 * daemon this process uses, and a service whose vendors already have their endpoints and keys.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostOptions } from '../../../electron/host';
import { createEngineRegistry, type EngineRegistry } from '../../../electron/core/engines/registry';
import { CredentialStore } from '../../../electron/core/credentials/store';
import { openScanService } from '../../../electron/core/service';
import type { ScanService } from '../../../electron/core/service-types';
import { VendorSettingsStore, vendorSettingsPath } from '../../../electron/core/settings';
import { startPrivateKeychain, type PrivateKeychain } from '../../setup/keychain';
import type { Defer } from './workstation';

/** Starts a private keychain and points this process at it (no display: no prompt). */
export async function useKeychain(defer: Defer): Promise<PrivateKeychain> {
  const keychain = await startPrivateKeychain();
  defer(() => keychain.stop());
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  return keychain;
}

/**
 * A service over `dbPath` whose vendors have these settings (endpoints) and the keys `setKeys`
 * saves in the keychain, as startHost options (the host then uses this service and its vendors).
 */
export async function vendorService(
  dbPath: string,
  defer: Defer,
  patch: Parameters<VendorSettingsStore['update']>[0],
  setKeys: (registry: EngineRegistry) => Promise<void>,
): Promise<Partial<HostOptions> & { service: ScanService }> {
  mkdirSync(dirname(dbPath), { recursive: true });
  const settings = new VendorSettingsStore(vendorSettingsPath(dbPath), {});
  settings.update(patch);
  const registry = createEngineRegistry({ settings, credentials: new CredentialStore() });
  defer(() => registry.close());
  await setKeys(registry);
  const service = await openScanService({ dbPath, engines: registry.engines });
  defer(() => service.close());
  return { service, vendors: { registry, settings } };
}
