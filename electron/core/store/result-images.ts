import type { ResultImage } from '../engines/engine';
import type { Db } from './db';
import { stmt } from './statements';

/**
 * The images kept with a result (migration 006), in narrow functions: store an engine's, copy a
 * cached result's, read one by a detection of its result.
 */
export function storeResultImages(db: Db, resultId: number, images: readonly ResultImage[] | undefined): void {
  if (!images?.length) return;
  const ins = stmt(db, `INSERT OR REPLACE INTO result_images (result_id, kind, format, data) VALUES (?, ?, ?, ?)`);
  for (const img of images) ins.run(resultId, img.kind, img.format, img.data);
}

/** A result copied from the cache gets its own copy of the images. */
export function copyResultImages(db: Db, fromResultId: number, toResultId: number): void {
  stmt(db, `INSERT OR REPLACE INTO result_images (result_id, kind, format, data) SELECT ?, kind, format, data FROM result_images WHERE result_id = ?`).run(
    toResultId,
    fromResultId,
  );
}

/** The image of `kind` kept with the result a detection belongs to; null when there is none. */
export function detectionImage(db: Db, detectionId: number, kind: ResultImage['kind']): Omit<ResultImage, 'kind'> | null {
  const r = stmt(
    db,
    `SELECT ri.format, ri.data FROM detections d JOIN result_images ri ON ri.result_id = d.result_id WHERE d.id = ? AND ri.kind = ?`,
  ).get(detectionId, kind) as { format: ResultImage['format']; data: Buffer } | undefined;
  return r ? { format: r.format, data: r.data } : null;
}
