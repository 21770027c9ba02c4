import type { SeparationRule } from '../../../shared/documents';
import type { ExpectedListInfo } from '../../../shared/reconciliation';
import type { Db } from './db';
import { getExpectedInfo, getExpectedValues, setExpected, type ExpectedListInput } from './expected';
import { pageSources, pageValues, type PageSourceRow, type PageValues } from './page-values';
import { getSeparation, setSeparation } from './separation';

/**
 * What the per-batch features beside the queue (documents, reconciliation, the export's extra
 * columns) keep and read in the store: a batch's separation rule, its expected list, and its
 * pages with their code values. One interface, both stores (SQLite: this module; PostgreSQL:
 * pg/batch-data.ts), covered by the store contract.
 */
export interface BatchData {
  /** The batch's name; NOT_FOUND when it does not exist. */
  batchName(batchId: number): Promise<string>;
  getSeparation(batchId: number): Promise<SeparationRule | null>;
  /** Sets (or, with null, removes) the batch's rule; NOT_FOUND when there is no such batch. */
  setSeparation(batchId: number, rule: SeparationRule | null): Promise<void>;
  getExpectedInfo(batchId: number): Promise<ExpectedListInfo | null>;
  /** The list's values in its order. */
  getExpectedValues(batchId: number): Promise<string[]>;
  /** Replaces the batch's list in one transaction (values already distinct); null removes it. Answers it as stored. */
  setExpected(batchId: number, list: ExpectedListInput | null): Promise<ExpectedListInfo | null>;
  /** The batch's pages in intake order with their code values, streamed (a few hundred pages in memory at most). */
  pageValues(batchId: number): AsyncIterable<PageValues>;
  /** Where each page's pixels come from (skipped files left out), by item id. */
  pageSources(batchId: number): Promise<Map<number, PageSourceRow>>;
}

/** The SQLite side: the writer connection for the small tables, a read-only one per page stream. */
export function sqliteBatchData(db: Db, openReadonly: () => Db, batchName: (batchId: number) => string): BatchData {
  return {
    async batchName(batchId) {
      return batchName(batchId);
    },
    async getSeparation(batchId) {
      return getSeparation(db, batchId);
    },
    async setSeparation(batchId, rule) {
      batchName(batchId);
      setSeparation(db, batchId, rule);
    },
    async getExpectedInfo(batchId) {
      return getExpectedInfo(db, batchId);
    },
    async getExpectedValues(batchId) {
      return getExpectedValues(db, batchId);
    },
    async setExpected(batchId, list) {
      batchName(batchId);
      setExpected(db, batchId, list);
      return getExpectedInfo(db, batchId);
    },
    async *pageValues(batchId) {
      // Its own read-only connection: the caller awaits between pages, and an open statement
      // on the writer's connection would block every write meanwhile.
      const ro = openReadonly();
      try {
        yield* pageValues(ro, batchId);
      } finally {
        ro.close();
      }
    },
    async pageSources(batchId) {
      return pageSources(db, batchId);
    },
  };
}
