import { resolve } from 'node:path';
import { settledPages, type BatchSummary } from '../../shared/batch';
import { ScanError } from '../core/errors';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors';
import { defaultDbPath } from './paths';
import { batchLines, writeQueueStatus } from './queue-cmd';
import { queueUrl, redactUrl } from './queue-url';
import type { CliIo } from './scan';

/**
 * `scandesk status --queue <url> [--batch ID] [--json]` and `scandesk export --queue <url>
 * --batch ID --out FILE`: what a shared queue holds, and one of its batches written out, from
 * any machine (no engine runs here: the queue's workers decode).
 */
export interface StatusOptions {
  queue?: string;
  batch?: number;
  json?: boolean;
}

export interface ExportOptions {
  queue?: string;
  batch?: number;
  out?: string;
  acceptedOnly?: boolean;
  revealPersonalData?: boolean;
  db?: string;
}

/** Pages listed with their error in a batch's status, at most. */
const FAILED_LISTED = 1000;

export async function runStatus(o: StatusOptions, io: CliIo): Promise<number> {
  const url = queueUrl(o.queue, io.env);
  const { PgStore } = await import('../core/store/pg-store');
  const store = await PgStore.open(url);
  try {
    if (o.batch === undefined) {
      await writeQueueStatus(store, url, o.json === true, io);
      return EXIT_OK;
    }
    const batch = await found(store.getBatch(o.batch), o.batch, url, io);
    if (!batch) return EXIT_FAILURE;
    const failed = (await store.listItems(batch.id, { filter: 'errors', limit: FAILED_LISTED })).items.map((i) => ({
      path: i.path,
      page: i.page,
      error: i.error,
    }));
    if (o.json) {
      io.stdout.write(`${JSON.stringify({ batch, failed }, null, 2)}\n`);
      return EXIT_OK;
    }
    const c = batch.counts;
    const lines = [
      `Batch ${batch.id} in the shared queue ${redactUrl(url)}: ${batch.status}${batch.expanding ? ' (still reading files)' : ''}`,
      ...batchLines(batch),
      `  ${c.done} done, ${c.pending} to do, ${c.failed} failed, ${c.cancelled} cancelled, ${c.skipped} files ignored; ${c.codes} codes`,
      ...failed.map((f) => `  failed: ${f.path}${f.page > 1 ? ` (page ${f.page})` : ''}: ${f.error?.message ?? 'unknown error'}`),
    ];
    if (failed.length === FAILED_LISTED && c.failed > FAILED_LISTED) lines.push(`  ... and ${c.failed - FAILED_LISTED} more failed pages (export the batch for all of them)`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export async function runExport(o: ExportOptions, io: CliIo): Promise<number> {
  const url = queueUrl(o.queue, io.env);
  if (o.batch === undefined) throw new UsageError('Name the batch to export: --batch ID (see "scandesk status --queue URL").');
  if (!o.out) throw new UsageError('Name the output file: --out results.xlsx (.xlsx, .csv or .json).');
  const out = resolve(o.out);
  const { formatFromPath, writeExport } = await import('../core/export');
  const format = formatFromPath(out);
  if (!format) throw new UsageError(`--out must end in .xlsx, .csv or .json (not "${o.out}").`);
  const { PgStore } = await import('../core/store/pg-store');
  const { openScanService } = await import('../core/service');
  const store = await PgStore.open(url);
  // No engines: this process only reads the batch; the queue's workers decode.
  const service = await openScanService({ dbPath: resolve(o.db ?? defaultDbPath(io.env)), store, engines: [], writeExport }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  try {
    const batch = await found(service.getBatch(o.batch), o.batch, url, io);
    if (!batch) return EXIT_FAILURE;
    const written = await service.exportBatch({
      batchId: batch.id,
      format,
      path: out,
      acceptedOnly: o.acceptedOnly === true,
      revealPersonalData: o.revealPersonalData === true,
    });
    const c = batch.counts;
    const unfinished = batch.status === 'done' || batch.status === 'cancelled' ? '' : ` The batch is ${batch.status} (${settledPages(c)}/${c.total} pages settled): the file holds the pages read so far.`;
    io.stdout.write(`Wrote ${written.codes} codes on ${written.pages} pages of batch ${batch.id} (${batch.name}) to ${written.path}.${unfinished}\n`);
    return EXIT_OK;
  } finally {
    await service.close();
  }
}

/** The batch, or null after saying it does not exist in this queue. */
async function found(p: Promise<BatchSummary>, id: number, url: string, io: CliIo): Promise<BatchSummary | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ScanError && err.code === 'NOT_FOUND') {
      io.stderr.write(`error: the shared queue ${redactUrl(url)} has no batch ${id} (see "scandesk status --queue URL").\n`);
      return null;
    }
    throw err;
  }
}
