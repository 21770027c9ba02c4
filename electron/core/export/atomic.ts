import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ScanError } from '../errors';
import { numberedName } from './names';

/**
 * Exports are written through a temporary file beside the target, which becomes the target only
 * once complete: a crash or a failed export never leaves half a spreadsheet under the real name
 * (nor destroys the previous good one). Folders are never created here: a missing folder is the
 * caller's error to report. The temporary name is short and fixed-length (".scandesk-<random>
 * .partial"), so a target name near the file system's limit still has a temporary name that fits.
 */

function tempBeside(dir: string): string {
  return join(dir, `.scandesk-${randomBytes(6).toString('hex')}.partial`);
}

/** Writes `target`, replacing what is there (the user chose this exact file: the CLI's --out, the save dialog). */
export async function writeAtomically<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const tmp = tempBeside(dirname(target));
  try {
    const result = await write(tmp);
    await rename(tmp, target);
    return result;
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw fsFailure(target, err);
  }
}

/**
 * Writes a new file `name` in `folder`, never over an existing one: when the name is taken the
 * file becomes "name (2).ext", "name (3).ext"... Answers the path written. The final step is a
 * hard link (it fails instead of replacing), with an exclusive copy where the file system has no
 * links (FAT and exFAT memory cards).
 */
export async function writeNewFile<T>(folder: string, name: string, write: (tmpPath: string) => Promise<T>): Promise<{ path: string; result: T }> {
  const tmp = tempBeside(folder);
  try {
    const result = await write(tmp);
    for (let n = 1; n <= 999; n++) {
      const path = join(folder, numberedName(name, n));
      if (await placeExclusively(tmp, path)) return { path, result };
    }
    throw new ScanError('INVALID_INPUT', `${join(folder, name)} and 998 numbered copies of it exist already: choose another folder.`);
  } catch (err) {
    throw fsFailure(join(folder, name), err);
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Puts the complete temporary file at `path` unless something is there; false when taken. */
async function placeExclusively(tmp: string, path: string): Promise<boolean> {
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw err;
  }
  try {
    await copyFile(tmp, path, constants.COPYFILE_EXCL);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * File-system failures (EACCES, ENOSPC, ENOENT of a folder removed meanwhile...) are about the
 * target; anything else (the store failing midway, a bug) keeps its own error.
 */
function fsFailure(target: string, err: unknown): unknown {
  if (typeof (err as NodeJS.ErrnoException)?.syscall !== 'string') return err;
  const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
  return new ScanError('INVALID_INPUT', `Cannot write the export to ${target} (${reason}).`, { cause: err });
}
