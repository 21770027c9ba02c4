import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { EnginePlan } from '../../shared/engines';

/**
 * Which batch a CLI command made, so running the same command again (same paths, same plan,
 * same --db) continues that batch instead of starting over. Kept in a small JSON file beside
 * the database (`<db>.cli-runs.json`): the service's batches do not record the paths they
 * were created from, and the CLI does not reach into the store.
 */
export function runKey(paths: string[], plan: EnginePlan): string {
  const canonical = JSON.stringify({
    paths: [...paths].sort(),
    engine: plan.engine,
    task: plan.task,
    fallback: plan.fallback ?? null,
    options: plan.options ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export class RunRegistry {
  private readonly file: string;

  constructor(dbPath: string) {
    this.file = `${dbPath}.cli-runs.json`;
  }

  private read(): Record<string, number> {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return data && typeof data === 'object' ? (data as Record<string, number>) : {};
    } catch {
      return {}; // missing or damaged: worst case the command starts a new batch
    }
  }

  get(key: string): number | undefined {
    const id = this.read()[key];
    return typeof id === 'number' ? id : undefined;
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a file. */
  async set(key: string, batchId: number | undefined): Promise<void> {
    const data = this.read();
    if (batchId === undefined) delete data[key];
    else data[key] = batchId;
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`);
    await rename(tmp, this.file);
  }
}
