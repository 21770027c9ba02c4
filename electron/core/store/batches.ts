import { basename } from 'node:path';
import type { BatchStatus, BatchSummary } from '../../../shared/batch';
import type { EnginePlan } from '../../../shared/engines';
import { ScanError } from '../errors';
import type { IntakeItem, SkippedEntry } from '../intake/types';
import type { Db } from './db';
import { toBatch, toCounts, type BatchRow, type CountsRow } from './rows';
import { stmt } from './statements';

const COUNTS = `
  count(*) AS total,
  sum(status IN ('pending','running')) AS pending,
  sum(status = 'done') AS done,
  sum(status = 'failed') AS failed,
  sum(status = 'cancelled') AS cancelled,
  sum(status = 'skipped') AS skipped,
  sum(detection_count) AS codes`;

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
  const counts = stmt(db, `SELECT ${COUNTS} FROM items WHERE batch_id = ?`).get(batchId) as CountsRow;
  return toBatch(row, toCounts(counts));
}

export function listBatches(db: Db): BatchSummary[] {
  const rows = stmt(db, `SELECT * FROM batches ORDER BY id DESC`).all() as BatchRow[];
  const counts = stmt(db, `SELECT batch_id, ${COUNTS} FROM items GROUP BY batch_id`).all() as Array<
    CountsRow & { batch_id: number }
  >;
  const byBatch = new Map(counts.map((c) => [c.batch_id, c]));
  return rows.map((r) => toBatch(r, toCounts(byBatch.get(r.id))));
}

export function setBatchStatus(db: Db, batchId: number, status: BatchStatus): void {
  stmt(db, `UPDATE batches SET status = ? WHERE id = ?`).run(status, batchId);
}

export function deleteBatchRows(db: Db, batchId: number): void {
  batchRow(db, batchId);
  stmt(db, `DELETE FROM batches WHERE id = ?`).run(batchId);
}
