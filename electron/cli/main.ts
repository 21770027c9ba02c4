import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ENGINE_IDS, TASKS } from '../../shared/engines';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, UsageError } from './errors';
import { defaultDbPath } from './paths';
import { runScan, type CliIo, type ScanOptions } from './scan';

/**
 * `scandesk`: the offline batch command line. Same engine, queue, store and exports as the
 * desktop app, without Electron.
 */
function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64.');
  return n;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('scandesk')
    .description('ScanDesk: find every barcode and QR code in a batch of scans and photos, and export them.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Every option of a command: scandesk scan --help
Example: scandesk scan ~/Scans/March --out march.xlsx`,
    );

  program
    .command('scan')
    .description('Scan files and folders (recursively) for codes and write one spreadsheet or JSON file.')
    .argument('<paths...>', 'image or PDF files, and folders to scan recursively')
    .requiredOption('-o, --out <file>', 'output file; its extension picks the format: .xlsx, .csv or .json')
    .option('--db <file>', `SQLite file holding the batch and its progress; run the same command with the same --db to resume (default: ${defaultDbPath(io.env)})`)
    .option('-j, --jobs <n>', 'decoder workers for the local engine (default: the number of CPU cores)', parseJobs)
    .addOption(new Option('--engine <id>', 'recognition engine (only local is available from the CLI for now)').choices([...ENGINE_IDS]).default('local'))
    .addOption(new Option('--task <task>', 'what to look for').choices([...TASKS]).default('codes'))
    .option('--name <name>', 'batch name shown in the export (default: the first path\'s name)')
    .option('--fresh', 'start a new batch even if --db already has one for the same paths')
    .addHelpText(
      'after',
      `
Output formats:
  .xlsx  sheets Detections (one row per code), Pages (one row per page, with errors) and Summary
  .csv   UTF-8 with BOM, one row per code plus one row per page without codes or with an error
  .json  {"items":[{"path","page","status","error","detections":[...]}]}

Resuming: progress is saved in the --db file as pages finish. After Ctrl-C, a crash or a kill,
run the same command again (same paths, same --db): finished pages are not decoded again. If
the batch is already finished, the command only writes the output again (--fresh rescans).

Exit status: 0 when the run completed, even if some pages failed (they are listed in the
summary and the output); 1 when the run itself failed (output not writable, database error);
2 for bad arguments; 130 when stopped with Ctrl-C.

Examples:
  scandesk scan ~/Scans/March --out march.xlsx
  scandesk scan a.jpg b.pdf folder/ --out results.json --jobs 2 --db ./scandesk.sqlite`,
    )
    .action(async (paths: string[], opts: ScanOptions) => {
      setExitCode(await runScan(paths, opts, io));
    });

  return program;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n(run "scandesk scan --help" for usage)\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(handler) {
      let count = 0;
      const listener = () => {
        if (++count > 1) {
          process.stderr.write('\nForced stop. Pages already finished are saved; run the same command again to resume.\n');
          process.exit(EXIT_INTERRUPTED);
        }
        handler();
      };
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
  };
}

/** Entry point used by bin/scandesk.mjs. */
export async function run(argv = process.argv.slice(2)): Promise<void> {
  const code = await main(argv, processIo());
  process.exitCode = code;
}
