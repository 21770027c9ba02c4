import type { ResultImage } from '../../engines/engine';
import type { CacheKey } from '../results';
import { changes, row, type Queryable } from './db';

/**
 * store/results.ts and result-images.ts for PostgreSQL: lookups in the results cache, and
 * result images. A finish writes the result, its detections and its cache entry in
 * scandesk_finish (PG migration 009, store/pg/jobs.ts).
 */

export async function findCached(db: Queryable, key: CacheKey): Promise<number | null> {
  const r = await row<{ result_id: number }>(
    db,
    `SELECT result_id FROM result_cache WHERE sha256 = $1 AND page = $2 AND engine = $3 AND task = $4 AND options_key = $5`,
    [key.sha256, key.page, key.engine, key.task, key.optionsKey],
  );
  return r?.result_id ?? null;
}

/** Images a vendor returned with a result (IDCardOCR crops). */
export async function storeResultImages(db: Queryable, resultId: number, images: readonly ResultImage[] | undefined): Promise<void> {
  for (const img of images ?? []) {
    await changes(
      db,
      `INSERT INTO result_images (result_id, kind, format, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (result_id, kind) DO UPDATE SET format = excluded.format, data = excluded.data`,
      [resultId, img.kind, img.format, img.data],
    );
  }
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
