import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeError } from './errors';
import { IMAGE_LIMITS, assertDimensions } from './limits';

/** What sharp (libvips) decodes for us: everything but HEIC (no HEVC), BMP and PDF. */
export const SHARP_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif']);

export interface SharpPage {
  /** An un-started pipeline that yields the oriented page (EXIF orientation applied). */
  image: Sharp;
  width: number; // oriented
  height: number;
  /** Bands as stored (1 for a grey or 1-bit scan), and whether one of them is alpha. */
  channels: number;
  hasAlpha: boolean;
  /** Colour space and sample format as stored (e.g. 'srgb' / 'cmyk', 'uchar' / 'ushort'). */
  space?: string;
  depth?: string;
}

/** A file path, or the file's bytes already read (see source-file.ts). */
export type SharpSource = string | Buffer;

function input(path: SharpSource, page: number): Sharp {
  // limitInputPixels is the second line of defence; the header check below is the first.
  // failOn 'error': truncated or corrupt data fails (IMAGE_DECODE), but libjpeg's mere
  // warnings (stray bytes before a marker, common in phone JPEGs viewers open fine) do not.
  return sharp(path, { page: page - 1, pages: 1, limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: 'error' });
}

/**
 * Reads the header only (sharp's metadata does not decode pixels), refuses absurd dimensions,
 * then returns a pipeline that applies the EXIF orientation.
 */
export async function openSharpPage(path: SharpSource, page: number, label: string): Promise<SharpPage> {
  let meta: Metadata;
  try {
    // Header only; the pixel limit is ours to check (with the dimensions in the message).
    meta = await sharp(path, { page: page - 1, pages: 1, limitInputPixels: false }).metadata();
  } catch (err) {
    throw decodeError(err, label);
  }
  const width = meta.width ?? 0;
  // Multi-frame GIF/WebP report the whole strip; one frame is pageHeight tall.
  const height = meta.pageHeight ?? meta.height ?? 0;
  assertDimensions(width, height, label);
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    image: input(path, page).autoOrient(),
    width: swap ? height : width,
    height: swap ? width : height,
    channels: meta.channels ?? 3,
    hasAlpha: meta.hasAlpha === true,
    ...(meta.space ? { space: meta.space } : {}),
    ...(meta.depth ? { depth: meta.depth } : {}),
  };
}

/** Number of pages of a TIFF (or frames of an animation), from the header. */
export async function sharpPageCount(path: string, label: string): Promise<number> {
  try {
    const meta = await sharp(path, { limitInputPixels: false }).metadata();
    return meta.pages ?? 1;
  } catch (err) {
    throw decodeError(err, label);
  }
}

/** Decodes a pipeline to RGBA, flattened on white (see load.ts), mapping failures to codes. */
export async function toRgba(image: Sharp, label: string): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await image
      .flatten({ background: '#ffffff' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw decodeError(err, label);
  }
}
