import { basename } from 'node:path';
import type { BatchCounts, BatchStatus, BatchSummary, ItemStatus, StoppedEngine } from '../../../shared/batch';
import type { EnginePlan } from '../../../shared/engines';
import { ScanError } from '../errors';
import type { IntakeItem, SkippedEntry } from '../intake/types';
import type { Db } from './db';
import { toBatch, type BatchRow } from './rows';
import { stmt } from './statements';

/**
 * Counts by status in one GROUP BY over the covering index items_batch_counts (migration 002):
 * a few ms at 20,000 pages, where per-row sums cost several times more.
 */
const COUNTS_BY_STATUS = `SELECT batch_id, status, count(*) AS n, sum(detection_count) AS codes FROM items`;

interface StatusCount {
  batch_id: number;
  status: ItemStatus;
  n: number;
  codes: number | null;
}

function foldCounts(rows: StatusCount[]): BatchCounts {
  const c: BatchCounts = { total: 0, pending: 0, done: 0, failed: 0, cancelled: 0, skipped: 0, codes: 0 };
  for (const r of rows) {
    c.codes += r.codes ?? 0;
    // Ignored files (not images...) are kept so the user sees why, but they are not pages.
    if (r.status !== 'skipped') c.total += r.n;
    if (r.status === 'running' || r.status === 'pending') c.pending += r.n;
    else c[r.status] += r.n;
  }
  return c;
}

/** Engines stopped per batch: their blocked jobs (index jobs_claim leads with status). */
const STOPPED_ENGINES = `SELECT batch_id, engine, min(error_code) AS code, min(error_message) AS message, count(DISTINCT item_id) AS pages
  FROM jobs WHERE status = 'blocked'`;

type StoppedRow = StoppedEngine & { batch_id: number };

/** The engines of a batch's jobs, first used first (index jobs_batch). */
const ENGINES_USED = `SELECT batch_id, engine, min(id) AS first FROM jobs`;
type EngineUsed = { batch_id: number; engine: string; first: number };

function toStopped(rows: StoppedRow[]): StoppedEngine[] {
  return rows.map((r) => ({ engine: r.engine, code: r.code ?? 'INTERNAL', message: r.message ?? '', pages: r.pages }));
}

export function insertBatchRow(db: Db, name: string, plan: EnginePlan, createdAt: string): number {
  const r = stmt(db, `INSERT INTO batches (name, created_at, status, plan_json) VALUES (?, ?, 'running', ?)`).run(
    name,
    createdAt,
    JSON.stringify(plan),
  );
  return Number(r.lastInsertRowid);
}

/**
 * Stores one intake item. Items intake could not read are stored failed at once with intake's
 * error (the user sees every file, each with its reason); the others start pending.
 */
export function insertItem(db: Db, batchId: number, it: IntakeItem): { id: number; runnable: boolean } {
  const runnable = it.error === null && it.sha256 !== null && it.format !== null;
  const error = it.error ?? (runnable ? null : { code: 'INTERNAL', message: 'Intake gave no format or checksum for this page.' });
  const r = stmt(
    db,
    `INSERT INTO items (batch_id, path, name, page, page_count, format, size, sha256, status, error_code, error_message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    batchId,
    it.path,
    basename(it.path),
    it.page,
    it.pageCount,
    it.format,
    it.size,
    it.sha256,
    runnable ? 'pending' : 'failed',
    error?.code ?? null,
    error?.message ?? null,
  );
  return { id: Number(r.lastInsertRowid), runnable };
}

/** A file intake listed but will not decode (not an image): kept so the user sees why. */
export function insertSkipped(db: Db, batchId: number, s: SkippedEntry): void {
  stmt(
    db,
    `INSERT INTO items (batch_id, path, name, page, page_count, format, size, sha256, status, error_code, error_message)
     VALUES (?, ?, ?, 1, 0, NULL, 0, NULL, 'skipped', 'UNSUPPORTED_FORMAT', ?)`,
  ).run(batchId, s.path, basename(s.path), s.reason);
}

export function batchRow(db: Db, batchId: number): BatchRow {
  const row = stmt(db, `SELECT * FROM batches WHERE id = ?`).get(batchId) as BatchRow | undefined;
  if (!row) throw new ScanError('NOT_FOUND', `Batch ${batchId} does not exist.`);
  return row;
}

export function getBatch(db: Db, batchId: number): BatchSummary {
  const row = batchRow(db, batchId);
  const rows = stmt(db, `${COUNTS_BY_STATUS} WHERE batch_id = ? GROUP BY batch_id, status`).all(batchId) as StatusCount[];
  const stopped = stmt(db, `${STOPPED_ENGINES} AND batch_id = ? GROUP BY batch_id, engine ORDER BY engine`).all(batchId) as StoppedRow[];
  const engines = stmt(db, `${ENGINES_USED} WHERE batch_id = ? GROUP BY batch_id, engine ORDER BY first`).all(batchId) as EngineUsed[];
  return toBatch(row, foldCounts(rows), toStopped(stopped), engines.map((e) => e.engine));
}

export function listBatches(db: Db): BatchSummary[] {
  const rows = stmt(db, `SELECT * FROM batches ORDER BY id DESC`).all() as BatchRow[];
  const counts = stmt(db, `${COUNTS_BY_STATUS} GROUP BY batch_id, status`).all() as StatusCount[];
  const byBatch = new Map<number, StatusCount[]>();
  for (const c of counts) byBatch.set(c.batch_id, [...(byBatch.get(c.batch_id) ?? []), c]);
  const stopped = stmt(db, `${STOPPED_ENGINES} GROUP BY batch_id, engine ORDER BY engine`).all() as StoppedRow[];
  const stoppedBy = new Map<number, StoppedRow[]>();
  for (const s of stopped) stoppedBy.set(s.batch_id, [...(stoppedBy.get(s.batch_id) ?? []), s]);
  const used = stmt(db, `${ENGINES_USED} GROUP BY batch_id, engine ORDER BY batch_id, first`).all() as EngineUsed[];
  const usedBy = new Map<number, string[]>();
  for (const u of used) usedBy.set(u.batch_id, [...(usedBy.get(u.batch_id) ?? []), u.engine]);
  return rows.map((r) => toBatch(r, foldCounts(byBatch.get(r.id) ?? []), toStopped(stoppedBy.get(r.id) ?? []), usedBy.get(r.id) ?? []));
}

export function setBatchStatus(db: Db, batchId: number, status: BatchStatus): void {
  stmt(db, `UPDATE batches SET status = ? WHERE id = ?`).run(status, batchId);
}

export function deleteBatchRows(db: Db, batchId: number): void {
  batchRow(db, batchId);
  stmt(db, `DELETE FROM batches WHERE id = ?`).run(batchId);
}

/** Pages intake could not read (failed without ever getting a job): retryFailed reads them again. */
export function unreadItems(db: Db, batchId: number): Array<{ id: number; path: string; page: number }> {
  return stmt(
    db,
    `SELECT id, path, page FROM items WHERE batch_id = ? AND status = 'failed'
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = items.id) ORDER BY id`,
  ).all(batchId) as Array<{ id: number; path: string; page: number }>;
}

/** A page that intake can now read: it gets intake's facts and waits to be decoded. */
export function reviveItem(db: Db, itemId: number, it: IntakeItem): boolean {
  return (
    stmt(
      db,
      `UPDATE items SET format = ?, size = ?, sha256 = ?, page_count = ?, status = 'pending', error_code = NULL, error_message = NULL
       WHERE id = ? AND status = 'failed'`,
    ).run(it.format, it.size, it.sha256, it.pageCount, itemId).changes === 1
  );
}

export function setItemError(db: Db, itemId: number, error: { code: string; message: string }): void {
  stmt(db, `UPDATE items SET error_code = ?, error_message = ? WHERE id = ? AND status = 'failed'`).run(error.code, error.message, itemId);
}
