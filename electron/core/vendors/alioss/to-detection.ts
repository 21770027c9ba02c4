import type { Detection } from '../../../../shared/detection';
import { NO_GEOMETRY, rectGeometry, scaleGeometry } from '../../../../shared/geometry';
import type { OssCodesResponse } from './client';

/** IMM DetectImageCodes answers at most this many codes per image (seed 003). */
export const OSS_MAX_CODES = 5;

/**
 * OSS codes → Detections. IMM reports the content and an axis-aligned box (no symbology, no
 * quad): geometry 'rect', mapped from the uploaded image's pixels to the page (÷ scale).
 */
export function codesToDetections(res: OssCodesResponse, scale: number): Detection[] {
  return res.Codes.map((c) => {
    const b = c.Boundary;
    const geometry = b && b.Width > 0 && b.Height > 0 ? scaleGeometry(rectGeometry(b.Left, b.Top, b.Width, b.Height), 1 / scale) : NO_GEOMETRY;
    return {
      kind: 'code',
      // IMM does not say which symbology it read.
      symbology: 'Unknown',
      text: c.Content,
      geometry,
      engine: 'alioss',
    };
  });
}
