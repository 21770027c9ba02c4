import sharp from 'sharp';
import type { ImageSource } from '../intake/types';

/**
 * Oriented RGBA pixels of one page, as a person sees it (EXIF orientation applied).
 *
 * INITIAL VERSION (sharp-readable formats only). The imaging module extends it with HEIC,
 * PDF, BMP, TIFF pages, pixel limits and ScanError codes; keep this signature.
 */
export interface OrientedPixels {
  data: Buffer; // RGBA, width * height * 4 bytes
  width: number;
  height: number;
}

export async function loadOriented(source: ImageSource): Promise<OrientedPixels> {
  const { data, info } = await sharp(source.path, { page: source.page - 1 })
    .rotate()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
