import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * Files that hold personal data (the queue database with its journal files, the media cache)
 * are readable by their owner only. New ones are created that way; an existing one of ours
 * that is looser (made by an older version) is tightened when it is opened. Folders we create
 * for them are the owner's only; folders that already exist (a profile in ~/Documents, say) are
 * never changed. On Windows the modes are mostly ignored: the profile lives in the user's own
 * AppData there.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) readable by the owner only; an existing folder is left as it is. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates `file` empty and owner-only if it does not exist; tightens it if it does and is ours. */
export function makePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  tightenIfLoose(file);
}

/** chmod 600 when group or others can read or write it (and it is ours); a missing file is fine. */
export function tightenIfLoose(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    return;
  }
  if (!st.isFile() || (st.mode & 0o077) === 0) return;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return;
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch {
    // A read-only file system: nothing we can do, and nothing to stop the app for.
  }
}
