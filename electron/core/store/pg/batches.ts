import { basename } from 'node:path';
import type { BatchCounts, BatchStatus, BatchSummary, ItemStatus, StoppedEngine } from '../../../../shared/batch';
import type { EnginePlan } from '../../../../shared/engines';
import { ScanError } from '../../errors';
import type { IntakeItem, SkippedEntry } from '../../intake/types';
import { toBatch, type BatchRow } from '../rows';
import { changes, preparedRow, row, rows, type Queryable } from './db';
import { enqueueItems } from './jobs';

/** store/batches.ts for PostgreSQL: batches and their items. */

interface StatusCount {
  batch_id: number;
  status: ItemStatus;
  n: number;
  codes: number | null;
}

function foldCounts(list: StatusCount[]): BatchCounts {
  const c: BatchCounts = { total: 0, pending: 0, done: 0, failed: 0, cancelled: 0, skipped: 0, codes: 0 };
  for (const r of list) {
    c.codes += r.codes ?? 0;
    if (r.status !== 'skipped') c.total += r.n;
    if (r.status === 'running' || r.status === 'pending') c.pending += r.n;
    else c[r.status] += r.n;
  }
  return c;
}

const COUNTS = `SELECT batch_id, status, count(*) AS n, sum(detection_count) AS codes FROM items`;
const STOPPED = `SELECT batch_id, engine, min(error_code) AS code, min(error_message) AS message, count(DISTINCT item_id) AS pages FROM jobs WHERE status = 'blocked'`;
const ENGINES = `SELECT batch_id, engine, min(id) AS first FROM jobs`;
type StoppedRow = StoppedEngine & { batch_id: number };

function toStopped(list: StoppedRow[]): StoppedEngine[] {
  return list.map((r) => ({ engine: r.engine, code: r.code ?? 'INTERNAL', message: r.message ?? '', pages: r.pages }));
}

function group<T extends { batch_id: number }>(list: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of list) m.set(r.batch_id, [...(m.get(r.batch_id) ?? []), r]);
  return m;
}

export async function insertBatchRow(db: Queryable, name: string, plan: EnginePlan, createdAt: string): Promise<number> {
  return (await row<{ id: number }>(db, `INSERT INTO batches (name, created_at, status, plan_json) VALUES ($1, $2, 'running', $3) RETURNING id`, [
    name,
    createdAt,
    JSON.stringify(plan),
  ]))!.id;
}

/**
 * Items (and skipped files) in a few statements whatever their number, with the primary jobs of
 * the runnable ones. Answers the items' ids in input order and how many got a job.
 */
export async function insertItems(
  db: Queryable,
  batchId: number,
  plan: EnginePlan,
  items: IntakeItem[],
  skipped: SkippedEntry[],
): Promise<{ itemIds: number[]; runnable: number }> {
  const itemIds: number[] = [];
  const runnableIds: number[] = [];
  const CHUNK = 5000;
  for (let start = 0; start < items.length; start += CHUNK) {
    const part = items.slice(start, start + CHUNK);
    const cols = {
      path: [] as string[],
      name: [] as string[],
      page: [] as number[],
      pageCount: [] as number[],
      format: [] as Array<string | null>,
      size: [] as number[],
      sha: [] as Array<string | null>,
      status: [] as string[],
      code: [] as Array<string | null>,
      message: [] as Array<string | null>,
    };
    const runnable = part.map((it) => it.error === null && it.sha256 !== null && it.format !== null);
    part.forEach((it, i) => {
      const error = it.error ?? (runnable[i] ? null : { code: 'INTERNAL', message: 'Intake gave no format or checksum for this page.' });
      cols.path.push(it.path);
      cols.name.push(basename(it.path));
      cols.page.push(it.page);
      cols.pageCount.push(it.pageCount);
      cols.format.push(it.format);
      cols.size.push(it.size);
      cols.sha.push(it.sha256);
      cols.status.push(runnable[i] ? 'pending' : 'failed');
      cols.code.push(error?.code ?? null);
      cols.message.push(error?.message ?? null);
    });
    // Identity values follow insertion order, which follows ORDER BY ord: sorted ids map back to the input.
    const ids = (
      await rows<{ id: number }>(
        db,
        `INSERT INTO items (batch_id, path, name, page, page_count, format, size, sha256, status, error_code, error_message)
         SELECT $1, path, name, page, page_count, format, size, sha256, status, error_code, error_message
         FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])
              WITH ORDINALITY AS t(path, name, page, page_count, format, size, sha256, status, error_code, error_message, ord)
         ORDER BY ord RETURNING id`,
        [batchId, cols.path, cols.name, cols.page, cols.pageCount, cols.format, cols.size, cols.sha, cols.status, cols.code, cols.message],
      )
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    ids.forEach((id, i) => {
      itemIds.push(id);
      if (runnable[i]) runnableIds.push(id);
    });
  }
  if (skipped.length > 0) {
    await changes(
      db,
      `INSERT INTO items (batch_id, path, name, page, page_count, format, size, sha256, status, error_code, error_message)
       SELECT $1, path, name, 1, 0, NULL, 0, NULL, 'skipped', 'UNSUPPORTED_FORMAT', reason
       FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(path, name, reason, ord) ORDER BY ord`,
      [batchId, skipped.map((s) => s.path), skipped.map((s) => basename(s.path)), skipped.map((s) => s.reason)],
    );
  }
  await enqueueItems(db, batchId, runnableIds, plan);
  return { itemIds, runnable: runnableIds.length };
}

/** The batch row; `lock` holds it against other writers until the transaction ends. NOT_FOUND when missing. */
export async function batchRow(db: Queryable, batchId: number, lock = false): Promise<BatchRow> {
  const r = await row<BatchRow>(db, `SELECT * FROM batches WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [batchId]);
  if (!r) throw new ScanError('NOT_FOUND', `Batch ${batchId} does not exist.`);
  return r;
}

export async function getBatch(db: Queryable, batchId: number): Promise<BatchSummary> {
  const b = await batchRow(db, batchId);
  const counts = await rows<StatusCount>(db, `${COUNTS} WHERE batch_id = $1 GROUP BY batch_id, status`, [batchId]);
  const stopped = await rows<StoppedRow>(db, `${STOPPED} AND batch_id = $1 GROUP BY batch_id, engine ORDER BY engine`, [batchId]);
  const engines = await rows<{ engine: string }>(db, `${ENGINES} WHERE batch_id = $1 GROUP BY batch_id, engine ORDER BY first`, [batchId]);
  return toBatch(b, foldCounts(counts), toStopped(stopped), engines.map((e) => e.engine));
}

export async function listBatches(db: Queryable): Promise<BatchSummary[]> {
  const list = await rows<BatchRow>(db, `SELECT * FROM batches ORDER BY id DESC`);
  const counts = group(await rows<StatusCount>(db, `${COUNTS} GROUP BY batch_id, status`));
  const stopped = group(await rows<StoppedRow>(db, `${STOPPED} GROUP BY batch_id, engine ORDER BY engine`));
  const used = group(await rows<{ batch_id: number; engine: string }>(db, `${ENGINES} GROUP BY batch_id, engine ORDER BY batch_id, first`));
  return list.map((r) =>
    toBatch(
      r,
      foldCounts(counts.get(r.id) ?? []),
      toStopped(stopped.get(r.id) ?? []),
      (used.get(r.id) ?? []).map((u) => u.engine),
    ),
  );
}

export async function setBatchStatus(db: Queryable, batchId: number, status: BatchStatus): Promise<void> {
  await changes(db, `UPDATE batches SET status = $1 WHERE id = $2`, [status, batchId]);
}

export async function unreadItems(db: Queryable, batchId: number): Promise<Array<{ id: number; path: string; page: number }>> {
  return rows(
    db,
    `SELECT id, path, page FROM items WHERE batch_id = $1 AND status = 'failed'
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id) ORDER BY id`,
    [batchId],
  );
}

export async function reviveItem(db: Queryable, itemId: number, it: IntakeItem): Promise<boolean> {
  return (
    (await changes(
      db,
      `UPDATE items SET format = $1, size = $2, sha256 = $3, page_count = $4, status = 'pending', error_code = NULL, error_message = NULL
       WHERE id = $5 AND status = 'failed'`,
      [it.format, it.size, it.sha256, it.pageCount, itemId],
    )) === 1
  );
}

export async function setItemError(db: Queryable, itemId: number, error: { code: string; message: string }): Promise<void> {
  await changes(db, `UPDATE items SET error_code = $1, error_message = $2 WHERE id = $3 AND status = 'failed'`, [error.code, error.message, itemId]);
}

/** A running batch with pages waiting or in flight (then settling it changes nothing). */
export async function stillBusy(db: Queryable, batchId: number): Promise<boolean> {
  const r = await preparedRow<{ busy: boolean }>(
    db,
    'scandesk_still_busy',
    `SELECT b.status = 'running' AND EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = b.id AND j.status IN ('pending','running')) AS busy
     FROM batches b WHERE b.id = $1`,
    [batchId],
  );
  return r?.busy === true;
}
