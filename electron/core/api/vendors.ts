import type { EngineInfo, KeychainStatusView, VendorDescription, VendorSettingsPatchInput, VendorSettingsResult } from '../../../shared/contract';
import { ENGINE_IDS } from '../../../shared/engines';
import { checkCredentials } from '../credentials/store';
import { VENDOR_IDS, type KeychainStatus, type VendorId } from '../credentials/types';
import type { EngineRegistry } from '../engines/registry';
import { ScanError } from '../errors';
import { describeIssues, NetworkSettingsSchema, parseVendorSettings, type VendorSettingsPatch } from '../settings/schema';
import { ENDPOINT_ENV, mergePatch, type VendorSettingsStore } from '../settings/store';
import { describeVendor, VENDOR_LIST, vendorDefinition } from '../vendors';

/**
 * What the vendor requests need from the host: the engine registry the service runs (its
 * credentials are the environment's or the OS keychain's) and the profile's vendor settings
 * file. Credentials go in through `setCredentials` and only a KeychainStatus (configured +
 * masked id) comes out.
 */
export interface VendorDeps {
  registry: EngineRegistry;
  settings: VendorSettingsStore;
  /** Environment consulted for endpoint overrides (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export const VENDORS_NOT_SET_UP = 'Cloud vendors are not set up in this ScanDesk (only the local engine runs).';

/**
 * The request implementations; every answer is checked against its contract output schema by
 * the callers' tests. Inputs have passed the contract's bounds already; here each vendor's own
 * definition checks the fields (before anything else, so a bad field is named even when
 * vendors are not set up).
 */
export function vendorHandlers(deps: VendorDeps | undefined) {
  const need = (): VendorDeps => {
    if (!deps) throw new ScanError('VENDOR_UNAVAILABLE', VENDORS_NOT_SET_UP);
    return deps;
  };
  const status = async (): Promise<KeychainStatusView> => {
    if (!deps) {
      return {
        available: false,
        error: { code: 'VENDOR_UNAVAILABLE', message: VENDORS_NOT_SET_UP },
        vendors: VENDOR_IDS.map((vendor) => ({ vendor, configured: false, maskedId: null })),
      };
    }
    const st = await need().registry.status();
    const view = toView({ available: st.keychain.available, error: st.keychain.error, vendors: st.vendors.map((v) => v.credentials), proxy: st.keychain.proxy });
    // Keys saved for another endpoint than the one in effect are not used (credentialsFor):
    // say so, so the settings screen asks for them again.
    for (const v of view.vendors) {
      v.endpointChanged = st.vendors.find((x) => x.vendor === v.vendor)!.missing.some((m) => m.code === 'endpoint');
    }
    return view;
  };
  const settingsResult = (): VendorSettingsResult => {
    const { settings } = need();
    const env = deps?.env ?? process.env;
    return {
      settings: settings.stored() as unknown as VendorSettingsResult['settings'],
      problem: settings.problem,
      overridden: VENDOR_IDS.filter((v) => !!env[ENDPOINT_ENV[v]]),
    };
  };

  return {
    status,
    describe(): VendorDescription[] {
      return VENDOR_LIST.map(describeVendor);
    },
    async set(vendor: VendorId, fields: Record<string, string | undefined>): Promise<KeychainStatusView> {
      const clean = checkCredentials(vendor, fields);
      await need().registry.setCredentials(vendor, clean as never);
      return status();
    },
    async setProxy(auth: { username: string; password: string }): Promise<KeychainStatusView> {
      await need().registry.setProxyAuth(auth);
      return status();
    },
    async removeProxy(): Promise<KeychainStatusView> {
      await need().registry.deleteProxyAuth();
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
      checkPatch(patch);
      need().settings.update(patch as VendorSettingsPatch);
      return settingsResult();
    },
    async engines(offered: ReadonlySet<string>): Promise<EngineInfo[]> {
      const out: EngineInfo[] = [];
      const st = deps ? await deps.registry.status().catch(() => null) : null;
      for (const id of ENGINE_IDS) {
        if (id === 'local') {
          if (offered.has('local')) out.push({ id, tasks: ['codes'], configured: true, available: true, reason: null });
          continue;
        }
        const tasks = [...vendorDefinition(id).tasks];
        const vendor = st?.vendors.find((v) => v.vendor === id);
        if (!deps || !offered.has(id) || !vendor) {
          out.push({ id, tasks, configured: false, available: false, reason: VENDORS_NOT_SET_UP });
          continue;
        }
        // The registry's status applies the vendor's own readiness rule (its definition).
        out.push({ id, tasks, configured: vendor.ready, available: vendor.ready, reason: vendor.missing[0]?.message ?? null });
      }
      return out;
    },
  };
}

/**
 * Each vendor's part of a settings change, checked with that vendor's schema (merged over its
 * defaults, as it would be saved): an unknown or out-of-range field is named ("tencent.colour").
 */
function checkPatch(patch: VendorSettingsPatchInput): void {
  if (patch.network) {
    const r = NetworkSettingsSchema.safeParse(mergePatch(NetworkSettingsSchema.parse({}), patch.network));
    if (!r.success) throw new ScanError('INVALID_INPUT', `Invalid vendor settings: ${describeIssues(r.error, ['network'])}.`);
  }
  for (const [vendor, part] of Object.entries(patch) as Array<[VendorId | 'network', Record<string, unknown> | undefined]>) {
    if (part === undefined || vendor === 'network') continue;
    const defaults = vendorDefinition(vendor).settings.schema.parse({});
    const r = parseVendorSettings(vendor, mergePatch(defaults, part));
    if (!r.ok) throw new ScanError('INVALID_INPUT', `Invalid vendor settings: ${r.message}.`);
  }
}

function toView(s: KeychainStatus): KeychainStatusView {
  return {
    available: s.available,
    error: s.error ? { code: s.error.code, message: s.error.message } : null,
    vendors: s.vendors.map((v) => ({
      vendor: v.vendor,
      configured: v.configured,
      maskedId: v.maskedId,
      ...(v.source ? { source: v.source } : {}),
      ...(v.temporary ? { temporary: true, expiresAt: v.expiresAt ?? null } : {}),
      savedFor: v.endpoint ?? null,
      endpointChanged: false,
    })),
    ...(s.proxy ? { proxy: { configured: s.proxy.configured, proxy: s.proxy.proxy } } : {}),
  };
}
