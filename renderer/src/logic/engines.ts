import { ENGINE_IDS, type EngineId, type Task } from '../../../shared/engines';
import type { MessageKey } from '../i18n/en';

/**
 * What each engine can look for. The picker lists the engines the host reports (app.info), so
 * a cloud engine appears as soon as the host enables it; this table only says which tasks it
 * offers and how it is labelled.
 */
export const ENGINE_TASKS: Record<EngineId, readonly Task[]> = {
  local: ['codes'],
  tencent: ['codes', 'idcard'],
  wechat: ['codes', 'text'],
  alioss: ['codes'],
};

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

/** Keeps the task when the new engine supports it, else falls back to its first task. */
export function taskFor(engine: EngineId, wanted: Task): Task {
  const tasks = ENGINE_TASKS[engine];
  return tasks.includes(wanted) ? wanted : (tasks[0] ?? 'codes');
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
