import { decodeError, fileLabel } from './errors';
import type { ImageSource } from '../intake/types';
import { openOriented } from './oriented';
import type { PreviewImage, PreviewOptions } from './types';

/**
 * An encoded, oriented preview of one page (thumbnails, the review view). Same orientation and
 * aspect as the page every position refers to: a point maps by `width / pageWidth`.
 */
export async function makePreview(source: ImageSource, opts: PreviewOptions): Promise<PreviewImage> {
  const label = fileLabel(source.path, source.page);
  const page = await openOriented(source);
  const quality = opts.quality ?? 80;
  const pipeline = page.image.resize({ width: opts.maxSide, height: opts.maxSide, fit: 'inside', withoutEnlargement: true });
  try {
    const { data, info } = await (opts.format === 'webp' ? pipeline.webp({ quality }) : pipeline.jpeg({ quality })).toBuffer({
      resolveWithObject: true,
    });
    return { data, format: opts.format, width: info.width, height: info.height, pageWidth: page.width, pageHeight: page.height };
  } catch (err) {
    throw decodeError(err, label);
  }
}
