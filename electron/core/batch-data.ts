import type { Db } from './store/db';

/**
 * What the per-batch features beside the queue (documents, reconciliation) need from the
 * profile's store: the writer connection for their own small tables, a read-only connection
 * to stream a batch's pages on (closed by the caller), and the batch's name (NOT_FOUND when it
 * does not exist).
 */
export interface BatchData {
  db: Db;
  openReadonly(): Db;
  batchName(batchId: number): string;
}

/** Runs `fn` on a read-only connection of its own, closed after. */
export async function withReadonly<T>(data: BatchData, fn: (ro: Db) => T | Promise<T>): Promise<T> {
  const ro = data.openReadonly();
  try {
    return await fn(ro);
  } finally {
    ro.close();
  }
}
