import { ENGINE_IDS, type EngineId, type Task } from '../../../shared/engines';
import type { MessageKey } from '../i18n/en';
import type { DetectionEngine } from '../../../shared/detection';

/**
 * The picker lists the engines the host reports (engines.list, with each one's tasks), so a
 * cloud engine appears as soon as the host enables it; the renderer keeps no table of what a
 * vendor can do.
 */
export function engineLabel(e: EngineId): MessageKey {
  return `engine.${e}`;
}

export function taskLabel(t: Task): MessageKey {
  return `task.${t}`;
}

/** Engines in a stable order (local first), restricted to those the host offers. */
export function availableEngines(offered: readonly string[]): EngineId[] {
  const set = new Set(offered);
  const out = ENGINE_IDS.filter((e) => set.has(e));
  return out.length > 0 ? out : ['local'];
}

/** Splits typed text into paths: one per line, trimmed, surrounding quotes removed. */
export function parsePathInput(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^(["'])(.*)\1$/, '$2').trim())
    .filter((l) => l.length > 0);
}

/** Adds paths keeping order and dropping duplicates. */
export function mergePaths(existing: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(existing);
  const out = existing.slice();
  for (const p of added) {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Engine plans offered by the pickers (new batch, run again)
// ---------------------------------------------------------------------------------------------
/** What engines.list answers for one engine (kept structural: the renderer needs only these). */
export interface EngineAvailability {
  id: EngineId;
  tasks: readonly Task[];
  available: boolean;
  reason: string | null;
}

/** One entry of the engine picker: a single engine, or local first with a vendor for pages with nothing found. */
export interface PlanChoice {
  value: string;
  engine: EngineId;
  fallback: EngineId | null;
  tasks: readonly Task[];
  disabled: boolean;
  reason: string | null;
}

/**
 * Local first, then every vendor on its own, then "local first, then <vendor>" for each vendor
 * that reads codes (the fallback only makes sense for codes: local reads nothing else).
 * Vendors that cannot run now stay listed but disabled, with the reason.
 */
export function planChoices(engines: readonly EngineAvailability[]): PlanChoice[] {
  const local = engines.find((e) => e.id === 'local');
  const out: PlanChoice[] = [{ value: 'local', engine: 'local', fallback: null, tasks: local?.tasks ?? ['codes'], disabled: false, reason: null }];
  const vendors = engines.filter((e) => e.id !== 'local');
  for (const v of vendors) out.push({ value: v.id, engine: v.id, fallback: null, tasks: v.tasks, disabled: !v.available, reason: v.reason });
  for (const v of vendors) {
    if (!v.tasks.includes('codes')) continue;
    out.push({ value: `local+${v.id}`, engine: 'local', fallback: v.id, tasks: ['codes'], disabled: !v.available, reason: v.reason });
  }
  return out;
}

/**
 * The plan of a choice and task. `idCard` is the ID-card section's options (logic/idcard-choice),
 * sent only with the idcard task.
 */
export function buildPlan(
  choice: PlanChoice,
  task: Task,
  idCard: Record<string, string | boolean | Record<string, boolean>> = {},
): { engine: EngineId; task: Task; fallback?: EngineId; options?: Record<string, string | boolean | Record<string, boolean>> } {
  const t = choice.tasks.includes(task) ? task : (choice.tasks[0] ?? 'codes');
  return {
    engine: choice.engine,
    task: t,
    ...(choice.fallback ? { fallback: choice.fallback } : {}),
    ...(t === 'idcard' && Object.keys(idCard).length > 0 ? { options: idCard } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Personal data in lists: the one rule of shared/personal-data.ts (the exports use it too)
// ---------------------------------------------------------------------------------------------
export { isPersonalData, maskPersonalValue as maskPersonal } from '../../../shared/personal-data';

/** The engines that read a detection: all of them for a code two engines agreed on. */
export function foundBy(d: { engine: DetectionEngine; foundBy?: DetectionEngine[] }): DetectionEngine[] {
  return d.foundBy && d.foundBy.length > 0 ? d.foundBy : [d.engine];
}
