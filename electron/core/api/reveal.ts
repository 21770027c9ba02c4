import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { ScanError } from '../errors';

/** Shows a file in the system's file manager ("Open folder" after an export). */
export type RevealFile = (path: string) => Promise<void>;

/**
 * The browser host's file manager: the host runs on the user's own computer, so it opens the
 * folder there (macOS and Windows select the file; xdg-open can only open its folder). The
 * desktop app uses Electron's shell.showItemInFolder instead.
 */
export function systemReveal(platform: NodeJS.Platform = process.platform): RevealFile {
  return (path) => {
    const [command, args] =
      platform === 'darwin' ? ['open', ['-R', path]] : platform === 'win32' ? ['explorer.exe', [`/select,${path}`]] : ['xdg-open', [dirname(path)]];
    return new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { detached: true, stdio: 'ignore' });
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(new ScanError('NOT_FOUND', `No file manager could be opened on this computer (${command}: ${err.code ?? err.message}). The export is in ${dirname(path)}.`)),
      );
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
  };
}
