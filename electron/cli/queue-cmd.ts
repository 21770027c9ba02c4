import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { settledPages, type BatchSummary } from '../../shared/batch';
import type { PgStore } from '../core/store/pg-store';
import { EXIT_OK } from './errors';
import { queueUrl, redactUrl } from './queue-url';
import type { CliIo } from './scan';

export interface QueueOptions {
  queue?: string;
  /** init: the blob store's folder, recorded in the queue. */
  blobs?: string;
  json?: boolean;
}

/**
 * `scandesk queue init|status`: sets up (or upgrades) a shared queue's schema, and shows what is
 * in it: each batch with its progress, the workers holding pages, what waits per engine.
 */
export async function runQueue(action: string, urlArg: string | undefined, o: QueueOptions, io: CliIo): Promise<number> {
  const url = queueUrl(urlArg ?? o.queue, io.env);
  const { PgStore } = await import('../core/store/pg-store');
  const { pgSchemaVersion } = await import('../core/store/pg/migrations');
  const store = await PgStore.open(url);
  try {
    if (action === 'init') {
      if (o.blobs) {
        const root = resolve(o.blobs);
        await mkdir(root, { recursive: true });
        await store.setSetting('blob_root', root);
      }
      const root = await store.setting('blob_root');
      io.stdout.write(
        `The shared queue at ${redactUrl(url)} is ready (schema ${await pgSchemaVersion(store.pool)}). ` +
          (root ? `Submitted files are copied to ${root}.\n` : 'Workers read submitted files at their own paths (no --blobs folder).\n'),
      );
      return EXIT_OK;
    }
    await writeQueueStatus(store, url, o.json === true, io);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

/** Every batch of the queue with its progress, the workers holding pages and what waits per engine (text or JSON). */
export async function writeQueueStatus(store: PgStore, url: string, json: boolean, io: CliIo): Promise<void> {
  const batches = await store.listBatches();
  const status = await store.queueStatus();
  if (json) {
    io.stdout.write(`${JSON.stringify({ batches, ...status }, null, 2)}\n`);
    return;
  }
  const root = await store.setting('blob_root');
  const lines: string[] = [`Shared queue ${redactUrl(url)}${root ? ` (files in ${root})` : ''}`];
  lines.push(batches.length ? 'Batches:' : 'No batches.');
  for (const b of batches) lines.push(...batchLines(b));
  lines.push(status.workers.length ? 'Workers holding pages:' : 'No worker holds a page right now.');
  for (const w of status.workers) lines.push(`  ${w.owner}  ${w.running} in hand, lease ends in ${Math.round(w.leaseExpiresInMs / 1000)} s`);
  for (const e of status.engines) lines.push(`Waiting for ${e.engine}: ${e.pending} pages (${e.dueNow} due now)${e.blocked ? `, ${e.blocked} blocked` : ''}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** One batch as the status lists it: id, state, progress, name; then each stopped engine. */
export function batchLines(b: BatchSummary): string[] {
  const c = b.counts;
  return [
    `  ${b.id}  ${b.status.padEnd(9)} ${settledPages(c)}/${c.total} pages  ${c.failed} failed  ${c.codes} codes  ${b.name}`,
    ...b.stopped.map((s) => `      ${s.engine} stopped: ${s.message} (${s.pages} pages wait)`),
  ];
}
