#!/usr/bin/env node
// `npm start`: build if the sources changed since the last build, then start the desktop app.
// Where the Electron binary is not installed (CI, servers, this kind of sandbox) say so in one
// line and start the browser host instead, which prints the address to open.
// Extra arguments go to the browser host (e.g. `npm start -- --port 8080 --db ./my.db`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedElectronBinary } from './electron-binary.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(repo, p));

function newestMtime(dir) {
  let newest = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  if (existsSync(dir)) walk(dir);
  return newest;
}

function needsBuild() {
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(
    ...['electron', 'shared', 'renderer'].map((d) => newestMtime(join(repo, d))),
    statSync(join(repo, 'electron.vite.config.ts')).mtimeMs,
  );
  return sources > built;
}


if (needsBuild()) {
  const r = spawnSync(process.execPath, [join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
const binary = installedElectronBinary(repo);
let child;
if (binary) {
  // Native addons compiled for Node (what the tests use) do not load in Electron's ABI.
  const probe = spawnSync(binary, ['-e', "require('better-sqlite3')(':memory:').close()"], {
    cwd: repo,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'pipe',
  });
  if (probe.status !== 0) {
    console.error(
      'Native modules are built for Node, not Electron: run `npx electron-builder install-app-deps` first ' +
        '(and `npm rebuild better-sqlite3 keytar` before running the Node tests again).',
    );
    process.exit(1);
  }
  child = spawn(binary, ['.'], { cwd: repo, stdio: 'inherit' });
} else {
  console.log('Electron binary not installed (npm run electron:fetch installs it): starting the browser host instead.');
  child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'electron/host/main.ts'), ...args], { cwd: repo, stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
