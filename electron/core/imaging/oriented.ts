import sharp, { type Sharp } from 'sharp';
import type { ImageSource } from '../intake/types';
import { fileLabel } from './errors';
import { loadOriented } from './load';
import { SHARP_FORMATS, openSharpPage } from './sharp-input';

export interface OrientedPage {
  /** A fresh sharp pipeline of the oriented page, flattened on white. Clone it to branch. */
  image: Sharp;
  width: number;
  height: number;
  /** True when the source is lossless (PNG, BMP, GIF, TIFF, PDF render): PNG is tried first. */
  lossless: boolean;
}

const LOSSLESS = new Set(['png', 'bmp', 'gif', 'tiff', 'pdf']);

/**
 * The oriented page as a sharp pipeline. For formats sharp reads, decoding happens lazily in
 * the pipeline (so a later resize can use shrink-on-load); the others are decoded to RGBA first.
 */
export async function openOriented(source: ImageSource): Promise<OrientedPage> {
  const lossless = LOSSLESS.has(source.format);
  const label = fileLabel(source.path, source.page);
  if (SHARP_FORMATS.has(source.format)) {
    const page = await openSharpPage(source.path, source.page, label);
    return { image: page.image.flatten({ background: '#ffffff' }), width: page.width, height: page.height, lossless };
  }
  const px = await loadOriented(source);
  const image = sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 }, limitInputPixels: false }).removeAlpha();
  return { image, width: px.width, height: px.height, lossless };
}
