import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { AppError } from '../../../shared/errors';
import { isHiddenOrSystem, looksLikeImageName, naturalCompare } from './names';
import type { SkippedEntry } from './types';

/** What the walk found, in the order the batch will show it. */
export type Found =
  | { kind: 'file'; path: string; explicit: boolean }
  | { kind: 'error'; path: string; error: AppError };

export interface WalkResult {
  found: Found[];
  skipped: SkippedEntry[];
}

interface Ctx extends WalkResult {
  dirs: Map<string, string>; // realpath -> the path it was first reached by
  files: Map<string, string>;
}

/**
 * Expands files and folders (recursively) in a stable order: the given paths in the order
 * given; inside a folder, subfolders first, then files, each in natural order (like a file
 * manager's tree). Hidden/system entries inside folders are skipped quietly; a path the user
 * named explicitly is always looked at. Symbolic links are followed, but every folder is
 * entered once (tracked by realpath), so link loops terminate and are reported.
 */
export async function walk(paths: string[]): Promise<WalkResult> {
  const ctx: Ctx = { found: [], skipped: [], dirs: new Map(), files: new Map() };
  for (const p of paths) await visit(resolve(p), true, [], ctx);
  return { found: ctx.found, skipped: ctx.skipped };
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code === 'ENOENT') return 'does not exist';
  return (err as Error)?.message ?? String(err);
}

/** A path we cannot even stat: an item with an error if the user would expect one, else skipped. */
function unusable(path: string, explicit: boolean, error: AppError, ctx: Ctx): void {
  if (explicit || looksLikeImageName(basename(path))) ctx.found.push({ kind: 'error', path, error });
  else ctx.skipped.push({ path, reason: error.message });
}

async function visit(path: string, explicit: boolean, ancestors: string[], ctx: Ctx): Promise<void> {
  const name = basename(path);
  let st: Stats;
  try {
    st = await lstat(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const error: AppError = missing
      ? { code: 'FILE_NOT_FOUND', message: `${name}: no such file or folder (${path}).` }
      : { code: 'FILE_UNREADABLE', message: `${name}: cannot be read (${errnoText(err)}).` };
    return unusable(path, explicit, error, ctx);
  }
  if (st.isSymbolicLink()) {
    try {
      st = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const target = await readlink(path).catch(() => '?');
      const error: AppError =
        code === 'ENOENT'
          ? { code: 'FILE_NOT_FOUND', message: `${name}: a link to "${target}", which does not exist (broken link).` }
          : { code: 'FILE_UNREADABLE', message: `${name}: a link to "${target}" that cannot be followed (${errnoText(err)}).` };
      return unusable(path, explicit, error, ctx);
    }
  }
  if (st.isDirectory()) return visitDir(path, ancestors, ctx);
  if (!st.isFile()) {
    ctx.skipped.push({ path, reason: 'not a regular file (device, socket or pipe)' });
    return;
  }
  const real = await realpath(path).catch(() => path);
  const first = ctx.files.get(real);
  if (first !== undefined) {
    ctx.skipped.push({ path, reason: `the same file as ${first} (already included)` });
    return;
  }
  ctx.files.set(real, path);
  ctx.found.push({ kind: 'file', path, explicit });
}

async function visitDir(path: string, ancestors: string[], ctx: Ctx): Promise<void> {
  const real = await realpath(path).catch(() => path);
  if (ancestors.includes(real)) {
    ctx.skipped.push({ path, reason: `symbolic link loop: leads back to the folder ${real}, which is already being scanned` });
    return;
  }
  const first = ctx.dirs.get(real);
  if (first !== undefined) {
    ctx.skipped.push({ path, reason: `the same folder as ${first} (already included)` });
    return;
  }
  ctx.dirs.set(real, path);
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (err) {
    ctx.skipped.push({ path, reason: `folder cannot be read (${errnoText(err)})` });
    return;
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const e of entries) {
    if (isHiddenOrSystem(e.name)) continue;
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) isDir = await stat(join(path, e.name)).then((s) => s.isDirectory(), () => false);
    (isDir ? dirs : files).push(e.name);
  }
  const chain = [...ancestors, real];
  for (const d of dirs.sort(naturalCompare)) await visit(join(path, d), false, chain, ctx);
  for (const f of files.sort(naturalCompare)) await visit(join(path, f), false, chain, ctx);
}
