import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { ScanError } from '../errors';
import type { ExportFormat } from './types';

/**
 * Where an export may be written, checked before anything is: an absolute path (never a
 * network share named by a renderer: opening \\host\share makes Windows send the user's
 * credentials to that host), in a folder that exists (a missing one is an error, never created
 * on the side), with the extension of the format (a CSV named .bat or .lnk is not an export).
 */

/** \\server\share, //server/share, \\?\ and \\.\ device paths. */
export function isUncPath(path: string): boolean {
  return /^[\\/]{2}/.test(path);
}

/** Refuses a network path (see above); `what` names it in the message. */
function refuseUnc(path: string, what: string): void {
  if (isUncPath(path)) {
    throw new ScanError('INVALID_INPUT', `${what} ${path} is a network path: choose a folder on this computer (or a mapped drive letter).`);
  }
}

/** An existing folder, checked for an export into it; answers the absolute path. */
export async function checkExportFolder(folder: string, options: { allowUnc?: boolean } = {}): Promise<string> {
  if (!options.allowUnc) refuseUnc(folder, 'The export folder');
  if (!isAbsolute(folder)) throw new ScanError('INVALID_INPUT', `The export folder must be an absolute path (not "${folder}").`);
  const abs = resolve(folder);
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
      throw new ScanError('INVALID_INPUT', `The folder ${abs} does not exist. Create it first, or choose another folder.`);
    }
    throw new ScanError('INVALID_INPUT', `The folder ${abs} cannot be used (${err.code ?? 'error'}).`, { cause: err });
  });
  if (!st.isDirectory()) throw new ScanError('INVALID_INPUT', `${abs} is a file, not a folder.`);
  return abs;
}

/**
 * A file path for an export in `format` (the CLI's --out, a path from the save dialog): its
 * folder must exist and its extension must be the format's. Answers the absolute path.
 */
export async function checkExportFile(path: string, format: ExportFormat, options: { allowUnc?: boolean } = {}): Promise<string> {
  if (!options.allowUnc) refuseUnc(path, 'The export file');
  const abs = resolve(path);
  const ext = /\.([^./\\]+)$/.exec(basename(abs))?.[1]?.toLowerCase();
  if (ext !== format) {
    throw new ScanError('INVALID_INPUT', `A ${format.toUpperCase()} export must be named *.${format} (not ${basename(abs)}).`);
  }
  await checkExportFolder(dirname(abs), { allowUnc: true });
  const existing = await stat(abs).catch(() => null);
  if (existing?.isDirectory()) throw new ScanError('INVALID_INPUT', `Cannot write to ${abs}: it is a folder. Name a file to write the export to.`);
  return abs;
}

/** `path` with the format's extension: the save dialog on Linux keeps a name typed without one. */
export function withExtension(path: string, format: ExportFormat): string {
  return path.toLowerCase().endsWith(`.${format}`) ? path : `${path}.${format}`;
}
