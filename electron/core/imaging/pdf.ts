import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, RenderParameters } from 'pdfjs-dist/types/src/display/api';
import { ScanError } from '../errors';
import { decodeError } from './errors';
import { IMAGE_LIMITS, assertDimensions } from './limits';
import type { OrientedPixels } from './load';
import type { SourceFile } from './source-file';

/** A PDF to open: its path, and its bytes when they were already read (source-file.ts). */
export type PdfInput = { path: string; bytes?: undefined; sha256?: undefined } | SourceFile;

/**
 * PDF pages through pdf.js (legacy build, the one for Node) drawing onto @napi-rs/canvas,
 * which pdf.js picks up itself in Node. Worker, character maps, standard fonts and wasm
 * decoders (JPX, ICC) all load from node_modules: never from the network.
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
const nodeRequire = createRequire(import.meta.url);
type PdfJs = typeof PdfJsModule;
let pdfjsPromise: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((m) => {
    m.GlobalWorkerOptions.workerSrc = pathToFileURL(nodeRequire.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;
    return m;
  });
  return pdfjsPromise;
}

function assetDir(sub: string): string {
  return join(dirname(nodeRequire.resolve('pdfjs-dist/package.json')), sub) + '/';
}

/**
 * Opens a PDF; PDF_PASSWORD when it needs a password, PDF_CORRUPT when it is not readable.
 * From its bytes when given (what is rendered is what was hashed), else from its path.
 */
export async function openPdf(input: PdfInput, label: string): Promise<PDFDocumentProxy> {
  if (!input.bytes) {
    try {
      await (await open(input.path, 'r')).close(); // missing or unreadable: say so, not "damaged"
    } catch (err) {
      throw decodeError(err, label);
    }
  }
  const lib = await pdfjs();
  const task = lib.getDocument({
    // From a path, a file URL: pdf.js then reads only the byte ranges it needs, so counting the
    // pages of a 1 GB scan does not load it into memory. pathToFileURL escapes '#', '%'. Bytes
    // are copied: pdf.js moves (detaches) the array it is given to its worker.
    ...(input.bytes ? { data: new Uint8Array(input.bytes) } : { url: pathToFileURL(input.path).href }),
    disableAutoFetch: true,
    disableStream: true,
    cMapUrl: assetDir('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: assetDir('standard_fonts'),
    wasmUrl: assetDir('wasm'),
    iccUrl: assetDir('iccs'),
    stopAtErrors: false,
    verbosity: 0,
    // An image inside a page above the pixel cap is not decoded (a 30000x30000 image in a 1 MB
    // PDF would take gigabytes); a page that is only such an image fails first (pdf-image.ts).
    maxImageSize: IMAGE_LIMITS.maxPixels,
  });
  try {
    return await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const name = (err as { name?: string })?.name;
    if (name === 'PasswordException') {
      throw new ScanError('PDF_PASSWORD', `${label}: the PDF is password-protected; save an unprotected copy and add it again.`, {
        cause: err,
      });
    }
    const detail = err instanceof Error ? err.message : String(err);
    throw new ScanError('PDF_CORRUPT', `${label}: the PDF is damaged and cannot be opened (${detail}).`, { cause: err });
  }
}

/**
 * Open documents are kept briefly and shared, so rendering page after page of a 300-page scan
 * does not re-read and re-parse the whole file each time. Keyed by path and content (the
 * sha256 of the bytes given, or size and mtime when opened from the path): a changed file is
 * opened again. Closed after a short idle time.
 */
interface OpenDoc {
  doc: Promise<PDFDocumentProxy>;
  key: string;
  users: number;
  timer?: NodeJS.Timeout;
}
const OPEN_DOCS = new Map<string, OpenDoc>();
const IDLE_MS = 3_000;
const MAX_OPEN = 4;

function closeDoc(path: string, entry: OpenDoc): void {
  if (OPEN_DOCS.get(path) === entry) OPEN_DOCS.delete(path);
  clearTimeout(entry.timer);
  entry.doc.then((d) => d.loadingTask.destroy()).catch(() => undefined);
}

async function contentKey(input: PdfInput, label: string): Promise<string> {
  if (input.sha256) return `sha256:${input.sha256}`;
  const st = await stat(input.path).catch((err: unknown) => {
    throw decodeError(err, label);
  });
  return `${st.size}:${st.mtimeMs}`;
}

export async function withPdf<T>(input: PdfInput, label: string, fn: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const path = input.path;
  const key = await contentKey(input, label);
  let entry = OPEN_DOCS.get(path);
  if (!entry || entry.key !== key) {
    if (entry && entry.users === 0) closeDoc(path, entry);
    entry = { doc: openPdf(input, label), key, users: 0 };
    if (!OPEN_DOCS.has(path)) OPEN_DOCS.set(path, entry);
    for (const [p, e] of OPEN_DOCS) {
      if (OPEN_DOCS.size <= MAX_OPEN) break;
      if (e.users === 0 && e !== entry) closeDoc(p, e);
    }
  }
  const shared = OPEN_DOCS.get(path) === entry;
  entry.users++;
  clearTimeout(entry.timer);
  try {
    return await fn(await entry.doc);
  } catch (err) {
    if (!(await entry.doc.then(() => true, () => false))) closeDoc(path, entry); // do not cache a failed open
    throw err;
  } finally {
    entry.users--;
    if (entry.users === 0) {
      if (!shared || OPEN_DOCS.get(path) !== entry) closeDoc(path, entry);
      else entry.timer = setTimeout(() => closeDoc(path, entry), IDLE_MS).unref();
    }
  }
}

/** Number of pages, for intake (each page becomes its own item). */
export async function pdfPageCount(path: string, label: string): Promise<number> {
  return withPdf({ path }, label, async (doc) => doc.numPages);
}

/** Render scale (CSS px per PDF point): 300 dpi, lowered for huge pages to stay under the pixel cap. */
export function pdfRenderScale(widthPt: number, heightPt: number): number {
  let scale = IMAGE_LIMITS.pdfDpi / 72;
  const pixels = widthPt * scale * heightPt * scale;
  if (pixels > IMAGE_LIMITS.pdfMaxPixels) scale *= Math.sqrt(IMAGE_LIMITS.pdfMaxPixels / pixels);
  const side = Math.max(widthPt, heightPt) * scale;
  if (side > IMAGE_LIMITS.maxSide) scale *= IMAGE_LIMITS.maxSide / side;
  return scale;
}

/** One page as RGBA, rotated as the PDF's /Rotate says (what a viewer shows), on white. */
export async function loadPdfPage(file: PdfInput, page: number, label: string): Promise<OrientedPixels> {
  return withPdf(file, label, (doc) => renderPage(doc, page, label));
}

async function renderPage(doc: PDFDocumentProxy, page: number, label: string): Promise<OrientedPixels> {
  if (page < 1 || page > doc.numPages) {
    throw new ScanError('PDF_CORRUPT', `${label}: the PDF has ${doc.numPages} page(s), page ${page} does not exist.`);
  }
  let pdfPage;
  try {
    pdfPage = await doc.getPage(page);
  } catch (err) {
    throw new ScanError('PDF_CORRUPT', `${label}: the page cannot be read (${(err as Error).message}).`, { cause: err });
  }
  const unit = pdfPage.getViewport({ scale: 1 });
  const viewport = pdfPage.getViewport({ scale: pdfRenderScale(unit.width, unit.height) });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  assertDimensions(width, height, label);
  // pdf.js made this factory from @napi-rs/canvas; its context is a CanvasRenderingContext2D.
  const factory = doc.canvasFactory as { create(w: number, h: number): { canvas: unknown; context: unknown } };
  const { canvas, context } = factory.create(width, height) as {
    canvas: RenderParameters['canvas'];
    context: RenderParameters['canvasContext'] & { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
  };
  try {
    await pdfPage.render({ canvas, canvasContext: context, viewport, background: 'white' })
      .promise;
  } catch (err) {
    throw new ScanError('PDF_CORRUPT', `${label}: the page cannot be rendered (${(err as Error).message}).`, { cause: err });
  }
  const img = context.getImageData(0, 0, width, height);
  pdfPage.cleanup();
  const data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return { data, width, height };
}
