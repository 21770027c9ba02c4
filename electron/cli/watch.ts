import { mkdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import type { EnginePlan } from '../../shared/engines';
import { toAppError } from '../core/errors';
import { HotFolderWatcher, type WatchEvent } from '../core/hotfolder/watcher';
import { openProfile } from '../core/profile';
import { planEngines } from './engines';
import { EXIT_OK, UsageError } from './errors';
import { defaultDbPath } from './paths';
import { queueUrl, redactUrl } from './queue-url';
import type { CliIo } from './scan';

export interface WatchOptions {
  db?: string;
  done?: string;
  failed?: string;
  jobs?: number;
  stability?: string;
  /** A shared queue (postgres://...) for the folder and its batch instead of --db. */
  queue?: string;
  /** With --queue: this machine's path to the queue's blob store. */
  blobs?: string;
  /** With --queue: only add the files; workers decode them. */
  submitOnly?: boolean;
}

/**
 * `scandesk watch <folder>`: a hot folder on the command line. Files that appear in the folder
 * (once their size stops changing) join the folder's continuous batch in --db; processed files
 * move to --done (or --failed when a page failed). Runs until Ctrl-C; run it again to resume.
 * The same folder shows in the app's Settings and its batch in the batch list. With --queue the
 * folder and its batch live in the shared queue: every desk sees them, workers decode its pages
 * (this process too unless --submit-only), and one process watches the folder at a time.
 */
export async function runWatch(folderArg: string, o: WatchOptions, io: CliIo): Promise<number> {
  const folder = resolve(folderArg);
  const st = await stat(folder).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`${folder} is not a folder: give the folder to watch.`);
  const stabilityMs = o.stability === undefined ? 2000 : Number(o.stability);
  if (!Number.isInteger(stabilityMs) || stabilityMs < 50 || stabilityMs > 600_000) throw new UsageError('--stability takes milliseconds, from 50 to 600000.');
  const dbPath = resolve(o.db ?? defaultDbPath(io.env));
  const done = o.done === undefined ? null : await ensureFolder(resolve(o.done), '--done', io);
  const failed = o.failed === undefined ? null : await ensureFolder(resolve(o.failed), '--failed', io);
  const plan: EnginePlan = { engine: 'local', task: 'codes' };
  const queue = o.queue === undefined && !o.submitOnly && o.blobs === undefined ? null : queueUrl(o.queue, io.env);
  const where = queue ? `the shared queue ${redactUrl(queue)}` : dbPath;
  const profile = await openProfile({
    dbPath,
    ...(queue ? { queue } : {}),
    ...(queue && o.blobs ? { blobs: resolve(o.blobs) } : {}),
    env: io.env,
    engines: { include: o.submitOnly ? [] : planEngines(plan), localJobs: o.jobs ?? availableParallelism() },
  }).catch((err: unknown) => {
    throw new Error(queue ? toAppError(err).message : `Cannot open the database ${dbPath}: ${toAppError(err).message}`, { cause: err });
  });
  const { service } = profile;
  const show = (p: string) => relative(folder, p) || p;
  const print = (e: WatchEvent) => {
    if (e.type === 'added') io.stdout.write(`added   ${show(e.path)} (${e.skipped ? 'not an image' : `${e.pages} page${e.pages === 1 ? '' : 's'}`})\n`);
    if (e.type === 'moved') io.stdout.write(`${e.state.padEnd(7)} ${show(e.path)}${e.to ? ` -> ${e.to}` : ''}\n`);
    if (e.type === 'error') io.stderr.write(`error: ${e.path ? `${e.path}: ` : ''}${e.message}\n`);
  };
  let watcher: HotFolderWatcher | null = null;
  try {
    let saved;
    try {
      saved = await service.hotFolders.save({ path: folder, plan, doneDir: done, failedDir: failed });
    } catch (err) {
      throw new UsageError(toAppError(err).message);
    }
    watcher = new HotFolderWatcher(service, service.hotFolders.runtime, saved, { stabilityMs, onEvent: print });
    const stopped = new Promise<void>((r) => {
      const remove = io.onInterrupt(() => {
        remove();
        r();
      });
    });
    await watcher.start();
    io.stderr.write(
      `Watching ${folder}${watcher.currentBatch ? ` (batch ${watcher.currentBatch})` : ''} in ${where}. ` +
        `Files join once their size has been steady for ${stabilityMs} ms. Ctrl-C to stop; run the same command to resume.\n`,
    );
    await stopped;
    io.stderr.write('\nStopping: files being decoded finish first...\n');
    await watcher.stop();
    const batchId = watcher.currentBatch;
    if (batchId !== null) {
      // Submit only: the workers finish the pages; files move on with the next watch of the folder.
      const b = o.submitOnly ? await service.getBatch(batchId) : await service.whenSettled(batchId);
      const f = (await service.hotFolders.get(saved.id)).files;
      io.stdout.write(
        `Batch ${b.id} "${b.name}": ${b.counts.total} pages, ${b.counts.done} done, ${b.counts.failed} failed, ${b.counts.codes} codes; ` +
          `files: ${f.done} done, ${f.failed} failed, ${f.gone} gone, ${f.queued} waiting.\n`,
      );
    }
    return EXIT_OK;
  } finally {
    await watcher?.stop();
    await profile.close();
  }
}

async function ensureFolder(dir: string, flag: string, io: CliIo): Promise<string> {
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw new UsageError(`${flag} ${dir} is a file, not a folder.`);
  if (!st) {
    await mkdir(dir, { recursive: true });
    io.stderr.write(`Created the folder ${dir} (${flag}).\n`);
  }
  return dir;
}
