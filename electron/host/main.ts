/**
 * The browser host from the command line:
 *   node --import tsx electron/host/main.ts [--db FILE] [--port N] [--host ADDR] [--renderer DIR]
 * Prints the address (with a one-time token) to open in a browser; at a terminal, Enter prints
 * another one; Ctrl+C stops it.
 */
import { makePrivateDir } from '../core/private-files';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startHost } from './server';

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535).');
  return n;
}

export function defaultDbPath(): string {
  return join(process.env.SCANDESK_HOME ?? join(homedir(), '.scandesk'), 'scandesk.db');
}

async function main(): Promise<void> {
  const program = new Command('scandesk-host')
    .description('Serve the ScanDesk UI to a browser on this machine.')
    .option('--db <file>', 'SQLite profile to open', defaultDbPath())
    .option('--port <n>', 'port (0 picks a free one)', portNumber, 0)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--renderer <dir>', 'renderer build to serve (default out/renderer)')
    .parse();
  const opts = program.opts<{ db: string; port: number; host: string; renderer?: string }>();
  const dbPath = resolve(opts.db);
  makePrivateDir(dirname(dbPath)); // the profile holds personal data
  const host = await startHost({ dbPath, port: opts.port, host: opts.host, rendererDir: opts.renderer });
  process.stdout.write(`ScanDesk is running at ${host.url}\n`);
  // Each address opens ScanDesk once (its token becomes a session cookie in that browser).
  // At a terminal, Enter prints another one: for a second browser, or after a restart of it.
  if (process.stdin.isTTY) {
    process.stdout.write('Each address works once: press Enter for a new one.\n');
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', () => process.stdout.write(`New address: ${host.newUrl()}\n`));
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    host.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`scandesk host: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
