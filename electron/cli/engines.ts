import type { EngineId, EnginePlan } from '../../shared/engines';
import type { Engine } from '../core/engines/engine';
import { createEngineRegistry, type EngineRegistry } from '../core/engines/registry';
import { VendorSettingsStore, vendorSettingsPath, type VendorSettingsPatch } from '../core/settings';

/**
 * The engines a CLI run needs (only those its plan names, so a local run never starts vendor
 * clients), built by the engine registry: --jobs sizes the local engine's pool; the vendors
 * read the settings file beside the database, the endpoint variables and this run's flags,
 * and their credentials from the OS keychain when a page first needs them.
 */
export function createEngines(
  plan: EnginePlan,
  jobs: number,
  context: { dbPath: string; env: NodeJS.ProcessEnv; overrides?: VendorSettingsPatch },
): { engines: Engine[]; registry: EngineRegistry } {
  const include = [plan.engine, plan.fallback].filter((e): e is EngineId => !!e);
  const registry = createEngineRegistry({
    settings: new VendorSettingsStore(vendorSettingsPath(context.dbPath), context.env),
    overrides: context.overrides,
    local: { size: jobs },
    include,
    env: context.env,
  });
  return { engines: registry.engines, registry };
}
