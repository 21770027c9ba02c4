import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../../shared/contract';

/** The UI preferences (language, theme): a small JSON file beside the database. */
export interface SettingsStore {
  get(): Settings;
  set(change: Partial<Settings>): Settings;
}

/**
 * A file-backed store. A missing or damaged file means defaults (a bad preferences file must
 * never keep the app from starting); writes go to a temp file first, then rename, so a crash
 * mid-write leaves the old file.
 */
export function fileSettingsStore(file: string): SettingsStore {
  let cached: Settings | null = null;
  const read = (): Settings => {
    if (cached) return cached;
    try {
      const parsed = SettingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      cached = parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
    } catch {
      cached = { ...DEFAULT_SETTINGS };
    }
    return cached;
  };
  return {
    get: () => ({ ...read() }),
    set(change) {
      const next = SettingsSchema.parse({ ...read(), ...stripUndefined(change) });
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2));
      renameSync(tmp, file);
      cached = next;
      return { ...next };
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
