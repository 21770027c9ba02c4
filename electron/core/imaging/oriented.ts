import sharp, { type Sharp } from 'sharp';
import type { ImageSource } from '../intake/types';
import { fileLabel } from './errors';
import { loadOriented, pdfImage } from './load';
import { loadPdfPage } from './pdf';
import { SHARP_FORMATS, openSharpPage } from './sharp-input';
import { openSourceFile, type SourceFile } from './source-file';

// Loaded on first use, as in load.ts: most batches have no vector PDF page.
const pdfium = () => import('./pdfium');

export interface OrientedPage {
  /** A fresh sharp pipeline of the oriented page, flattened on white. Clone it to branch. */
  image: Sharp;
  width: number;
  height: number;
  /** True when the source is lossless (PNG, BMP, GIF, TIFF, PDF render): PNG is tried first. */
  lossless: boolean;
}

const LOSSLESS = new Set(['png', 'bmp', 'gif', 'tiff', 'pdf']);

/** What the caller will make of the page: `maxSide`, it will be shrunk to at most that (a preview). */
export interface OrientedUse {
  maxSide?: number;
}

/**
 * The oriented page as a sharp pipeline. For formats sharp reads, decoding happens lazily in
 * the pipeline (so a later resize can use shrink-on-load); the others are decoded to RGBA first.
 * `file`: the page's file already read (see loadOriented). With `use.maxSide`, a vector PDF page
 * is drawn no larger than that (width and height stay the full page's): a thumbnail of an
 * invoice costs its own pixels, not a 300-dpi page's.
 */
export async function openOriented(source: ImageSource, file?: SourceFile, use: OrientedUse = {}): Promise<OrientedPage> {
  const lossless = LOSSLESS.has(source.format);
  const label = fileLabel(source.path, source.page);
  const f = file ?? (await openSourceFile(source, label));
  if (SHARP_FORMATS.has(source.format)) {
    const page = await openSharpPage(f.bytes, source.page, label);
    return { image: page.image.flatten({ background: '#ffffff' }), width: page.width, height: page.height, lossless };
  }
  if (source.format === 'pdf') {
    // A scanned page: its own image, decoded lazily in the pipeline like any sharp format.
    const embedded = await (await pdfImage()).embeddedPageImage(f, source.page, label);
    if (embedded) return { image: embedded.image, width: embedded.width, height: embedded.height, lossless };
    // A vector page: PDFium, at the size needed; pdf.js where PDFium declines (pdfium.ts)
    const drawn = await (await pdfium()).renderPdfPageRgba(f, source.page, label, use);
    if (drawn) {
      const image = sharp(drawn.data, { raw: { width: drawn.width, height: drawn.height, channels: 4 }, limitInputPixels: false }).removeAlpha();
      return { image, width: drawn.pageWidth, height: drawn.pageHeight, lossless };
    }
    const px = await loadPdfPage(f, source.page, label);
    return { image: rawRgb(px), width: px.width, height: px.height, lossless };
  }
  const px = await loadOriented(source, f);
  return { image: rawRgb(px), width: px.width, height: px.height, lossless };
}

function rawRgb(px: { data: Buffer; width: number; height: number }): Sharp {
  return sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 }, limitInputPixels: false }).removeAlpha();
}
