import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ENGINE_IDS, TASKS } from '../../shared/engines';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, UsageError } from './errors';
import { defaultDbPath } from './paths';
// Types only: each command's module (the engine, SQLite, sharp, the keychain...) loads when that
// command runs, so `scandesk --help` starts like a command (issue 10).
import type { CliIo, ScanOptions } from './scan';
import type { CredentialsOptions } from './credentials';
import type { SettingsOptions } from './settings';
import type { UsageOptions } from './usage';
import type { WatchOptions } from './watch';
import type { WorkerOptions } from './worker';
import type { QueueOptions } from './queue-cmd';
import type { ExportOptions, StatusOptions } from './queue-batch';

/**
 * `scandesk`: the offline batch command line. Same engine, queue, store and exports as the
 * desktop app, without Electron.
 */
function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64.');
  return n;
}

function parseId(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a batch id (a whole number).');
  return n;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * `endpointHelp`: the endpoint variables of every vendor, for the help of scan and credentials.
 * It comes from the vendor definitions, which load the vendor SDKs (~0.5 CPU-s): main() passes
 * it only when help is asked for.
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void, endpointHelp = ''): Command {
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
Every option of a command: scandesk scan --help, scandesk watch --help, scandesk worker --help, scandesk queue --help, scandesk status --help, scandesk export --help, scandesk credentials --help, scandesk settings --help
Example: scandesk scan ~/Scans/March --out march.xlsx`,
    );

  program
    .command('scan')
    .description('Scan files and folders (recursively) for codes and write one spreadsheet or JSON file.')
    .argument('<paths...>', 'image or PDF files, and folders to scan recursively')
    .option('-o, --out <file>', 'output file: .xlsx, .csv or .json (its extension picks the format); required unless --submit-only')
    .option('--db <file>', `SQLite file holding the batch and its progress; run the same command with the same --db to resume (default: ${defaultDbPath(io.env)})`)
    .option('-j, --jobs <n>', 'decoder workers for the local engine (default: the number of CPU cores)', parseJobs)
    .addOption(new Option('--engine <id>', 'recognition engine: the offline decoder or a cloud vendor').choices([...ENGINE_IDS]).default('local'))
    .addOption(new Option('--task <task>', 'what to look for: codes (every engine), text (wechat), idcard (tencent)').choices([...TASKS]).default('codes'))
    .addOption(new Option('--fallback <vendor>', 'send the pages where --engine found nothing to this vendor too').choices(ENGINE_IDS.filter((e) => e !== 'local')))
    .option('--region <region>', 'tencent: ap-guangzhou (default) or ap-beijing; alioss: the bucket\'s region, e.g. cn-hangzhou')
    .option('--bucket <name>', 'alioss: the bucket pages are uploaded to for recognition (deleted after, unless --keep-uploads)')
    .addOption(new Option('--card-side <side>', 'tencent idcard: which side the images show').choices(['FRONT', 'BACK', 'auto']))
    .option('--id-crop <list>', 'tencent idcard: keep crops of each card: card, portrait (comma-separated); shown in the app, named in the output')
    .option('--id-warn <list>', 'tencent idcard: warn about copy, reshoot, temporary, border (incomplete or covered), edited, invalid-date, blur (quality score), glare, both-sides (front and back in one photo); comma-separated, or all')
    .option('--id-glare-detail', 'tencent idcard, with --id-warn glare: where the glare is (portrait, emblem, fields)')
    .option('--id-advanced', 'tencent idcard: Tencent\'s advanced forgery checks (CardWarnType Advanced: enabled and billed separately in Tencent\'s console)')
    .option('--id-region <region>', 'tencent idcard: the region IDCardOCR runs in, any Tencent OCR region (e.g. ap-shanghai; default: --region)')
    .option('--crops-out <dir>', 'tencent idcard, with --id-crop: write the crops into this folder (owner-only files), named as the output\'s id_crops column says')
    .option('--product-data', 'tencent codes: look up product data (QueryBarCode) for EAN/UPC codes')
    .option('--keep-uploads', 'alioss: keep the uploaded pages in the bucket')
    .option('--finish-without-stopped', 'when a vendor stops (key refused, quota used up), finish without it: its pages end failed with the reason (default: they wait for the next run)')
    .option('--reveal-personal-data', 'write ID-card numbers in full in the output (default: masked, e.g. 440***********0014)')
    .option('-y, --yes', 'send pages to a cloud vendor without asking (on a terminal the count is shown and confirmed first)')
    .option('--dry-run', 'say how many pages each cloud vendor would get (stored results are not sent again), then stop')
    .option('--name <name>', 'batch name shown in the export (default: the first path\'s name)')
    .option('--queue <url>', 'submit the batch to a shared PostgreSQL queue (postgres://user@host/db, or $SCANDESK_QUEUE) instead of --db; this run works on it too')
    .option('--submit-only', 'with --queue: submit the batch and exit; "scandesk worker" processes do the pages')
    .option('--blobs <dir>', "with --queue: this machine's path to the queue's shared files (default: the folder given to queue init --blobs)")
    .option('--fresh', 'start a new batch even if --db already has one for the same paths')
    .option('--separate-on <regex>', 'split the pages into documents: a new one starts at each page with a code matching this regular expression')
    .option('--separate-every <n>', 'split the pages into documents of n pages each')
    .option('--drop-separators', 'with --separate-on: leave the separator pages out of the documents (their code still names the document)')
    .option('--document-key <regex>', 'the code naming each document: the first one on it matching this (default: the separator\'s code, or the first code)')
    .option('--document-name <template>', 'file name of each document\'s PDF: {code} the key code, {n} its number, {batch} the batch name (default: {code}.pdf)')
    .option('--documents-out <dir>', 'write one PDF per document (the original pages) into this folder')
    .option('--expect <file>', 'reconcile against the values in this CSV or XLSX file (one column): found, missing, unexpected, duplicates')
    .option('--expect-column <name|n>', 'the column of --expect to read, by header name or number (default: the first)')
    .option('--rules <file>', 'review rules from a JSON file: {"symbologies":[...],"patterns":{"EAN-13":"^978","*":"..."},"gs1":true,"codesPerPage":{"min":1,"max":1},"autoAccept":true} (fields left out: off)')
    .option('--symbologies <list>', 'review rule: the symbologies expected (comma-separated, e.g. EAN-13,Code128); a code of another one breaks it')
    .option('--pattern <[symbology=]regex>', 'review rule: codes of that symbology (or, without "symbology=", every other) must match (RE2 syntax; repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--gs1', 'review rule: verify GS1 check digits (EAN/UPC/ITF-14/DataBar/SSCC) and GS1 element strings (GS1-128, GS1 DataMatrix/QR)')
    .option('--codes-per-page <n>', 'review rule: codes each page should carry: N, MIN-MAX, MIN- or -MAX')
    .option('--auto-accept', 'accept the codes that pass every review rule on a page that passes (the others wait for review)')
    .addHelpText(
      'after',
      `
Output formats:
  .xlsx  sheets Detections (one row per code), Pages (one row per page, with errors) and Summary
  .csv   UTF-8 with BOM, one row per code plus one row per page without codes or with an error
  .json  {"items":[{"path","page","status","error","detections":[...]}]}
With --separate-on/--separate-every every format gains the document of each page (XLSX: a
Documents sheet; JSON: "documents"); with --expect, the standing of each value (XLSX: a
Reconciliation sheet; CSV: a reconciliation column and one "missing" row per value found
nowhere; JSON: "reconciliation": {"found","missing","unexpected","duplicates"}).

Review rules (--rules, --symbologies, --pattern, --gs1, --codes-per-page): each code is judged
by its value as found (or as corrected in the app), each page by its number of codes (merged
codes once, rejected ones not counted). Every format gains the verdict and its reasons per code
and per page (CSV: rule, rule_reason, page_rule, page_rule_reason; XLSX: Rule columns; JSON:
"rule" on items and detections); the summary lists the pages that break a rule. Patterns use
RE2 syntax (no look-around or back-references; matching takes linear time) and are searched
in the value: anchor them (^...$) to match it whole. With --auto-accept, codes that pass on a
page that passes are accepted; the rest wait for review in the app ("Rule breaks" filter).

Documents: values are tested as found (a correction made in the app counts, a rejected code
does not); a page not decoded yet joins the current document. PDF names are made safe for
every OS (reserved characters become _, a second "A.pdf" becomes "A (2).pdf"); an existing file
of the same name in --documents-out is replaced. A document whose page cannot be read (file
gone, or changed since the scan) is not written, with the reason; the others are.

Cloud vendors (tencent, wechat, alioss): store the credentials first with
"scandesk credentials set <vendor>" (they live in the system keychain, never in files or on
the command line). Other vendor settings (endpoints, rate limits, concurrency, OSS bucket and
region) are read from vendor-settings.json beside the --db file; flags override them for one
run. A page whose result is already stored (same bytes, engine, task and options) is never sent
again. When a vendor refuses the credentials or the quota is used up, it is stopped for the
batch with one notice: its pages wait (run again to resume), the other engine's pages go on;
with --finish-without-stopped they end failed with the reason instead (a later run without
the flag, once the account is fixed, does not retry them: use --fresh, or Retry failed in the app).
${endpointHelp}

Before a batch starts, ScanDesk says how many pages each cloud vendor gets (pages with a stored
result are not counted) and warns when a daily quota would run out (WeChat printedTextOCR: 100
calls a day on a basic account). On a terminal it asks first (--yes skips the question);
--dry-run shows the count and stops.

Resuming: progress is saved in the --db file as pages finish. After Ctrl-C, a crash or a kill,
run the same command again (same paths, same --db): finished pages are not decoded again. If
the batch is already finished, the command only writes the output again (--fresh rescans).

Exit status: 0 when the run completed, even if some pages failed (they are listed in the
summary and the output); 1 when the run itself failed (output not writable, database error);
2 for bad arguments; 130 when stopped with Ctrl-C.

Examples:
  scandesk scan ~/Scans/March --out march.xlsx
  scandesk scan a.jpg b.pdf folder/ --out results.json --jobs 2 --db ./scandesk.sqlite
  scandesk scan cards/ --engine tencent --task idcard --card-side FRONT --out cards.xlsx
  scandesk scan cards/ --engine tencent --task idcard --id-crop card,portrait --id-warn all --out cards.xlsx
  scandesk scan ~/Scans --engine local --fallback wechat --out codes.json
  scandesk scan stack.pdf --separate-on '^DOC-' --drop-separators --documents-out ./docs --out stack.xlsx
  scandesk scan parcels/ --expect manifest.xlsx --expect-column Barcode --out parcels.json
  scandesk scan cartons/ --symbologies EAN-13,Code128 --gs1 --codes-per-page 1 --auto-accept --out cartons.csv
  scandesk scan labels/ --pattern 'Code128=^PKG-[0-9]{6}$' --rules rules.json --out labels.xlsx`,
    )
    .action(async (paths: string[], opts: ScanOptions) => {
      // The decode worker starts first: it loads and compiles while the rest of the command loads.
      if (opts.engine === 'local' && !opts.submitOnly && !opts.dryRun) (await import('../core/engines/local/pool')).prestartDecodeWorker();
      const { runScan } = await import('./scan');
      setExitCode(await runScan(paths, opts, io));
    });

  program
    .command('watch')
    .description('Watch a folder: files that appear in it join one continuous batch; processed files move on.')
    .argument('<folder>', 'the folder to watch (subfolders too)')
    .option('--db <file>', `SQLite file holding the folder's batch (default: ${defaultDbPath(io.env)}); the app opened on it shows the live batch`)
    .option('--done <dir>', 'move each file here once all its pages are decoded (default: leave it in place, remembered)')
    .option('--failed <dir>', 'move an image or PDF here when one of its pages failed (default: leave it); other files stay put')
    .option('-j, --jobs <n>', 'decoder workers (default: the number of CPU cores)', parseJobs)
    .option('--stability <ms>', 'a file joins once its size has not changed for this long (default 2000)')
    .option('--queue <url>', 'keep the folder and its batch in a shared PostgreSQL queue (postgres://user@host/db, or $SCANDESK_QUEUE) instead of --db')
    .option('--blobs <dir>', "with --queue: this machine's path to the queue's shared files (default: the folder given to queue init --blobs)")
    .option('--submit-only', 'with --queue: add the files to the batch and leave the decoding to "scandesk worker" processes')
    .addHelpText(
      'after',
      `
A file is taken once its size stops changing (a scanner or a copy still writing it is waited
for); files renamed or moved in count, names of unfinished downloads (.part, .crdownload, .tmp)
and hidden files do not. Stop with Ctrl-C: the pages being decoded finish first. Run the same
command again to resume: files already in the batch are not added twice, files that finished
meanwhile move on. One process watches a folder at a time (the app or this command).

With --queue the folder and its batch are the shared queue's: every desk sees the batch, files
are copied to the queue's blob store, and workers decode them (this process too, unless
--submit-only). A second process on the same folder path (this machine or another) is refused
while this one watches; once this one stops, or its heartbeat is 30 s old, the next one started
takes over. Each file is claimed in the database, so no file joins the batch twice.

Examples:
  scandesk watch ~/Scans/inbox --db ~/scandesk.sqlite --done ~/Scans/done --failed ~/Scans/failed
  scandesk watch /mnt/scans/inbox --queue postgres://scandesk@dbhost/scandesk --done /mnt/scans/done --submit-only`,
    )
    .action(async (folder: string, opts: WatchOptions) => {
      const { runWatch } = await import('./watch');
      setExitCode(await runWatch(folder, opts, io));
    });

  program
    .command('credentials')
    .description('Store, check, test or delete a cloud vendor\'s credentials (or the proxy\'s sign-in) in the system keychain.')
    .argument('<action>', 'set | status | delete | test | proxy-login | proxy-logout')
    .argument('[vendor]', 'tencent | wechat | alioss (not needed for status)')
    .option('--db <file>', 'test: use the vendor settings beside this database (as scan --db)')
    .option('--region <region>', 'test: the region to try (tencent: ap-guangzhou/ap-beijing; alioss: the bucket\'s)')
    .option('--bucket <name>', 'test alioss: the bucket to try')
    .option('--user <name>', 'proxy-login: the proxy user name (the password is asked for, or read from stdin)')
    .addHelpText(
      'after',
      `
Actions:
  set <vendor>     read the credentials and store them in the system keychain. On a terminal
                   you are asked for each field (the secret is not shown as you type);
                   otherwise they are read from stdin, one per line or as JSON:
                     tencent  SecretId, SecretKey       {"secretId":"...","secretKey":"..."}
                     wechat   AppID, AppSecret          {"appId":"...","appSecret":"..."}
                     alioss   AccessKey ID and secret   {"accessKeyId":"...","accessKeySecret":"..."}
                   Never on the command line: other users can see a command's arguments.
  status           which vendors are set up (with a masked id)
  delete <vendor>  remove the vendor's credentials from the keychain
  test <vendor>    one cheap real request with the stored credentials (tencent: QrcodeOCR on a
                   blank image; wechat: a new access_token; alioss: GetBucketInfo)
  proxy-login      the user name and password of the proxy the vendors go through (the
                   Network setting beside --db, or HTTPS_PROXY): asked for on a terminal
                   (the password is not shown), else read from stdin, one per line (only the
                   password with --user). Stored for that proxy only, sent only when it asks.
  proxy-logout     remove the proxy's sign-in from the keychain

Exit status: 0 on success, 1 when the keychain or the vendor refused, 2 for bad arguments.
Linux needs a Secret Service (GNOME Keyring or KWallet) in the session.
${endpointHelp}

Examples:
  scandesk credentials set tencent
  printf '%s\\n%s\\n' "$APP_ID" "$APP_SECRET" | scandesk credentials set wechat
  scandesk credentials test alioss --bucket my-scans --region cn-hangzhou
  scandesk credentials proxy-login --user scan.desk`,
    )
    .action(async (action: string, vendor: string | undefined, opts: CredentialsOptions) => {
      const { runCredentials } = await import('./credentials');
      setExitCode(await runCredentials(action, vendor, opts, io));
    });

  program
    .command('settings')
    .description('Show or change the non-secret vendor settings (endpoints, rate limits, OSS bucket...).')
    .argument('<action>', 'show | set')
    .argument('[key]', 'set: a dotted key, e.g. alioss.bucket, tencent.region, wechat.rateLimits.qrcode')
    .argument('[value]', 'set: the value (JSON when it parses: 5, true, null to clear; text otherwise)')
    .option('--db <file>', 'the settings beside this database (as scan --db)')
    .addHelpText(
      'after',
      `
The settings live in vendor-settings.json beside the database. Keys:
  tencent  region (ap-guangzhou|ap-beijing), endpoint, concurrency, timeoutMs,
           enrichWithProductData, rateLimits.{QrcodeOCR,IDCardOCR,QueryBarCode} (requests/s)
  wechat   baseUrl, concurrency, timeoutMs, rateLimits.{qrcode,ocr}
  alioss   region, bucket, endpoint, keepUploads, prefix, concurrency, timeoutMs,
           rateLimits.{PutObject,ProcessImage,DeleteObject,GetBucketInfo}
Credentials are not settings: use "scandesk credentials set <vendor>".

Examples:
  scandesk settings set alioss.bucket my-scans
  scandesk settings set alioss.region cn-hangzhou
  scandesk settings set tencent.rateLimits.QrcodeOCR 10
  scandesk settings show`,
    )
    .action(async (action: string, key: string | undefined, value: string | undefined, opts: SettingsOptions) => {
      const { runSettings } = await import('./settings');
      setExitCode(runSettings(action, key, value, opts, io));
    });

  program
    .command('usage')
    .description('Show the cloud vendor calls of today and this month, per vendor, account and operation.')
    .option('--db <file>', 'the profile to read (as scan --db)')
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      `
Every request ScanDesk sends to a vendor is counted: calls, billable calls (what the vendor
bills: successful answers; Alibaba Cloud OSS image/codes is billed by OSS and by IMM, so both
appear), errors and bytes sent. Days are the vendors' (China Standard Time, UTC+8), when their
daily quotas reset. Accounts show masked; no key is stored with the counts.`,
    )
    .action(async (opts: UsageOptions) => {
      const { runUsage } = await import('./usage');
      setExitCode(await runUsage(opts, io));
    });

  program
    .command('worker')
    .description('Work on a shared PostgreSQL queue: claim pages of every running batch until stopped.')
    .option('--queue <url>', 'the shared queue, postgres://user@host:5432/db (default: $SCANDESK_QUEUE)')
    .option('--engines <list>', `engines this worker runs, comma-separated: ${ENGINE_IDS.join(', ')} (default: local)`)
    .option('-j, --jobs <n>', 'decoder workers for the local engine (default: the number of CPU cores)', parseJobs)
    .option('--db <file>', 'the local profile whose vendor-settings.json this worker reads (as scan --db)')
    .option('--blobs <dir>', "this machine's path to the queue's shared files (default: the folder given to queue init --blobs)")
    .option('--lease-seconds <n>', 'a claimed page is given to another worker after this long without a heartbeat (default 30)', parseJobs)
    .addHelpText(
      'after',
      `
Every worker claims pages with a lease it renews while working; SIGTERM or Ctrl-C finishes the
pages in hand, then exits. If a worker dies (SIGKILL, power cut), its pages go to another
worker when the lease ends (at once for a worker on the same machine). Vendor credentials come
from the environment (TENCENTCLOUD_SECRET_ID/_KEY, OSS_ACCESS_KEY_ID/_SECRET,
SCANDESK_WECHAT_APPID/_SECRET) or this machine's keychain; never from flags or the database.
Set up the queue first with "scandesk queue init <url>"; submit batches with
"scandesk scan <paths> --queue <url>".`,
    )
    .action(async (opts: WorkerOptions) => {
      const { runWorker } = await import('./worker');
      setExitCode(await runWorker(opts, io));
    });

  program
    .command('queue')
    .description('Set up a shared PostgreSQL queue (init), or show its batches and workers (status).')
    .argument('<action>', 'init | status')
    .argument('[url]', 'the shared queue, postgres://user@host:5432/db (default: --queue or $SCANDESK_QUEUE)')
    .option('--queue <url>', 'the shared queue (as the url argument)')
    .option('--blobs <dir>', 'init: a folder every desk and worker can read (SMB/NFS share): submitted files are copied there, once per content')
    .option('--json', 'status: print JSON instead of text')
    .action(async (action: string, url: string | undefined, opts: QueueOptions) => {
      if (action !== 'init' && action !== 'status') throw new UsageError(`scandesk queue: unknown action "${action}" (init or status).`);
      const { runQueue } = await import('./queue-cmd');
      setExitCode(await runQueue(action, url, opts, io));
    });

  program
    .command('status')
    .description('Show a shared PostgreSQL queue: its batches, workers and waiting pages, or one batch (--batch).')
    .option('--queue <url>', 'the shared queue, postgres://user@host:5432/db (default: $SCANDESK_QUEUE)')
    .option('--batch <id>', 'one batch: its state, counts, stopped engines and failed pages', parseId)
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      `
Examples:
  scandesk status --queue postgres://scandesk@dbhost/scandesk
  scandesk status --queue postgres://scandesk@dbhost/scandesk --batch 12 --json`,
    )
    .action(async (opts: StatusOptions) => {
      const { runStatus } = await import('./queue-batch');
      setExitCode(await runStatus(opts, io));
    });

  program
    .command('export')
    .description('Write one batch of a shared PostgreSQL queue to a spreadsheet or JSON file (as scan --out does).')
    .option('--queue <url>', 'the shared queue, postgres://user@host:5432/db (default: $SCANDESK_QUEUE)')
    .option('--batch <id>', 'the batch to export (see scandesk status)', parseId)
    .option('-o, --out <file>', 'output file: .xlsx, .csv or .json (its extension picks the format)')
    .option('--accepted-only', 'only the codes a reviewer accepted')
    .option('--reveal-personal-data', 'write ID-card numbers in full (default: masked)')
    .addHelpText(
      'after',
      `
The same columns as "scandesk scan --out" (see scandesk scan --help). A batch still running is
written as it stands (the pages read so far), and the command says so.

Example: scandesk export --queue postgres://scandesk@dbhost/scandesk --batch 12 --out march.xlsx`,
    )
    .action(async (opts: ExportOptions) => {
      const { runExport } = await import('./queue-batch');
      setExitCode(await runExport(opts, io));
    });

  return program;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  // Only scan's and credentials' help list the endpoint variables.
  const wantsHelp = ['scan', 'credentials'].includes(argv[0] ?? '') && argv.some((a) => a === '-h' || a === '--help');
  const endpointHelp = wantsHelp ? (await import('../core/settings/store')).ENDPOINT_ENV_HELP : '';
  const program = buildProgram(io, (c) => (code = c), endpointHelp);
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
    stdin: process.stdin,
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

/** Entry point used by bin/scandesk.mjs (built as out/main/cli.js, see electron.vite.config.ts). */
export async function run(argv = process.argv.slice(2)): Promise<void> {
  const code = await main(argv, processIo());
  process.exitCode = code;
}
