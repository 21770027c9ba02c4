import type { EngineInfo, KeychainStatusView, VendorSettingsPatchInput, VendorSettingsResult } from '../../../shared/contract';
import { ENGINE_IDS } from '../../../shared/engines';
import { CredentialStore } from '../credentials/store';
import { VENDOR_IDS, type KeychainStatus, type VendorId } from '../credentials/types';
import { VENDOR_NAMES, VENDOR_TASKS, type EngineRegistry } from '../engines/registry';
import { ScanError } from '../errors';
import { ENDPOINT_ENV, type VendorSettingsStore } from '../settings/store';
import type { VendorSettings, VendorSettingsPatch } from '../settings/schema';

/**
 * What the vendor requests need from the host: the engine registry the service runs (its
 * credential store is the OS keychain) and the profile's vendor settings file. Credentials go
 * in through `setCredentials` and only a KeychainStatus (configured + masked id) comes out.
 */
export interface VendorDeps {
  registry: EngineRegistry;
  settings: VendorSettingsStore;
  /** Environment consulted for endpoint overrides (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export const VENDORS_NOT_SET_UP = 'Cloud vendors are not set up in this ScanDesk (only the local engine runs).';

/** The request implementations; every answer is checked against its contract output schema by the callers' tests. */
export function vendorHandlers(deps: VendorDeps | undefined) {
  const need = (): VendorDeps => {
    if (!deps) throw new ScanError('VENDOR_UNAVAILABLE', VENDORS_NOT_SET_UP);
    return deps;
  };
  const store = (): CredentialStore => {
    const c = need().registry.credentials;
    if (!(c instanceof CredentialStore)) throw new ScanError('VENDOR_UNAVAILABLE', 'These credentials are read-only here.');
    return c;
  };
  const status = async (): Promise<KeychainStatusView> => {
    if (!deps) {
      return {
        available: false,
        error: { code: 'VENDOR_UNAVAILABLE', message: VENDORS_NOT_SET_UP },
        vendors: VENDOR_IDS.map((vendor) => ({ vendor, configured: false, maskedId: null })),
      };
    }
    const view = toView(await store().status());
    // Keys saved for another endpoint than the one in effect are not used (credentialsFor):
    // say so, so the settings screen asks for them again.
    for (const v of view.vendors) {
      if (!v.configured || !v.savedFor) continue;
      let now: string | null;
      try {
        now = need().registry.secretDestination(v.vendor);
      } catch {
        now = null; // settings unusable (a bad endpoint variable): the engine reports it
      }
      v.endpointChanged = now !== null && now !== v.savedFor;
    }
    return view;
  };
  const settingsResult = (): VendorSettingsResult => {
    const { settings } = need();
    const env = deps?.env ?? process.env;
    return {
      settings: settings.stored(),
      problem: settings.problem,
      overridden: VENDOR_IDS.filter((v) => !!env[ENDPOINT_ENV[v]]),
    };
  };

  return {
    status,
    async set(vendor: VendorId, fields: Record<string, string | undefined>): Promise<KeychainStatusView> {
      const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
      await need().registry.setCredentials(vendor, clean as never);
      return status();
    },
    async remove(vendor: VendorId): Promise<KeychainStatusView> {
      await need().registry.deleteCredentials(vendor);
      return status();
    },
    async test(vendor: VendorId) {
      const r = await need().registry.testConnection(vendor, AbortSignal.timeout(30_000));
      return { vendor: r.vendor, ok: r.ok, error: r.error ? { code: r.error.code, message: r.error.message } : null, elapsedMs: r.elapsedMs };
    },
    /** The usage fingerprint of the account a vendor would use now; null without vendors or credentials. */
    async usageAccount(vendor: string): Promise<string | null> {
      return deps ? deps.registry.usageAccount(vendor) : null;
    },
    getSettings: settingsResult,
    setSettings(patch: VendorSettingsPatchInput): VendorSettingsResult {
      need().settings.update(patch as VendorSettingsPatch);
      return settingsResult();
    },
    async engines(offered: ReadonlySet<string>): Promise<EngineInfo[]> {
      const out: EngineInfo[] = [];
      const st = await status();
      let effective: VendorSettings | null;
      try {
        effective = deps ? deps.registry.settings() : null;
      } catch {
        effective = null;
      }
      for (const id of ENGINE_IDS) {
        if (id === 'local') {
          if (offered.has('local')) out.push({ id, tasks: ['codes'], configured: true, available: true, reason: null });
          continue;
        }
        const tasks = [...VENDOR_TASKS[id]];
        if (!deps || !offered.has(id)) {
          out.push({ id, tasks, configured: false, available: false, reason: VENDORS_NOT_SET_UP });
          continue;
        }
        const cred = st.vendors.find((v) => v.vendor === id);
        const hasKeys = !!cred?.configured;
        const moved = hasKeys && cred?.endpointChanged === true;
        const needsBucket = id === 'alioss' && !(effective?.alioss.region && effective.alioss.bucket);
        const configured = hasKeys && !moved && !needsBucket;
        const reason = !st.available
          ? (st.error?.message ?? 'The keychain is not available.')
          : !hasKeys
            ? `${VENDOR_NAMES[id]} has no credentials yet: add them in Settings.`
            : moved
              ? `${VENDOR_NAMES[id]} now points at another endpoint than its keys were saved for: enter them again in Settings.`
              : needsBucket
              ? `${VENDOR_NAMES[id]} needs a bucket and its region: enter them in Settings.`
              : null;
        out.push({ id, tasks, configured, available: st.available && configured, reason });
      }
      return out;
    },
  };
}

function toView(s: KeychainStatus): KeychainStatusView {
  return {
    available: s.available,
    error: s.error ? { code: s.error.code, message: s.error.message } : null,
    vendors: s.vendors.map((v) => ({ vendor: v.vendor, configured: v.configured, maskedId: v.maskedId, savedFor: v.endpoint ?? null, endpointChanged: false })),
  };
}
