/**
 * Paths as the contract accepts them (one definition for every request that takes one).
 * shared/ runs in the renderer too: zod only.
 */
import { z } from 'zod';

export const PATH_CHARS = 4096;

/** No NUL bytes: they truncate paths in native code and never appear in a real file name. */
export const noNul = (s: string): boolean => !s.includes('\0');

/** Absolute on POSIX (/…), Windows (C:\… or C:/…) or UNC (\\server\share). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** A network path (\\server\share, //server/share, \\?\…): reading or writing one from a renderer's word sends the user's Windows credentials to that server. */
export function isNetworkPath(p: string): boolean {
  return /^[\\/]{2}/.test(p);
}

export const AbsolutePath = z
  .string()
  .min(1)
  .max(PATH_CHARS)
  .refine(noNul, { message: 'must not contain NUL characters' })
  .refine(isAbsolutePath, { message: 'must be an absolute path' });

/** A folder on this computer: absolute, never a network path. */
export const LocalFolderPath = AbsolutePath.refine((p) => !isNetworkPath(p), { message: 'must be a folder on this computer, not a network path' });
