import type pg from 'pg';
import type { BatchData } from '../batch-data';
import { batchRow } from './batches';
import { transaction } from './db';
import { getExpectedInfo, getExpectedValues, setExpected } from './expected';
import { pageSources, pageValues } from './page-values';
import { getSeparation, setSeparation } from './separation';

/** PostgreSQL side of store/batch-data.ts, over the store's pool. */
export function pgBatchData(pool: pg.Pool): BatchData {
  return {
    async batchName(batchId) {
      return (await batchRow(pool, batchId)).name;
    },
    getSeparation: (batchId) => getSeparation(pool, batchId),
    setSeparation: (batchId, rule) =>
      transaction(pool, async (db) => {
        await batchRow(db, batchId, true);
        await setSeparation(db, batchId, rule);
      }),
    getExpectedInfo: (batchId) => getExpectedInfo(pool, batchId),
    getExpectedValues: (batchId) => getExpectedValues(pool, batchId),
    setExpected: (batchId, list) =>
      transaction(pool, async (db) => {
        // Locked: two desks importing at once replace the list one after the other.
        await batchRow(db, batchId, true);
        await setExpected(db, batchId, list);
        return getExpectedInfo(db, batchId);
      }),
    async *pageValues(batchId) {
      await batchRow(pool, batchId);
      yield* pageValues(pool, batchId);
    },
    pageSources: (batchId) => pageSources(pool, batchId),
  };
}
