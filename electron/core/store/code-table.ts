import type { CodeFacets, CodeQuery, CodeRow } from '../../../shared/code-table';
import type { DetectionEngine, DetectionKind, ReviewStatus } from '../../../shared/detection';
import type { Db } from './db';
import { MAX_PAGE, whole } from './items';
import { stmt } from './statements';
import { isPersonalData } from '../../../shared/personal-data';
import type { RuleBreak, RuleVerdict } from '../../../shared/rules/types';
import { ScanError } from '../errors';

/**
 * The results table (issue 9): a batch's detections, one row per code (another engine's copy
 * of a code, detections.merged_into, folds into the first one's row with its engine in
 * foundBy), in intake order, filtered by symbology, engine (any engine that read the code) and
 * verdict, paged with LIMIT/OFFSET over the items_batch and detections_item indexes.
 */

/** A row as both stores read it (the PostgreSQL counterpart is pg/code-table.ts). */
export interface CodeRowRecord {
  id: number | string;
  item_id: number | string;
  path: string;
  page: number;
  page_count: number;
  kind: DetectionKind;
  symbology: string;
  field: string | null;
  text: string;
  corrected_text: string | null;
  review: ReviewStatus;
  engine: DetectionEngine;
  extra_json: string | null;
  /** The code's rule breaks (JSON RuleBreak[]) and its page's own; NULL: not judged. */
  code_rule: string | null;
  page_rule: string | null;
  /** The other engines that read the same code here, comma-separated (null: none). */
  others: string | null;
}

export function toCodeRow(r: CodeRowRecord): CodeRow {
  return {
    id: Number(r.id),
    itemId: Number(r.item_id),
    path: r.path,
    page: r.page,
    pageCount: r.page_count,
    kind: r.kind,
    symbology: r.symbology,
    field: r.field,
    text: r.text,
    correctedText: r.corrected_text,
    review: r.review,
    foundBy: [r.engine, ...((r.others ? r.others.split(',') : []) as DetectionEngine[])],
    personal: isPersonalData({ kind: r.kind, field: r.field, extra: r.extra_json ? (JSON.parse(r.extra_json) as Record<string, unknown>) : null }),
    ...(r.code_rule !== null ? { rule: verdict(JSON.parse(r.code_rule) as RuleBreak[]) } : {}),
    ...(r.page_rule !== null ? { pageRule: JSON.parse(r.page_rule) as RuleBreak[] } : {}),
  };
}

/** Offset and limit as the store applies them (the contract bounds them too). */
export function codePage(q: CodeQuery): { offset: number; limit: number } {
  return { offset: Math.max(0, whole(q.offset, 0)), limit: Math.min(MAX_PAGE, Math.max(0, whole(q.limit, 200))) };
}

export function listCodes(db: Db, batchId: number, q: CodeQuery = {}): { total: number; rows: CodeRow[] } {
  const where = [`i.batch_id = @batchId`, `d.merged_into IS NULL`];
  const params: Record<string, unknown> = { batchId, ...codePage(q) };
  if (q.symbology !== undefined) {
    where.push(`d.symbology = @symbology`);
    params.symbology = q.symbology;
  }
  if (q.review !== undefined) {
    where.push(`d.review = @review`);
    params.review = q.review;
  }
  if (q.ruleBreaks) where.push(RULE_BREAKS_SQL);
  if (q.engine !== undefined) {
    where.push(`(d.engine = @engine OR EXISTS (SELECT 1 FROM detections m WHERE m.merged_into = d.id AND m.engine = @engine))`);
    params.engine = q.engine;
  }
  const from = `FROM items i JOIN detections d ON d.item_id = i.id WHERE ${where.join(' AND ')}`;
  const { limit, offset, ...countParams } = params;
  void limit;
  void offset;
  const total = (stmt(db, `SELECT count(*) AS n ${from}`).get(countParams) as { n: number }).n;
  const rows = stmt(
    db,
    `SELECT d.id, d.item_id, i.path, i.page, i.page_count, d.kind, d.symbology, d.field, d.text, d.corrected_text, d.review, d.engine, d.extra_json, d.rule_json AS code_rule, i.rule_json AS page_rule,
            (SELECT group_concat(m.engine) FROM detections m WHERE m.merged_into = d.id) AS others
       ${from} ORDER BY i.id, d.id LIMIT @limit OFFSET @offset`,
  ).all(params) as CodeRowRecord[];
  return { total, rows: rows.map(toCodeRow) };
}

/** The symbologies and engines present in a batch (the table's filter choices), sorted. */
export function codeFacets(db: Db, batchId: number): CodeFacets {
  const symbologies = stmt(db, `SELECT DISTINCT d.symbology AS v FROM items i JOIN detections d ON d.item_id = i.id WHERE i.batch_id = ? ORDER BY 1`).all(batchId) as Array<{ v: string }>;
  const engines = stmt(db, `SELECT DISTINCT d.engine AS v FROM items i JOIN detections d ON d.item_id = i.id WHERE i.batch_id = ? ORDER BY 1`).all(batchId) as Array<{ v: DetectionEngine }>;
  return { symbologies: symbologies.map((r) => r.v), engines: engines.map((r) => r.v) };
}

/** Where a page sits among the batch's pages as the unfiltered grid lists them (NOT_FOUND when it is not one of them). */
export function itemPosition(db: Db, batchId: number, itemId: number): { index: number; total: number } {
  const r = stmt(
    db,
    `SELECT (SELECT count(*) FROM items WHERE batch_id = @batchId AND status <> 'skipped' AND id < @itemId) AS before,
            (SELECT count(*) FROM items WHERE batch_id = @batchId AND status <> 'skipped') AS total,
            EXISTS (SELECT 1 FROM items WHERE id = @itemId AND batch_id = @batchId AND status <> 'skipped') AS here`,
  ).get({ batchId, itemId }) as { before: number; total: number; here: number };
  if (!r.here) throw notInBatch(batchId, itemId);
  return { index: r.before, total: r.total };
}

export function notInBatch(batchId: number, itemId: number): ScanError {
  return new ScanError('NOT_FOUND', `Page ${itemId} is not a page of batch ${batchId}.`);
}

function verdict(breaks: RuleBreak[]): RuleVerdict {
  return { ok: breaks.length === 0, breaks };
}

/** The rule-break filter's condition (both stores): the code breaks a rule, or its page does. */
export const RULE_BREAKS_SQL = `((d.rule_json IS NOT NULL AND d.rule_json <> '[]') OR (i.rule_json IS NOT NULL AND i.rule_json <> '[]'))`;
