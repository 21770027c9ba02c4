import { access, constants, mkdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve, sep } from 'node:path';
import { settledPages, type BatchSummary } from '../../shared/batch';
import { ENGINE_IDS, TASKS, type EngineId, type EnginePlan, type Task } from '../../shared/engines';
import { toAppError } from '../core/errors';
import { formatFromPath, writeExport } from '../core/export';
import { checkExportFile } from '../core/export/target';
import { expandPaths, expandPathsInChunks, type IntakeResult } from '../core/intake';
import type { ExportFormat } from '../core/export/types';
import { PRIVATE_DIR_MODE } from '../core/private-files';
import { openProfile, type Profile } from '../core/profile';
import type { ScanService } from '../core/service-types';
import { instrumentEngine, type DecodeCounter } from './decode-log';
import { planEngines } from './engines';
import { VENDOR_TASKS, VENDOR_NAMES } from '../core/engines/registry';
import { mergePatch, VendorSettingsStore, vendorSettingsPath, type VendorSettings, type VendorSettingsPatch } from '../core/settings';
import type { Notice } from '../core/service-types';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from './errors';
import { defaultDbPath } from './paths';
import { createProgressView } from './progress';
import { RunRegistry, runKey } from './runs';
import { addFailure, formatSummary, type FailureGroups } from './summary';
import { confirm, describeEstimate, formatSpend } from './usage';
import { queueUrl, redactUrl } from './queue-url';
import { hasIdCardFlags, idCardArgs, idCardOptions, type IdCardFlags } from './idcard-flags';
import { rulesArgs, rulesFromFlags, rulesSummary, type RulesFlags } from './rules-flags';
import { applyExtras, checkExtras, finishExtras, prepareDocumentsOut, type CheckedExtras, type ExtrasFlags } from './batch-extras';

export interface ScanOptions extends ExtrasFlags, IdCardFlags, RulesFlags {
  /** Required, except with --submit-only. */
  out?: string;
  /** A shared queue (postgres://...) instead of the --db file for the batch. */
  queue?: string;
  /** With --queue: submit (or find) the batch, print its id and leave the work to the workers. */
  submitOnly?: boolean;
  /** With --queue: this machine's path to the queue's blob store. */
  blobs?: string;
  db?: string;
  jobs?: number;
  engine: string;
  task: string;
  fresh?: boolean;
  name?: string;
  fallback?: string;
  region?: string;
  bucket?: string;
  cardSide?: string;
  productData?: boolean;
  keepUploads?: boolean;
  revealPersonalData?: boolean;
  finishWithoutStopped?: boolean;
  /** Send pages to a vendor without asking on a terminal. */
  yes?: boolean;
  /** Say what the batch would send to each vendor, then stop (nothing is created or sent). */
  dryRun?: boolean;
}

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Where `credentials set` reads secrets from (a prompt on a terminal, else piped text). */
  stdin?: NodeJS.ReadStream;
  /** Registers the Ctrl-C handler; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
}

interface Validated {
  paths: string[];
  /** '' with --submit-only and no --out. */
  out: string;
  /** The shared queue's URL, or null for the --db file. */
  queue: string | null;
  format: ExportFormat;
  dbPath: string;
  jobs: number;
  plan: EnginePlan;
  /** This run's changes to the vendor settings (never saved). */
  overrides: VendorSettingsPatch;
}

export function validateScanOptions(paths: string[], o: ScanOptions, env: NodeJS.ProcessEnv): Validated {
  if (paths.length === 0) throw new UsageError('Give at least one file or folder to scan.');
  const queue = o.queue === undefined && !o.submitOnly ? null : queueUrl(o.queue, env);
  if (o.submitOnly && o.out === undefined) {
    return { ...validateScanOptions(paths, { ...o, out: 'unused.json' }, env), out: '' };
  }
  if (o.out === undefined) throw new UsageError("required option '-o, --out <file>' not specified (only --submit-only goes without it).");
  const format = formatFromPath(o.out);
  if (!format) throw new UsageError(`Cannot tell the output format from "${o.out}": the --out file must end in .xlsx, .csv or .json.`);
  if (!(ENGINE_IDS as readonly string[]).includes(o.engine)) {
    throw new UsageError(`Unknown engine "${o.engine}": use one of ${ENGINE_IDS.join(', ')}.`);
  }
  if (!(TASKS as readonly string[]).includes(o.task)) throw new UsageError(`Unknown task "${o.task}": use one of ${TASKS.join(', ')}.`);
  const jobs = o.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, not "${o.jobs}".`);
  const dbPath = resolve(o.db ?? defaultDbPath(env));
  const { plan, overrides } = vendorPlan(o, dbPath, env);
  return { paths: paths.map((p) => resolve(p)), out: resolve(o.out), queue, format, dbPath, jobs, plan, overrides };
}

/**
 * The plan and the per-run vendor settings from the flags, checked before anything runs:
 * each engine can do the task, flags that only one vendor understands name a vendor of the
 * plan, and OSS knows its bucket and region.
 */
function vendorPlan(o: ScanOptions, dbPath: string, env: NodeJS.ProcessEnv): { plan: EnginePlan; overrides: VendorSettingsPatch } {
  const engine = o.engine as EngineId;
  const task = o.task as Task;
  if (o.fallback !== undefined && !(ENGINE_IDS as readonly string[]).includes(o.fallback)) {
    throw new UsageError(`Unknown fallback engine "${o.fallback}": use one of ${ENGINE_IDS.filter((e) => e !== 'local').join(', ')}.`);
  }
  const fallback = o.fallback as EngineId | undefined;
  if (fallback === engine) throw new UsageError(`--fallback must name another engine than --engine (both are ${engine}).`);
  const used = [engine, ...(fallback ? [fallback] : [])];
  for (const id of used) {
    const tasks = id === 'local' ? ['codes'] : VENDOR_TASKS[id];
    if (!tasks.includes(task)) throw new UsageError(`The ${id} engine cannot do the "${task}" task; it does: ${tasks.join(', ')}.`);
  }
  const needs = (flag: string, vendor: EngineId) => {
    if (!used.includes(vendor)) throw new UsageError(`${flag} is for the ${vendor} engine, which this run does not use.`);
  };
  const options: Record<string, unknown> = {};
  const overrides: VendorSettingsPatch = {};
  if (o.cardSide !== undefined) {
    needs('--card-side', 'tencent');
    if (task !== 'idcard') throw new UsageError('--card-side goes with --task idcard.');
    if (!['FRONT', 'BACK', 'auto'].includes(o.cardSide)) throw new UsageError(`--card-side must be FRONT, BACK or auto, not "${o.cardSide}".`);
    options.cardSide = o.cardSide;
  }
  if (o.cropsOut !== undefined) {
    needs('--crops-out', 'tencent');
    if (task !== 'idcard') throw new UsageError('--crops-out goes with --task idcard (and --id-crop).');
  }
  if (hasIdCardFlags(o)) {
    needs('--id-crop/--id-warn/--id-region', 'tencent');
    if (task !== 'idcard') throw new UsageError('--id-crop, --id-warn, --id-glare-detail, --id-advanced and --id-region go with --task idcard.');
    Object.assign(options, idCardOptions(o));
  }
  if (o.productData) {
    needs('--product-data', 'tencent');
    if (task !== 'codes') throw new UsageError('--product-data goes with --task codes.');
    options.enrichWithProductData = true;
  }
  if (o.keepUploads) {
    needs('--keep-uploads', 'alioss');
    options.keepUploads = true;
  }
  if (o.bucket !== undefined) {
    needs('--bucket', 'alioss');
    overrides.alioss = { bucket: o.bucket };
  }
  if (o.region !== undefined) {
    const withRegion = used.filter((e) => e === 'tencent' || e === 'alioss');
    if (withRegion.length === 0) throw new UsageError('--region is for the tencent or alioss engine, which this run does not use.');
    if (used.includes('tencent')) {
      if (o.region !== 'ap-guangzhou' && o.region !== 'ap-beijing') {
        throw new UsageError(`Tencent QrcodeOCR/IDCardOCR run in ap-guangzhou or ap-beijing, not "${o.region}".`);
      }
      overrides.tencent = { region: o.region };
    }
    if (used.includes('alioss')) overrides.alioss = { ...overrides.alioss, region: o.region };
  }
  let settings: VendorSettings;
  try {
    settings = mergePatch(new VendorSettingsStore(vendorSettingsPath(dbPath), env).get(), overrides);
  } catch (err) {
    throw new UsageError(toAppError(err).message);
  }
  if (used.includes('alioss') && (!settings.alioss.bucket || !settings.alioss.region)) {
    throw new UsageError(
      `The alioss engine needs a bucket and its region: give --bucket and --region (or set them in ${vendorSettingsPath(dbPath)}).`,
    );
  }
  const plan: EnginePlan = { engine, task };
  if (fallback) plan.fallback = fallback;
  if (Object.keys(options).length > 0) plan.options = options;
  return { plan, overrides };
}

/**
 * Fails now, not after an hour of decoding, when the export could never be written. The user's
 * own terminal: a network path is theirs to choose, and a missing folder is created as --out
 * asks (as --documents-out does), said on stderr, never silently. Answers the folder created.
 */
async function checkOutputWritable(out: string, format: ExportFormat): Promise<string | null> {
  const dir = dirname(resolve(out));
  let created: string | null = null;
  try {
    if (!(await stat(dir).catch(() => null))) created = (await mkdir(dir, { recursive: true })) ?? null;
    await checkExportFile(out, format, { allowUnc: true });
  } catch (err) {
    throw new Error(`Cannot write the output ${out}: ${toAppError(err).message}`, { cause: err });
  }
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`Cannot write the output ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, { cause: err });
  }
  return created === null ? null : dir;
}

export async function runScan(rawPaths: string[], options: ScanOptions, io: CliIo): Promise<number> {
  const v = validateScanOptions(rawPaths, options, io.env);
  const extras = await checkExtras(options);
  if (options.submitOnly && extras.documentsOut) {
    throw new UsageError('--documents-out writes the PDFs once the pages are read: not with --submit-only (run the same command without it once the workers are done).');
  }
  const rules = await rulesFromFlags(options);
  const started = performance.now();
  if (v.out) {
    const createdOut = await checkOutputWritable(v.out, v.format);
    if (createdOut) io.stderr.write(`Created the folder ${createdOut} for the output.\n`);
  }
  const createdDocumentsOut = await prepareDocumentsOut(extras.documentsOut);
  if (createdDocumentsOut) io.stderr.write(`Created the folder ${createdDocumentsOut} for the document PDFs.\n`);
  const cropsOut = options.cropsOut === undefined ? null : resolve(options.cropsOut);
  if (cropsOut) {
    const st = await stat(cropsOut).catch(() => null);
    if (st && !st.isDirectory()) throw new UsageError(`--crops-out ${cropsOut} is a file, not a folder.`);
    if (!st) {
      await mkdir(cropsOut, { recursive: true, mode: PRIVATE_DIR_MODE }); // crops are personal data
      io.stderr.write(`Created the folder ${cropsOut} for the ID-card crops.\n`);
    }
  }
  await mkdir(dirname(v.dbPath), { recursive: true, mode: PRIVATE_DIR_MODE }); // the profile holds personal data

  const counter: DecodeCounter = { count: 0 };
  let profile: Profile;
  try {
    profile = await openProfile({
      dbPath: v.dbPath,
      ...(v.queue ? { queue: v.queue } : {}),
      ...(v.queue && options.blobs ? { blobs: resolve(options.blobs) } : {}),
      env: io.env,
      engines: {
        // Submit only: no engine here, the workers do the pages.
        include: options.submitOnly ? [] : planEngines(v.plan),
        localJobs: v.jobs,
        overrides: v.overrides,
        wrap: (e) => instrumentEngine(e, counter, io.env.SCANDESK_DECODE_LOG),
      },
      service: { ...ownFilesExcluded(v, extras), writeExport },
    });
  } catch (err) {
    if (v.queue) throw new Error(toAppError(err).message, { cause: err });
    throw new Error(`Cannot open the database ${v.dbPath}: ${toAppError(err).message}`, { cause: err });
  }
  const { service, registry: engines } = profile;
  const where = v.queue ? `the shared queue ${redactUrl(v.queue)}` : v.dbPath;

  let interrupted = false;
  let batchId: number | undefined;
  const removeInterrupt = io.onInterrupt(() => {
    if (interrupted) return;
    interrupted = true;
    io.stderr.write('\nStopping: letting the pages being decoded finish and saving progress...\n');
    // Closing below still stops the work when the pause cannot be stored.
    if (batchId !== undefined) service.pause(batchId).catch(() => {});
  });

  const progress = createProgressView(io.stderr, { tty: Boolean(io.stderr.isTTY) });
  // Vendor notices (engine stopped, product data offline...): each said once, as it happens.
  const notices: Notice[] = [];
  const onNotice = (n: Notice) => {
    if (batchId !== undefined && n.batchId !== batchId) return;
    notices.push(n);
    progress.note(`${engineLabel(n.engine)}: ${n.message}${cliHint(n)}`);
  };
  service.on('notice', onNotice);
  try {
    const registry = new RunRegistry(v.dbPath);
    // A shared queue's batches are looked up by queue too (the same paths may go to two queues).
    const key = v.queue ? `${redactUrl(v.queue)} ${runKey(v.paths, v.plan)}` : runKey(v.paths, v.plan);
    const prior = options.fresh ? undefined : await existingBatch(service, registry.get(key));
    let batch: BatchSummary;
    let skipped: { path: string; reason: string }[] = [];
    let resumed = false;

    if (prior) {
      resumed = true;
      batch = prior;
      batchId = batch.id;
      const c = batch.counts;
      if (batch.status === 'done') {
        io.stderr.write(`Batch ${batch.id} for these paths is already finished in ${where}: exporting it again (use --fresh to scan again).\n`);
      } else {
        io.stderr.write(
          `Resuming batch ${batch.id} from ${where}: ${settledPages(c)} of ${c.total} pages already processed.\n`,
        );
        if (batch.status === 'paused' || batch.status === 'queued') batch = await service.resume(batch.id);
        else if (batch.status === 'cancelled') batch = await service.retryFailed(batch.id);
      }
    } else {
      // Before anything is sent: how many pages go to each vendor (stored results are reused).
      if (usesVendor(v.plan) || options.dryRun) {
        const estimate = await service.estimateBatch({ paths: v.paths, plan: v.plan }, { account: (id) => engines.usageAccount(id) });
        const lines = describeEstimate(estimate);
        if (lines.length === 0) lines.push(`This batch sends nothing to a cloud vendor (${estimate.pages} ${estimate.pages === 1 ? 'page' : 'pages'}, ${describePlan(v)}).`);
        io.stderr.write(`${lines.join('\n')}\n`);
        if (options.dryRun) {
          io.stderr.write('Dry run: nothing was scanned or sent.\n');
          return EXIT_OK;
        }
        const sending = estimate.vendors.some((e) => e.pages > 0);
        if (sending && io.stdin?.isTTY && !options.yes && !(await confirm(io, 'Start?'))) {
          io.stderr.write('Not started: nothing was sent.\n');
          return EXIT_FAILURE;
        }
      }
      io.stderr.write(`Scanning ${v.paths.length === 1 ? v.paths[0] : `${v.paths.length} paths`} with ${describePlan(v)}...\n`);
      const created = await service.createBatch({ paths: v.paths, plan: v.plan, name: options.name, rules });
      batch = created.batch;
      batchId = batch.id;
      await registry.set(key, batch.id);
    }

    // The separation rule and the expected list go with the batch (on a shared queue, every desk sees them).
    await applyExtras(service, batch.id, extras);
    if (options.submitOnly) {
      // Every page goes in before this process exits: workers only see what intake added.
      if (batch.expanding) io.stderr.write('Adding the pages as intake reads the files...\n');
      await service.whenIntakeDone(batch.id);
      batch = await service.getBatch(batch.id);
      io.stdout.write(`Batch ${batch.id} is in ${where}: ${batch.counts.total} pages. Workers ("scandesk worker") do them; follow with "scandesk status --queue URL --batch ${batch.id}".\n`);
      return EXIT_OK;
    }
    // A resumed batch takes the rules given now (its read pages are judged again).
    if (resumed && rules) await service.setRules(batch.id, rules);
    if (interrupted) await service.pause(batch.id);
    const onProgress = (p: { batchId: number; counts: BatchSummary['counts']; expanding?: true }) => {
      if (p.batchId === batchId) progress.update(p.counts, p.expanding === true);
    };
    service.on('progress', onProgress);
    progress.update(batch.counts, batch.expanding === true);
    batch = await service.whenSettled(batch.id);
    if (!interrupted && batch.status === 'paused' && batch.stopped.length > 0 && options.finishWithoutStopped) {
      // The user chose up front not to wait for a stopped vendor: its pages end failed with the
      // reason, and the output is written for a finished batch.
      batch = await service.finishWithoutStopped(batch.id);
      batch = await service.whenSettled(batch.id);
    }
    service.off('progress', onProgress);
    progress.update(batch.counts);
    progress.stop();

    if (interrupted || batch.status === 'paused') {
      const c = batch.counts;
      io.stderr.write(
        `${interrupted ? 'Stopped' : 'Paused'} after ${settledPages(c)} of ${c.total} pages. ` +
          `Progress is saved in ${where}.\nTo resume, run the same command again:\n  ${resumeCommand(v, options)}\n`,
      );
      if (interrupted) return EXIT_INTERRUPTED;
    }

    // Every file intake ignored (intake streams: createBatch knew only the first ones).
    if (!resumed) skipped = await allIgnored(service, batch.id);
    const failures: FailureGroups = new Map();
    for (let offset = 0; ; offset += 1000) {
      const page = await service.listItems(batch.id, { filter: 'errors', offset, limit: 1000 });
      for (const it of page.items) addFailure(failures, it);
      if (page.items.length < 1000) break;
    }
    const output = await service.exportBatch({
      batchId: batch.id,
      format: v.format,
      path: v.out,
      revealPersonalData: options.revealPersonalData === true,
    });
    const extraLines = [...(await rulesSummary(service, batch.id)), ...(await finishExtras(service, batch.id, extras))];
    if (cropsOut) {
      const { writeCrops } = await import('./crops-out');
      const crops = await writeCrops(service, batch.id, cropsOut);
      extraLines.push(`  ID-card crops: ${crops.written} written to ${cropsOut}`, ...crops.failed.map((f) => `    not written: ${f}`));
    }
    io.stdout.write(
      formatSummary({
        batch,
        failures,
        skipped,
        output,
        seconds: (performance.now() - started) / 1000,
        decodedThisRun: counter.count,
        resumed,
        notices: notices.map((n) => `${engineLabel(n.engine)}: ${n.message}`),
        spent: formatSpend(await service.batchUsage(batch.id)),
        extras: extraLines,
      }),
    );
    return EXIT_OK;
  } finally {
    progress.stop();
    removeInterrupt();
    service.off('notice', onNotice);
    await profile.close();
  }
}

/**
 * The database, its journal files, the run registry and the output may sit inside a folder
 * being scanned (`scandesk scan . --out results.xlsx`): they are the CLI's own, not input.
 */
function ownFilesExcluded(
  v: Validated,
  x: CheckedExtras,
): { intake: (paths: string[]) => Promise<IntakeResult>; intakeChunks: (paths: string[], signal: AbortSignal) => AsyncIterable<IntakeResult> } {
  const docs = x.documentsOut;
  const own = (p: string) =>
    p === v.out ||
    (docs !== null && (p === docs || p.startsWith(`${docs}${sep}`))) ||
    p.startsWith(`${v.dbPath}`) ||
    (dirname(p) === dirname(v.out) && basename(p).startsWith(`.${basename(v.out)}.`));
  const mine = (found: IntakeResult): IntakeResult => ({ items: found.items.filter((i) => !own(i.path)), skipped: found.skipped.filter((s) => !own(s.path)) });
  return {
    intake: async (paths) => mine(await expandPaths(paths)),
    // A new batch streams: it starts on its first pages while intake reads the rest.
    intakeChunks: async function* (paths, signal) {
      for await (const chunk of expandPathsInChunks(paths, { signal })) yield mine(chunk);
    },
  };
}

async function allIgnored(service: ScanService, batchId: number): Promise<Array<{ path: string; reason: string }>> {
  const out: Array<{ path: string; reason: string }> = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await service.listIgnored(batchId, { offset, limit: 1000 });
    out.push(...page.files);
    if (page.files.length < 1000) return out;
  }
}

async function existingBatch(service: ScanService, id: number | undefined): Promise<BatchSummary | undefined> {
  if (id === undefined) return undefined;
  try {
    return await service.getBatch(id);
  } catch {
    return undefined; // deleted since: start over
  }
}

/** The same command with absolute paths, so it works from any directory. */
function resumeCommand(v: Validated, o: ScanOptions): string {
  const q = (s: string) => (/^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const args = ['scandesk', 'scan', ...v.paths.map(q), '--out', q(v.out)];
  if (o.db) args.push('--db', q(v.dbPath));
  if (v.queue) args.push('--queue', q(redactUrl(v.queue)));
  if (o.jobs) args.push('--jobs', String(o.jobs));
  if (o.engine !== 'local') args.push('--engine', q(o.engine));
  if (o.task !== 'codes') args.push('--task', q(o.task));
  if (o.fallback) args.push('--fallback', q(o.fallback));
  if (o.region) args.push('--region', q(o.region));
  if (o.bucket) args.push('--bucket', q(o.bucket));
  if (o.cardSide) args.push('--card-side', q(o.cardSide));
  args.push(...idCardArgs(o, q));
  if (o.productData) args.push('--product-data');
  if (o.keepUploads) args.push('--keep-uploads');
  if (o.revealPersonalData) args.push('--reveal-personal-data');
  if (o.separateOn !== undefined) args.push('--separate-on', q(o.separateOn));
  if (o.separateEvery !== undefined) args.push('--separate-every', q(o.separateEvery));
  if (o.dropSeparators) args.push('--drop-separators');
  if (o.documentKey !== undefined) args.push('--document-key', q(o.documentKey));
  if (o.documentName !== undefined) args.push('--document-name', q(o.documentName));
  if (o.documentsOut !== undefined) args.push('--documents-out', q(resolve(o.documentsOut)));
  args.push(...rulesArgs(o).map(q));
  if (o.expect !== undefined) args.push('--expect', q(resolve(o.expect)));
  if (o.expectColumn !== undefined) args.push('--expect-column', q(o.expectColumn));
  return args.join(' ');
}

/** The app's messages point at its Settings screen; on the command line, say the command. */
function cliHint(n: Notice): string {
  if (!(n.engine in VENDOR_NAMES)) return '';
  if (/keychain|bucket/i.test(n.message)) return ''; // the message already says what to do
  if (/VENDOR_AUTH|credential|AppSecret|SecretKey|AccessKey|not set up/i.test(n.message)) {
    return `\n  (command line: scandesk credentials set ${n.engine}, then run the same command again)`;
  }
  return '';
}

function engineLabel(id: string): string {
  return id in VENDOR_NAMES ? VENDOR_NAMES[id as keyof typeof VENDOR_NAMES] : `${id} engine`;
}

function usesVendor(plan: EnginePlan): boolean {
  return plan.engine !== 'local' || (!!plan.fallback && plan.fallback !== 'local');
}

function describePlan(v: Validated): string {
  const local = `${v.jobs} decoder ${v.jobs === 1 ? 'thread' : 'threads'}`;
  const name = (id: EngineId) => (id === 'local' ? `local (${local})` : engineLabel(id));
  const main = `${name(v.plan.engine)}, task ${v.plan.task}`;
  return v.plan.fallback ? `${main}; pages it finds nothing on go to ${name(v.plan.fallback)}` : main;
}
