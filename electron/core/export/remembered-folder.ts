import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The file of a profile that remembers the last export folder. */
export const EXPORT_FOLDER_FILE = 'export-folder.json';

/**
 * The folder the export dialog proposes: the last one an export went to (kept in a small file
 * of the profile), else a visible default (Documents, never a hidden folder of the profile).
 * A remembered folder that no longer exists falls back to the default.
 */
export class RememberedFolder {
  constructor(
    private readonly file: string,
    private readonly fallback: () => string = visibleDefaultFolder,
  ) {}

  get(): string {
    try {
      const last = (JSON.parse(readFileSync(this.file, 'utf8')) as { lastFolder?: unknown }).lastFolder;
      if (typeof last === 'string' && isFolder(last)) return last;
    } catch {
      // never written, or damaged: the default
    }
    return this.fallback();
  }

  remember(folder: string): void {
    try {
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ lastFolder: folder })}\n`);
      renameSync(tmp, this.file);
    } catch {
      // A read-only profile only costs proposing the default next time.
    }
  }
}

/** ~/Documents when it exists (the folder people look in), else the home folder. */
export function visibleDefaultFolder(home = homedir()): string {
  const documents = join(home, 'Documents');
  return isFolder(documents) ? documents : home;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
