import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the CLI keeps its database when --db is not given: one file per user, in the
 * platform's data folder, so re-running a command resumes it from any working directory.
 *   Linux:   $XDG_DATA_HOME/scandesk/cli.sqlite (default ~/.local/share/scandesk/cli.sqlite)
 *   macOS:   ~/Library/Application Support/ScanDesk/cli.sqlite
 *   Windows: %LOCALAPPDATA%\ScanDesk\cli.sqlite
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'ScanDesk', 'cli.sqlite');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'ScanDesk', 'cli.sqlite');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'scandesk', 'cli.sqlite');
}
