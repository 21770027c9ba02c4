import type { EngineId, EnginePlan } from '../../shared/engines';

/**
 * The engines a CLI run needs: only those its plan names, so a local run never starts vendor
 * clients (openProfile builds them: --jobs sizes the local engine's pool; the vendors read the
 * settings file beside the database, the endpoint variables and this run's flags, and their
 * credentials from the environment or the OS keychain when a page first needs them).
 */
export function planEngines(plan: EnginePlan): EngineId[] {
  return [plan.engine, plan.fallback].filter((e): e is EngineId => !!e);
}
