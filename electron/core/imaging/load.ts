import type { ImageSource } from '../intake/types';
import { loadBmp } from './bmp';
import { fileLabel } from './errors';
import { loadHeif } from './heif';
import { loadPdfPage } from './pdf';
import { openSharpPage, toRgba } from './sharp-input';
import { openSourceFile, type SourceFile } from './source-file';

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
 * (HEIF: irot/imir), PDF pages rendered at 300 dpi. Transparent areas are flattened onto white
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
      return flattenRgba(await loadHeif(f.bytes, label));
    case 'bmp':
      return loadBmp(f.bytes, label); // opaque already
    case 'pdf':
      return loadPdfPage(f, source.page, label); // rendered on white
    default: {
      const page = await openSharpPage(f.bytes, source.page, label);
      return toRgba(page.image, label);
    }
  }
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
