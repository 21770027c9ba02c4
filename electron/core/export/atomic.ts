import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ScanError } from '../errors';

/**
 * Writes through a temporary file next to the target and renames it into place, so a
 * crash or a failed export never leaves a half-written spreadsheet under the real name
 * (and never destroys the previous good export).
 */
export async function writeAtomically<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw unwritable(target, err);
  }
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Date.now()}.partial`);
  try {
    const result = await write(tmp);
    await rename(tmp, target);
    return result;
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    // File-system failures (EACCES, ENOSPC, EISDIR...) are about the target; anything else
    // (the store failing midway, a bug) keeps its own error.
    if (isFsError(err)) throw unwritable(target, err);
    throw err;
  }
}

function unwritable(target: string, err: unknown): ScanError {
  const reason = (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
  return new ScanError('INVALID_INPUT', `Cannot write the export to ${target} (${reason}).`, { cause: err });
}

function isFsError(err: unknown): boolean {
  return typeof (err as NodeJS.ErrnoException)?.syscall === 'string';
}
