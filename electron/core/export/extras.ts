import type { BatchData } from '../store/batch-data';
import { compileRule } from '../documents/rule';
import { DocumentBuilder } from '../documents/separate';
import { ReconciliationBuilder, standingIndex } from '../reconcile/reconcile';
import type { ExportExtras } from './types';

/**
 * What a batch's export adds when the batch is separated into documents or has an expected
 * list: computed in one streamed pass over its pages before the rows are written (whether a
 * value is a duplicate is only known once every page was seen). Undefined when it has neither.
 */
export async function exportExtras(data: BatchData, batchId: number): Promise<ExportExtras | undefined> {
  const rule = await data.getSeparation(batchId);
  const list = await data.getExpectedInfo(batchId);
  if (!rule && !list) return undefined;
  const docs = rule ? new DocumentBuilder(compileRule(rule), await data.batchName(batchId)) : null;
  const recon = list ? new ReconciliationBuilder(await data.getExpectedValues(batchId)) : null;
  const placements = new Map<number, { document: number; separator: boolean }>();
  for await (const p of data.pageValues(batchId)) {
    const at = docs?.add(p);
    if (at) placements.set(p.itemId, at);
    recon?.add({ itemId: p.itemId, path: p.path, page: p.page }, p.values);
  }
  const extras: ExportExtras = {};
  if (docs) extras.documents = { list: docs.finish(), placementOf: (itemId) => placements.get(itemId) ?? null };
  if (recon && list) {
    const result = recon.finish();
    extras.reconciliation = { list, result, standingOf: standingIndex(result) };
  }
  return extras;
}
