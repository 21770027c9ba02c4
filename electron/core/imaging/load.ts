import type { ImageSource } from '../intake/types';
import { loadBmp } from './bmp';
import { decodeError, fileLabel } from './errors';
import { loadPdfPage } from './pdf';
import type { Sharp } from 'sharp';
import { lumaOf } from './luma';
import { SHARP_FORMATS, openSharpPage, toRgba } from './sharp-input';
import { openSourceFile, type SourceFile } from './source-file';

// Loaded on first use: libheif's wasm bundle and pdf-lib cost every decode worker (and every
// command) about 0.2 CPU-s to load, and most batches have neither a HEIC nor a PDF page.
const heif = () => import('./heif');
export const pdfImage = () => import('./pdf-image');
const pdfium = () => import('./pdfium');

/**
 * Oriented RGBA pixels of one page, as a person sees it (EXIF orientation applied).
 */
export interface OrientedPixels {
  data: Buffer; // RGBA, width * height * 4 bytes
  width: number;
  height: number;
}

/**
 * Every supported format to oriented RGBA, as a person sees the page: EXIF orientation applied
 * (HEIF: irot/imir), PDF pages rendered at 300 dpi (a scanned page is its own image; a vector
 * page is drawn by PDFium, 5-7 times cheaper than pdf.js, and by pdf.js where PDFium declines:
 * password, damage, a missing page, an image above the pixel cap; see pdfium.ts). Transparent areas are flattened onto white
 * (alpha is 255 everywhere): a QR code drawn on a transparent PNG is black-on-nothing, and
 * readers that ignore alpha would see black-on-black.
 *
 * `file` is the page's file already read (source-file.ts), when the caller needs its hash;
 * without it the file is read here. Either way the path is read once.
 *
 * Errors (ScanError): IMAGE_TOO_LARGE before decoding when the header declares absurd
 * dimensions; IMAGE_DECODE for corrupt/truncated data; PDF_PASSWORD, PDF_CORRUPT;
 * FILE_NOT_FOUND / FILE_UNREADABLE.
 */
export async function loadOriented(source: ImageSource, file?: SourceFile): Promise<OrientedPixels> {
  const label = fileLabel(source.path, source.page);
  const f = file ?? (await openSourceFile(source, label));
  switch (source.format) {
    case 'heif':
      return flattenRgba(await (await heif()).loadHeif(f.bytes, label));
    case 'bmp':
      return loadBmp(f.bytes, label); // opaque already
    case 'pdf': {
      // A scanned page is its embedded image; anything else is rendered on white.
      const embedded = await (await pdfImage()).embeddedPageImage(f, source.page, label);
      if (!embedded) return (await (await pdfium()).renderPdfPageRgba(f, source.page, label)) ?? loadPdfPage(f, source.page, label);
      // a grey pipeline is made sRGB first, or RGBA comes out as grey + alpha
      return toRgba(embedded.channels === 1 ? embedded.image.toColourspace('srgb') : embedded.image, label);
    }
    default: {
      const page = await openSharpPage(f.bytes, source.page, label);
      return toRgba(page.image, label);
    }
  }
}

/** One byte per pixel, as a page that is grey already stores it. */
export interface GrayPixels {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * The oriented page in grey when its file stores grey already (most scans: grey or 1-bit PNG,
 * JPEG, TIFF, no alpha): straight from the decoder, without making RGBA first (for an A4 page
 * at 300 dpi, 35 MB of RGBA and a colour conversion that costs more than the PNG decode). The
 * values are those the RGBA path gives (grey R=G=B converts back to itself). A scanned PDF page
 * whose image is grey or 1-bit (pdf-image.ts) comes the same way, from its embedded image. Null
 * for any other page: the caller takes loadOriented.
 */
export async function loadGrayIfGray(source: ImageSource, file: SourceFile): Promise<GrayPixels | null> {
  const label = fileLabel(source.path, source.page);
  let image;
  if (source.format === 'pdf') {
    // A scanned PDF page whose image is grey or 1-bit (most are).
    const embedded = await (await pdfImage()).embeddedPageImage(file, source.page, label);
    if (!embedded || embedded.channels !== 1) return null;
    image = embedded.image.toColourspace('b-w');
  } else {
    if (!SHARP_FORMATS.has(source.format)) return null;
    const page = await openSharpPage(file.bytes, source.page, label);
    if (page.channels !== 1 || page.hasAlpha) return null;
    image = page.image;
  }
  try {
    const { data, info } = await image.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw decodeError(err, label);
  }
}

/**
 * The oriented page in grey, whatever its file stores, with the values the RGBA path gives
 * (lumaOf the flattened RGBA of loadOriented): grey and 1-bit pages straight from the decoder
 * (loadGrayIfGray), opaque 8-bit RGB pages as three bands (an A4 page at 300 dpi: 26 MB of RGB
 * instead of 35 MB of RGBA, and no alpha band to add), anything else through loadOriented.
 * Vector PDF pages are the exception: PDFium renders them to grey (pdfium.ts), its own
 * rendering rather than pdf.js's, 3-5 times cheaper.
 */
export async function loadGray(source: ImageSource, file: SourceFile): Promise<GrayPixels> {
  const gray = await loadGrayIfGray(source, file);
  if (gray) return gray;
  const label = fileLabel(source.path, source.page);
  let rgb: Sharp | null = null;
  if (source.format === 'pdf') {
    const embedded = await (await pdfImage()).embeddedPageImage(file, source.page, label);
    if (embedded?.channels === 3) rgb = embedded.image.toColourspace('srgb');
    if (!embedded) {
      // A vector page: PDFium renders it straight to grey; pdf.js where PDFium declines (not
      // through loadOriented, which would ask PDFium again).
      const drawn = await (await pdfium()).renderPdfPageGray(file, source.page, label);
      if (drawn) return drawn;
      const px = await loadPdfPage(file, source.page, label);
      return { data: Buffer.from(lumaOf(px.data, px.width, px.height, 4).buffer), width: px.width, height: px.height };
    }
  } else if (SHARP_FORMATS.has(source.format)) {
    const page = await openSharpPage(file.bytes, source.page, label);
    if (page.channels === 3 && !page.hasAlpha && page.space === 'srgb' && page.depth === 'uchar') rgb = page.image;
  }
  if (rgb) {
    try {
      const { data, info } = await rgb.raw().toBuffer({ resolveWithObject: true });
      if (info.channels === 3) return { data: Buffer.from(lumaOf(data, info.width, info.height, 3).buffer), width: info.width, height: info.height };
    } catch (err) {
      throw decodeError(err, label);
    }
  }
  const px = await loadOriented(source, file);
  return { data: Buffer.from(lumaOf(px.data, px.width, px.height, 4).buffer), width: px.width, height: px.height };
}

/** Composites RGBA pixels onto white in place (cheap; only when some pixel is not opaque). */
export function flattenRgba(px: OrientedPixels): OrientedPixels {
  const d = px.data;
  for (let i = 3; i < d.length; i += 4) {
    const a = d[i]!;
    if (a === 255) continue;
    const k = 255 - a;
    d[i - 3] = (d[i - 3]! * a + 255 * k + 127) / 255;
    d[i - 2] = (d[i - 2]! * a + 255 * k + 127) / 255;
    d[i - 1] = (d[i - 1]! * a + 255 * k + 127) / 255;
    d[i] = 255;
  }
  return px;
}
