import type { CodeFacets, CodeQuery, CodeRow } from '../../../../shared/code-table';
import type { DetectionEngine } from '../../../../shared/detection';
import { RULE_BREAKS_SQL, codePage, notInBatch, toCodeRow, type CodeRowRecord } from '../code-table';
import { row, rows, type Queryable } from './db';

/** store/code-table.ts for PostgreSQL: the results table's paged, filtered detections. */

export async function listCodes(db: Queryable, batchId: number, q: CodeQuery = {}): Promise<{ total: number; rows: CodeRow[] }> {
  const where = [`i.batch_id = $1`, `d.merged_into IS NULL`];
  const params: unknown[] = [batchId];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  if (q.symbology !== undefined) add((p) => `d.symbology = ${p}`, q.symbology);
  if (q.review !== undefined) add((p) => `d.review = ${p}`, q.review);
  if (q.ruleBreaks) where.push(RULE_BREAKS_SQL);
  if (q.engine !== undefined) add((p) => `(d.engine = ${p} OR EXISTS (SELECT 1 FROM detections m WHERE m.merged_into = d.id AND m.engine = ${p}))`, q.engine);
  const from = `FROM items i JOIN detections d ON d.item_id = i.id WHERE ${where.join(' AND ')}`;
  const total = Number((await row<{ n: string }>(db, `SELECT count(*) AS n ${from}`, params))!.n);
  const { offset, limit } = codePage(q);
  const n = params.length;
  const list = await rows<CodeRowRecord>(
    db,
    `SELECT d.id, d.item_id, i.path, i.page, i.page_count, d.kind, d.symbology, d.field, d.text, d.corrected_text, d.review, d.engine, d.extra_json, d.rule_json AS code_rule, i.rule_json AS page_rule,
            (SELECT string_agg(m.engine, ',' ORDER BY m.id) FROM detections m WHERE m.merged_into = d.id) AS others
       ${from} ORDER BY i.id, d.id LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, limit, offset],
  );
  return { total, rows: list.map(toCodeRow) };
}

export async function codeFacets(db: Queryable, batchId: number): Promise<CodeFacets> {
  const of = (col: string) => rows<{ v: string }>(db, `SELECT DISTINCT d.${col} AS v FROM items i JOIN detections d ON d.item_id = i.id WHERE i.batch_id = $1 ORDER BY 1`, [batchId]);
  return { symbologies: (await of('symbology')).map((r) => r.v), engines: (await of('engine')).map((r) => r.v as DetectionEngine) };
}

export async function itemPosition(db: Queryable, batchId: number, itemId: number): Promise<{ index: number; total: number }> {
  const r = (await row<{ before: string; total: string; here: boolean }>(
    db,
    `SELECT (SELECT count(*) FROM items WHERE batch_id = $1 AND status <> 'skipped' AND id < $2) AS before,
            (SELECT count(*) FROM items WHERE batch_id = $1 AND status <> 'skipped') AS total,
            EXISTS (SELECT 1 FROM items WHERE id = $2 AND batch_id = $1 AND status <> 'skipped') AS here`,
    [batchId, itemId],
  ))!;
  if (!r.here) throw notInBatch(batchId, itemId);
  return { index: Number(r.before), total: Number(r.total) };
}
