// Where the installed Electron binary is, or null, without asking the electron package itself:
// since Electron 45, `require('electron')` downloads the binary from GitHub when it is missing,
// and ScanDesk never downloads it implicitly (`npm run electron:fetch` does, on purpose).
// Used by `npm start` (desktop app or browser host) and by the tests that need the binary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} repoDir @returns {string | null} */
export function installedElectronBinary(repoDir) {
  const pkg = join(repoDir, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : null;
}
