import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * Files and folders handed to the app on its command line (Explorer "Open with", a drop on the
 * dock or taskbar icon, or a second launch forwarded by the single-instance lock). Plain logic,
 * unit-tested. Skips the executable (and, when run unpackaged, the app path Electron was given),
 * switches such as --inspect, and anything that does not exist.
 */
export function pathsFromArgv(argv: readonly string[], cwd: string, packaged: boolean): string[] {
  const args = argv.slice(packaged ? 1 : 2);
  const out: string[] = [];
  let afterDoubleDash = false;
  for (const arg of args) {
    if (!afterDoubleDash && arg === '--') {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && arg.startsWith('-')) continue;
    if (!arg || arg.includes('\0') || arg.length > 4096) continue;
    const abs = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (existsSync(abs) && !out.includes(abs)) out.push(abs);
    if (out.length >= 10_000) break;
  }
  return out;
}
