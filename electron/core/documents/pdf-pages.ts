import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  PDFDocument,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  type PDFImage,
} from 'pdf-lib';
import sharp from 'sharp';
import { ScanError } from '../errors';
import { loadOriented } from '../imaging';
import { stripJpeg } from '../imaging/strip';
import type { ImageFormat } from '../intake/types';

/**
 * Puts original pages into a PDF as they are, as far as PDF allows:
 * - a page of a PDF is copied with its content and resources untouched (pdf-lib copyPages);
 * - a JPEG's compressed data is embedded byte for byte (DCTDecode) and drawn through a matrix
 *   that applies its EXIF orientation, so it shows upright without being decoded or
 *   re-compressed; its metadata segments (EXIF with a phone's GPS position, XMP) are left out
 *   (imaging/strip.ts), as they are when a page goes to a vendor;
 * - a PNG is embedded by pdf-lib (the same pixels, deflated again; PDF has no PNG container);
 * - any other format (TIFF, WebP, HEIC, AVIF, BMP, GIF) is decoded once, upright, and stored
 *   lossless (PNG) when it is a scan format, as JPEG at high quality when it is a photo format
 *   whose source was lossy anyway.
 * Each page is checked against the checksum recorded when the batch read it: a file changed
 * since then is refused rather than put into a document that was reviewed with other pages.
 */

export interface SourcePage {
  /** Where the bytes are read (on a shared queue: the blob store's copy). */
  path: string;
  page: number;
  format: ImageFormat;
  sha256: string;
  /** The page's own path, for messages, when `path` is a copy. */
  shownAs?: string;
}

/** Pixels per inch assumed when an image does not say (or says something implausible). */
const DEFAULT_DPI = 150;
/** PDF viewers refuse pages larger than 200 inches (14,400 pt) a side. */
const MAX_PAGE_PT = 14_400;

export class PageSources {
  private readonly pdfs = new Map<string, Promise<PDFDocument>>();

  /** Appends `p` to `out` as its original page. */
  async append(out: PDFDocument, p: SourcePage): Promise<void> {
    if (p.format === 'pdf') {
      const src = await this.pdf(p);
      if (p.page > src.getPageCount()) throw new ScanError('PDF_CORRUPT', `${label(p)}: the PDF has only ${src.getPageCount()} pages now.`);
      const [copied] = await out.copyPages(src, [p.page - 1]);
      out.addPage(copied!);
      return;
    }
    const bytes = await readChecked(p);
    if (p.format === 'jpeg' || p.format === 'png') {
      const meta = await sharp(bytes).metadata();
      const image = p.format === 'jpeg' ? await out.embedJpg(stripJpeg(bytes) ?? bytes) : await out.embedPng(bytes);
      drawOriented(out, image, meta.orientation ?? 1, meta.density);
      return;
    }
    // Decoded upright (EXIF, HEIF irot/imir applied) by the same loader the decoder uses.
    const px = await loadOriented({ path: p.path, page: p.page, format: p.format });
    const raw = sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 } }).removeAlpha();
    const lossy = p.format === 'heif' || p.format === 'avif' || p.format === 'webp';
    const density = lossy ? undefined : (await sharp(bytes, { page: p.page - 1 }).metadata().catch(() => null))?.density;
    const image = lossy
      ? await out.embedJpg(await raw.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer())
      : await out.embedPng(await raw.png({ compressionLevel: 6 }).toBuffer());
    drawOriented(out, image, 1, density);
  }

  /** One parsed copy of each source PDF per run: a 300-page scan split into 60 documents is read once. */
  private pdf(p: SourcePage): Promise<PDFDocument> {
    let doc = this.pdfs.get(p.path);
    if (!doc) {
      doc = readChecked(p).then((bytes) =>
        PDFDocument.load(bytes, { updateMetadata: false }).catch((err: unknown) => {
          const encrypted = /encrypt/i.test(String((err as Error)?.message));
          throw new ScanError(encrypted ? 'PDF_PASSWORD' : 'PDF_CORRUPT', `${label(p)}: ${encrypted ? 'the PDF is encrypted' : 'the PDF cannot be read'} (${(err as Error).message}).`);
        }),
      );
      this.pdfs.set(p.path, doc);
      doc.catch(() => this.pdfs.delete(p.path));
    }
    return doc;
  }
}

async function readChecked(p: SourcePage): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(p.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScanError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `${label(p)}: cannot be read (${code ?? String(err)}).`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== p.sha256) {
    throw new ScanError('FILE_UNREADABLE', `${label(p)}: the file changed since the batch read it; scan it again before writing its document.`);
  }
  return bytes;
}

/**
 * Draws an image as a page of its displayed size. The image is the unit square in PDF image
 * space; the matrix maps it onto the page the way EXIF orientation `o` turns the stored pixels
 * (1 as stored, 2 mirrored, 3 turned 180 degrees, 4 flipped, 5 transposed, 6 turned 90
 * clockwise, 7 transversed, 8 turned 90 anticlockwise).
 */
function drawOriented(out: PDFDocument, image: PDFImage, o: number, density: number | undefined): void {
  const swap = o >= 5 && o <= 8;
  const dpi = density !== undefined && density >= 50 && density <= 4800 ? density : DEFAULT_DPI;
  let w = ((swap ? image.height : image.width) * 72) / dpi;
  let h = ((swap ? image.width : image.height) * 72) / dpi;
  const fit = Math.min(1, MAX_PAGE_PT / Math.max(w, h));
  w *= fit;
  h *= fit;
  const m: Record<number, [number, number, number, number, number, number]> = {
    1: [w, 0, 0, h, 0, 0],
    2: [-w, 0, 0, h, w, 0],
    3: [-w, 0, 0, -h, w, h],
    4: [w, 0, 0, -h, 0, h],
    5: [0, -h, -w, 0, w, h],
    6: [0, -h, w, 0, 0, h],
    7: [0, h, w, 0, 0, 0],
    8: [0, h, -w, 0, w, 0],
  };
  const page = out.addPage([w, h]);
  const name = page.node.newXObject('Image', image.ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...(m[o] ?? m[1]!)), drawObject(name), popGraphicsState());
}

function label(p: SourcePage): string {
  const shown = p.shownAs ?? p.path;
  const name = shown.split(/[\\/]/).pop() ?? shown;
  return p.format === 'pdf' || p.format === 'tiff' ? `${name} page ${p.page}` : name;
}
