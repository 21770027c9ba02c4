import type { EngineId, Task } from '../../../shared/engines';
import type { RecognizeResult } from '../engines/engine';
import type { Db } from './db';
import { copyResultImages, storeResultImages } from './result-images';
import { detectionColumns } from './rows';
import { stmt } from './statements';

/**
 * Engines' results and the results cache. A result is stored with what makes every number in
 * an export traceable (engine build, request id, bytes sent, scale, page size); the cache maps
 * the decoded bytes' hash + page + engine + task + options to a stored result, so the same page
 * is never sent to a vendor twice. Images a vendor returned with a result (store/result-images.ts)
 * are kept with it, and copied with a cached copy.
 */
export interface CacheKey {
  sha256: string;
  page: number;
  engine: EngineId;
  task: Task;
  optionsKey: string;
}

/** What a job stored: the engine's fresh answer, or a copy of a cached result. */
export type Outcome = { fresh: RecognizeResult } | { reusedFrom: number };

export interface StoredResult {
  resultId: number;
  detections: number;
  width: number;
  height: number;
}

/** A stored result to reuse instead of calling the engine (same bytes, engine, task, options). */
export function findCached(db: Db, key: CacheKey): number | null {
  const r = stmt(
    db,
    `SELECT result_id FROM result_cache WHERE sha256 = ? AND page = ? AND engine = ? AND task = ? AND options_key = ?`,
  ).get(key.sha256, key.page, key.engine, key.task, key.optionsKey) as { result_id: number } | undefined;
  return r?.result_id ?? null;
}

/** Stores a job's result with its detections and caches it under `key` (first one wins). */
export function storeResult(
  db: Db,
  job: { id: number; itemId: number; engine: EngineId; task: Task },
  outcome: Outcome,
  key: CacheKey,
  now: number,
): StoredResult {
  const stored = 'fresh' in outcome ? insertFresh(db, job, outcome.fresh, now) : copyCached(db, job, outcome.reusedFrom, now);
  stmt(db, `INSERT OR IGNORE INTO result_cache (sha256, page, engine, task, options_key, result_id) VALUES (?, ?, ?, ?, ?, ?)`).run(
    key.sha256,
    key.page,
    key.engine,
    key.task,
    key.optionsKey,
    stored.resultId,
  );
  return stored;
}

function insertFresh(db: Db, job: { id: number; itemId: number; engine: EngineId; task: Task }, r: RecognizeResult, now: number): StoredResult {
  const resultId = Number(
    stmt(
      db,
      `INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale,
                            page_width, page_height, reused_from, notices_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    ).run(
      job.id,
      job.itemId,
      job.engine,
      job.task,
      r.engineVersion,
      r.requestId ?? null,
      r.bytesSent ?? null,
      r.scale ?? null,
      r.pageWidth,
      r.pageHeight,
      r.notices?.length ? JSON.stringify(r.notices) : null,
      now,
    ).lastInsertRowid,
  );
  const ins = stmt(
    db,
    `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
     VALUES (@resultId, @itemId, @ord, @engine, @kind, @symbology, @text, @bytes_base64, @field, @geometry_json, @extra_json)`,
  );
  r.detections.forEach((d, ord) => ins.run({ resultId, itemId: job.itemId, ord, engine: job.engine, ...detectionColumns(d) }));
  storeResultImages(db, resultId, r.images);
  return { resultId, detections: r.detections.length, width: r.pageWidth, height: r.pageHeight };
}

/** A copy of a cached result for this job's page (0 bytes sent; reused_from names the original). */
function copyCached(db: Db, job: { id: number; itemId: number; engine: EngineId; task: Task }, sourceId: number, now: number): StoredResult {
  const src = stmt(db, `SELECT * FROM results WHERE id = ?`).get(sourceId) as {
    id: number;
    engine_version: string;
    request_id: string | null;
    scale: number | null;
    page_width: number;
    page_height: number;
  };
  const resultId = Number(
    stmt(
      db,
      `INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale,
                            page_width, page_height, reused_from, notices_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, NULL, ?)`,
    ).run(job.id, job.itemId, job.engine, job.task, src.engine_version, src.request_id, src.scale, src.page_width, src.page_height, src.id, now)
      .lastInsertRowid,
  );
  const detections = stmt(
    db,
    `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
     SELECT ?, ?, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json
     FROM detections WHERE result_id = ? ORDER BY ord`,
  ).run(resultId, job.itemId, src.id).changes;
  copyResultImages(db, src.id, resultId);
  return { resultId, detections, width: src.page_width, height: src.page_height };
}
