import type { ExpectedListInfo, Reconciliation } from '../../../shared/reconciliation';
import type { BatchData } from '../store/batch-data';
import type { PageValues } from '../store/page-values';
import { readExpectedList, type ExpectedListOptions } from './expected-list';
import { ReconciliationBuilder } from './reconcile';

export interface BatchReconciliation {
  list: ExpectedListInfo;
  result: Reconciliation;
}

export interface ExpectedImport {
  list: ExpectedListInfo;
  /** Values listed more than once (kept once). */
  repeated: number;
  header: boolean;
}

/** A batch's expected list and how the batch stands against it. */
export interface ReconciliationApi {
  /** Reads a CSV/XLSX column (see expected-list.ts) and makes it the batch's list. */
  importList(batchId: number, bytes: Uint8Array, options: ExpectedListOptions & { source: string }): Promise<ExpectedImport>;
  /** Values already read (pasted, or parsed by the caller); null removes the list. */
  setList(batchId: number, list: { source: string; column: string; values: string[] } | null): Promise<ExpectedListInfo | null>;
  /** Null when the batch has no expected list. */
  get(batchId: number): Promise<BatchReconciliation | null>;
}

export async function reconcilePages(pages: AsyncIterable<PageValues> | Iterable<PageValues>, expected: string[]): Promise<Reconciliation> {
  const builder = new ReconciliationBuilder(expected);
  for await (const p of pages) builder.add({ itemId: p.itemId, path: p.path, page: p.page }, p.values);
  return builder.finish();
}

export function reconciliationApi(data: BatchData): ReconciliationApi {
  const store = async (batchId: number, source: string, column: string, values: string[]): Promise<ExpectedListInfo> =>
    (await data.setExpected(batchId, { info: { source: source.slice(0, 255), column: column.slice(0, 255), importedAt: new Date().toISOString() }, values }))!;
  return {
    async importList(batchId, bytes, options) {
      await data.batchName(batchId);
      const parsed = await readExpectedList(bytes, options);
      return { list: await store(batchId, options.source, parsed.column, parsed.values), repeated: parsed.repeated, header: parsed.header };
    },
    async setList(batchId, list) {
      if (list === null) return data.setExpected(batchId, null);
      return store(batchId, list.source, list.column, [...new Set(list.values.map((v) => v.trim()).filter(Boolean))]);
    },
    async get(batchId) {
      await data.batchName(batchId);
      const list = await data.getExpectedInfo(batchId);
      if (!list) return null;
      const result = await reconcilePages(data.pageValues(batchId), await data.getExpectedValues(batchId));
      return { list, result };
    },
  };
}
