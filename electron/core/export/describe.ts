import type { EnginePlan } from '../../../shared/engines';

/** "local / codes", "local -> tencent / codes": how a plan reads in a summary. */
export function describePlan(plan: EnginePlan): string {
  const engines = plan.fallback ? `${plan.engine} -> ${plan.fallback}` : plan.engine;
  return `${engines} / ${plan.task}`;
}
