import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { AppError } from '../../../shared/errors';
import { isHiddenOrSystem, looksLikeImageName, naturalCompare } from './names';

/**
 * The new-batch dialog's look at the paths a person added, before any batch exists: a missing
 * or unreadable path gets the error intake would give it (so a mistyped path never becomes a
 * batch of failed pages), and a folder says how many of its files look like images and how
 * many it will ignore. Names only, no file is opened: intake reads the bytes later. A huge tree
 * is counted up to `maxEntries` (then `capped`), so typing "/" costs little.
 */
export interface PathCheckResult {
  path: string;
  kind: 'file' | 'folder' | null;
  images: number;
  others: number;
  capped: boolean;
  error: AppError | null;
}

export async function checkPaths(paths: string[], maxEntries = 20_000): Promise<PathCheckResult[]> {
  const out: PathCheckResult[] = [];
  for (const path of paths) out.push(await checkOne(path, maxEntries));
  return out;
}

async function checkOne(path: string, maxEntries: number): Promise<PathCheckResult> {
  const name = basename(path) || path;
  const base = { path, images: 0, others: 0, capped: false };
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const error: AppError =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? { code: 'FILE_NOT_FOUND', message: `${name}: no such file or folder (${path}).` }
        : { code: 'FILE_UNREADABLE', message: `${name}: cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? String(err)}).` };
    return { ...base, kind: null, error };
  }
  if (st.isFile()) {
    const image = looksLikeImageName(name);
    return { ...base, kind: 'file', images: image ? 1 : 0, others: image ? 0 : 1, error: null };
  }
  if (!st.isDirectory()) {
    return { ...base, kind: null, error: { code: 'UNSUPPORTED_FORMAT', message: `${name}: not a file or folder (a device, socket or pipe).` } };
  }
  const counts = { ...base, kind: 'folder' as const, error: null as AppError | null };
  const queue = [path];
  let seen = 0;
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === path) {
        counts.error = { code: 'FILE_UNREADABLE', message: `${name}: the folder cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).` };
        return counts;
      }
      continue; // intake reports a subfolder it cannot read among the ignored files
    }
    for (const e of entries) {
      if (isHiddenOrSystem(e.name)) continue;
      if (++seen > maxEntries) {
        counts.capped = true;
        return counts;
      }
      if (e.isDirectory()) queue.push(join(dir, e.name));
      else if (looksLikeImageName(e.name)) counts.images++;
      else counts.others++;
    }
  }
  return counts;
}

/**
 * Completion for a typed path: what is in the folder the text names (text ending in a
 * separator), or the entries of its parent folder whose names start with the last part
 * (case-insensitive). Folders first (with a trailing separator, so completing goes on into
 * them), then image files; hidden entries only when the typed part starts with a dot.
 */
export async function completePath(text: string, limit = 50): Promise<Array<{ path: string; folder: boolean }>> {
  const slash = /[\\/]$/.test(text);
  const dir = slash ? text : dirname(text);
  const part = slash ? '' : basename(text);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const want = part.toLowerCase();
  const folders: string[] = [];
  const files: string[] = [];
  for (const e of entries) {
    if (!e.name.toLowerCase().startsWith(want)) continue;
    if (isHiddenOrSystem(e.name) && !part.startsWith('.')) continue;
    let folder = e.isDirectory();
    if (e.isSymbolicLink()) folder = await stat(join(dir, e.name)).then((s) => s.isDirectory(), () => false);
    if (folder) folders.push(e.name);
    else if (looksLikeImageName(e.name)) files.push(e.name);
  }
  const sepChar = /\\/.test(text) && !text.includes('/') ? '\\' : sep;
  return [
    ...folders.sort(naturalCompare).map((n) => ({ path: join(dir, n) + sepChar, folder: true })),
    ...files.sort(naturalCompare).map((n) => ({ path: join(dir, n), folder: false })),
  ].slice(0, limit);
}
