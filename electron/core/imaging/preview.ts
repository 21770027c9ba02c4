import { decodeError, fileLabel } from './errors';
import type { ImageSource } from '../intake/types';
import { openOriented } from './oriented';
import { openSourceFile } from './source-file';
import { ScanError } from '../errors';
import type { PreviewImage, PreviewOptions } from './types';

/** A page to draw; with `sha256`, only if the file's bytes hash to it (a shared queue's blob copy). */
export type ExpectedSource = ImageSource & { sha256?: string };

/**
 * An encoded, oriented preview of one page (thumbnails, the review view). Same orientation and
 * aspect as the page every position refers to: a point maps by `width / pageWidth`.
 */
export async function makePreview(source: ExpectedSource, opts: PreviewOptions): Promise<PreviewImage> {
  const label = fileLabel(source.path, source.page);
  const file = await openSourceFile(source, label);
  if (source.sha256 && file.sha256 !== source.sha256) {
    throw new ScanError('FILE_UNREADABLE', `${label} does not hold the bytes that were submitted (it was damaged or replaced): it is not shown.`);
  }
  const page = await openOriented(source, file, { maxSide: opts.maxSide });
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
