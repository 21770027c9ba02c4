import type { EngineId, Task } from '../../../../shared/engines';
import type { RecognizeResult, ResultImage } from '../../engines/engine';
import type { CacheKey, Outcome, StoredResult } from '../results';
import { detectionColumns } from '../rows';
import { changes, row, type Queryable } from './db';

/** store/results.ts and result-images.ts for PostgreSQL: engines' results, their images, and the results cache. */
type JobRef = { id: number; itemId: number; engine: EngineId; task: Task };

export async function findCached(db: Queryable, key: CacheKey): Promise<number | null> {
  const r = await row<{ result_id: number }>(
    db,
    `SELECT result_id FROM result_cache WHERE sha256 = $1 AND page = $2 AND engine = $3 AND task = $4 AND options_key = $5`,
    [key.sha256, key.page, key.engine, key.task, key.optionsKey],
  );
  return r?.result_id ?? null;
}

export async function storeResult(db: Queryable, job: JobRef, outcome: Outcome, key: CacheKey): Promise<StoredResult> {
  if ('fresh' in outcome) return insertFresh(db, job, outcome.fresh, key);
  const stored = await copyCached(db, job, outcome.reusedFrom);
  await cacheUnder(db, key, stored.resultId);
  return stored;
}

async function cacheUnder(db: Queryable, key: CacheKey, resultId: number): Promise<void> {
  await changes(
    db,
    `INSERT INTO result_cache (sha256, page, engine, task, options_key, result_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [key.sha256, key.page, key.engine, key.task, key.optionsKey, resultId],
  );
}

/**
 * The result, its detections (as column arrays, any number) and its cache entry in one
 * statement: one round trip for what a page found. Images (rare) follow.
 */
async function insertFresh(db: Queryable, job: JobRef, r: RecognizeResult, key: CacheKey): Promise<StoredResult> {
  const cols = r.detections.map(detectionColumns);
  const { id: resultId } = (await row<{ id: number }>(
    db,
    `WITH r AS (
       INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale, page_width, page_height, reused_from, notices_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11) RETURNING id),
     d AS (
       INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
       SELECT r.id, $2, t.ord - 1, $3, t.kind, t.symbology, t.text, t.bytes_base64, t.field, t.geometry_json, t.extra_json
       FROM r, unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
              WITH ORDINALITY AS t(kind, symbology, text, bytes_base64, field, geometry_json, extra_json, ord)
       ORDER BY t.ord),
     c AS (
       INSERT INTO result_cache (sha256, page, engine, task, options_key, result_id)
       SELECT $19, $20, $3, $4, $21, r.id FROM r ON CONFLICT DO NOTHING)
     SELECT id FROM r`,
    [
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
      cols.map((c) => c.kind),
      cols.map((c) => c.symbology),
      cols.map((c) => c.text),
      cols.map((c) => c.bytes_base64),
      cols.map((c) => c.field),
      cols.map((c) => c.geometry_json),
      cols.map((c) => c.extra_json),
      key.sha256,
      key.page,
      key.optionsKey,
    ],
  ))!;
  for (const img of r.images ?? []) {
    await changes(
      db,
      `INSERT INTO result_images (result_id, kind, format, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (result_id, kind) DO UPDATE SET format = excluded.format, data = excluded.data`,
      [resultId, img.kind, img.format, img.data],
    );
  }
  return { resultId, detections: r.detections.length, width: r.pageWidth, height: r.pageHeight };
}

async function copyCached(db: Queryable, job: JobRef, sourceId: number): Promise<StoredResult> {
  const copy = (await row<{ id: number; page_width: number; page_height: number }>(
    db,
    `INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale, page_width, page_height, reused_from, notices_json)
     SELECT $1, $2, $3, $4, engine_version, request_id, 0, scale, page_width, page_height, id, NULL FROM results WHERE id = $5
     RETURNING id, page_width, page_height`,
    [job.id, job.itemId, job.engine, job.task, sourceId],
  ))!;
  const detections = await changes(
    db,
    `INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
     SELECT $1, $2, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json
     FROM detections WHERE result_id = $3 ORDER BY ord`,
    [copy.id, job.itemId, sourceId],
  );
  await changes(db, `INSERT INTO result_images (result_id, kind, format, data) SELECT $1, kind, format, data FROM result_images WHERE result_id = $2`, [
    copy.id,
    sourceId,
  ]);
  return { resultId: copy.id, detections, width: copy.page_width, height: copy.page_height };
}

/** The image of `kind` kept with the result a detection belongs to; null when there is none. */
export async function detectionImage(db: Queryable, detectionId: number, kind: ResultImage['kind']): Promise<Omit<ResultImage, 'kind'> | null> {
  const r = await row<{ format: ResultImage['format']; data: Buffer }>(
    db,
    `SELECT ri.format, ri.data FROM detections d JOIN result_images ri ON ri.result_id = d.result_id WHERE d.id = $1 AND ri.kind = $2`,
    [detectionId, kind],
  );
  return r ? { format: r.format, data: r.data } : null;
}
