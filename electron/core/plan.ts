import { z } from 'zod';
import { ENGINE_IDS, TASKS, type EnginePlan } from '../../shared/engines';
import type { Engine } from './engines/engine';
import { ScanError } from './errors';

/**
 * Checks a batch's engine plan before anything is stored: known engine and task, engines that
 * exist in this process and can do the task, and no credentials in the options (the plan is
 * stored in the database; secrets live only in the OS keychain).
 */
const planSchema = z.object({
  engine: z.enum(ENGINE_IDS),
  task: z.enum(TASKS),
  fallback: z.enum(ENGINE_IDS).nullable().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const SECRET_KEY = /secret|passw|token|credential|api[-_]?key|access[-_]?key|private[-_]?key|signature/i;

/**
 * `sharedQueue`: an engine this process lacks is accepted (another worker on the queue runs it);
 * one it has must still do the task.
 */
export function validatePlan(input: unknown, engines: ReadonlyMap<string, Engine>, options: { sharedQueue?: boolean } = {}): EnginePlan {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScanError('INVALID_INPUT', `Invalid engine plan: ${issue?.path.join('.') || 'plan'}: ${issue?.message ?? 'invalid'}.`);
  }
  const plan: EnginePlan = { engine: parsed.data.engine, task: parsed.data.task };
  if (parsed.data.fallback) plan.fallback = parsed.data.fallback;
  if (parsed.data.options) plan.options = parsed.data.options;
  const secret = findSecretKey(plan.options);
  if (secret !== null) {
    throw new ScanError(
      'INVALID_INPUT',
      `Engine options must not carry credentials (option "${secret}"): credentials are read from the OS keychain.`,
    );
  }
  for (const id of [plan.engine, plan.fallback].filter((e): e is NonNullable<typeof e> => !!e)) {
    const engine = engines.get(id);
    if (!engine && options.sharedQueue) continue;
    if (!engine) throw new ScanError('INVALID_INPUT', `The ${id} engine is not available (not set up).`);
    if (!engine.tasks.includes(plan.task)) {
      throw new ScanError('INVALID_INPUT', `The ${id} engine cannot do the "${plan.task}" task.`);
    }
  }
  return plan;
}

function findSecretKey(v: unknown, path = ''): string | null {
  if (Array.isArray(v)) {
    for (const x of v) {
      const k = findSecretKey(x, path);
      if (k !== null) return k;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (SECRET_KEY.test(k)) return p;
      const inner = findSecretKey(x, p);
      if (inner !== null) return inner;
    }
  }
  return null;
}
