import type { AppError, ErrorCode } from '../../../shared/errors';
import type { BatchCounts, BatchStatus, BatchSummary, ItemStatus, ItemSummary, StoppedEngine } from '../../../shared/batch';
import type { Detection, DetectionKind, ReviewStatus, StoredDetection } from '../../../shared/detection';
import type { EngineId, EnginePlan } from '../../../shared/engines';
import type { Geometry } from '../../../shared/geometry';
import type { PageRuleVerdict, RuleBreak } from '../../../shared/rules/types';

/** Raw row shapes as SQLite returns them, and their mapping to the shared types. */
export interface BatchRow {
  id: number;
  name: string;
  created_at: string;
  status: BatchStatus;
  plan_json: string;
  /** Set while intake still adds pages (store/intake-state.ts). */
  intake_json?: string | null;
}

export interface ItemRow {
  id: number;
  batch_id: number;
  path: string;
  page: number;
  page_count: number;
  status: ItemStatus;
  error_code: string | null;
  error_message: string | null;
  width: number | null;
  height: number | null;
  detection_count: number;
  review_pending: number;
  checked_no_code: number;
  /** The page's own rule breaks (JSON RuleBreak[]); NULL: not judged (no rules). */
  rule_json: string | null;
  rule_breaks: number;
}

export interface DetectionRow {
  id: number;
  item_id: number;
  engine: string;
  kind: string;
  symbology: string;
  text: string;
  bytes_base64: string | null;
  field: string | null;
  geometry_json: string;
  extra_json: string | null;
  review: ReviewStatus;
  corrected_text: string | null;
  /** The code's rule breaks (JSON RuleBreak[], [] = passes); NULL: not judged. */
  rule_json?: string | null;
}

export function toBatch(r: BatchRow, counts: BatchCounts, stopped: StoppedEngine[], engines: string[] = []): BatchSummary {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    status: r.status,
    plan: JSON.parse(r.plan_json) as EnginePlan,
    counts,
    stopped,
    engines,
    ...(r.intake_json ? { expanding: true } : {}),
  };
}

export function toError(code: string | null, message: string | null): AppError | null {
  return code === null ? null : { code: code as ErrorCode, message: message ?? '' };
}

export function toItem(r: ItemRow): ItemSummary {
  return {
    id: r.id,
    batchId: r.batch_id,
    path: r.path,
    page: r.page,
    pageCount: r.page_count,
    status: r.status,
    error: toError(r.error_code, r.error_message),
    detectionCount: r.detection_count,
    reviewPending: r.review_pending,
    checkedNoCode: r.checked_no_code === 1,
    width: r.width,
    height: r.height,
    ...pageRule(r.rule_json, r.rule_breaks),
  };
}

/** A page's stored verdict as ItemSummary.rule (absent when it was not judged). */
export function pageRule(json: string | null, breaks: number): { rule?: PageRuleVerdict } {
  return json === null ? {} : { rule: { breaks, page: JSON.parse(json) as RuleBreak[] } };
}

export function toDetection(r: DetectionRow): StoredDetection {
  const d: StoredDetection = {
    id: r.id,
    itemId: r.item_id,
    kind: r.kind as DetectionKind,
    symbology: r.symbology,
    text: r.text,
    geometry: JSON.parse(r.geometry_json) as Geometry,
    engine: r.engine as EngineId,
    review: r.review,
    correctedText: r.corrected_text,
  };
  if (r.bytes_base64 !== null) d.bytesBase64 = r.bytes_base64;
  if (r.field !== null) d.field = r.field;
  if (r.extra_json !== null) d.extra = JSON.parse(r.extra_json) as Record<string, unknown>;
  if (r.rule_json !== undefined && r.rule_json !== null) {
    const breaks = JSON.parse(r.rule_json) as RuleBreak[];
    d.rule = { ok: breaks.length === 0, breaks };
  }
  return d;
}

/** The columns a Detection is stored in (shared by fresh results and cache copies). */
export function detectionColumns(
  d: Detection,
): Pick<DetectionRow, 'kind' | 'symbology' | 'text' | 'bytes_base64' | 'field' | 'geometry_json' | 'extra_json'> {
  return {
    kind: d.kind,
    symbology: d.symbology,
    text: d.text,
    bytes_base64: d.bytesBase64 ?? null,
    field: d.field ?? null,
    geometry_json: JSON.stringify(d.geometry),
    extra_json: d.extra === undefined ? null : JSON.stringify(d.extra),
  };
}
