#!/usr/bin/env node
// The `scandesk` command (see electron/cli/main.ts, or `scandesk --help`). It runs the command
// line as built with the app (`npm run build` writes out/main/cli.js and the worker entries beside
// it), so it starts like a command: no TypeScript compiled at every start, workers that load
// their built code. In a checkout whose sources changed since that build, it runs the sources
// through tsx instead: slower to start, never stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');

/** True when a source file is newer than `than` (ms); false when there are no sources at all. */
function sourcesNewer(than) {
  const stack = ['electron', 'shared'].map((d) => join(root, d)).filter((d) => existsSync(d));
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (statSync(p).mtimeMs > than) return true;
    }
  }
  return false;
}

const useBuild = existsSync(built) && process.env.SCANDESK_CLI_FROM_SOURCES !== '1' && !sourcesNewer(statSync(built).mtimeMs);
if (useBuild) {
  const { run } = await import(pathToFileURL(built).href);
  await run();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { run } = await import('../electron/cli/main.ts');
  await run();
}
