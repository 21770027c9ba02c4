import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WrappedPdfiumModule } from '@embedpdf/pdfium';
import { assertDimensions, IMAGE_LIMITS } from './limits';
import type { GrayPixels, OrientedPixels } from './load';
import { pdfRenderScale } from './pdf';
import type { SourceFile } from './source-file';

/**
 * Vector PDF pages (invoices printed to PDF: text and codes drawn, no scan inside) rendered by
 * PDFium compiled to WebAssembly (@embedpdf/pdfium: MIT; PDFium itself BSD-3-Clause / Apache-2.0),
 * straight into an 8-bit grey bitmap: a 300-dpi A4 page costs 30-50 CPU-ms against 120-220 ms
 * for pdf.js drawing RGBA onto a canvas (bench: `npm run bench -- pages`, vector PDF row).
 * The wasm binary is read from node_modules, never fetched.
 *
 * pdf.js stays where PDFium is not the right tool: anything PDFium cannot open or render (the
 * answer is null, and the caller takes pdf.js, which reports PDF_PASSWORD / PDF_CORRUPT as
 * before), and pages holding an image above the pixel cap: pdf.js leaves such an image out
 * (maxImageSize) where PDFium would decode it.
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
const nodeRequire = createRequire(import.meta.url);

export function pdfiumWasmPath(): string {
  return nodeRequire.resolve('@embedpdf/pdfium/pdfium.wasm');
}

type Pdfium = WrappedPdfiumModule;
let instance: Promise<Pdfium> | null = null;

/** PDFium for this thread, compiled on the first vector page (most batches have none). */
function pdfium(): Promise<Pdfium> {
  instance ??= (async () => {
    const { init } = await import('@embedpdf/pdfium');
    const buf = readFileSync(pdfiumWasmPath());
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const m = await init({ wasmBinary } as Parameters<typeof init>[0]);
    m.PDFiumExt_Init();
    return m;
  })();
  instance.catch(() => (instance = null));
  return instance;
}

/**
 * Documents open in PDFium, per file content, while a worker renders their pages one after
 * another (the file's bytes live in wasm memory as long as the document is open).
 */
interface OpenDoc {
  m: Pdfium;
  ptr: number;
  doc: number;
  timer?: NodeJS.Timeout;
}
const DOCS = new Map<string, OpenDoc>();
const IDLE_MS = 5_000;
const MAX_OPEN = 2;

function close(key: string): void {
  const d = DOCS.get(key);
  if (!d) return;
  DOCS.delete(key);
  clearTimeout(d.timer);
  d.m.FPDF_CloseDocument(d.doc);
  d.m.pdfium.wasmExports.free(d.ptr);
}

function openDoc(m: Pdfium, file: SourceFile): OpenDoc | null {
  let d = DOCS.get(file.sha256);
  if (!d || d.m !== m) {
    if (d) DOCS.delete(file.sha256);
    const ptr = m.pdfium.wasmExports.malloc(file.bytes.length);
    if (!ptr) return null;
    m.pdfium.HEAPU8.set(file.bytes, ptr);
    const doc = m.FPDF_LoadMemDocument(ptr, file.bytes.length, '');
    if (!doc) {
      m.pdfium.wasmExports.free(ptr);
      return null; // encrypted or damaged: pdf.js says which
    }
    d = { m, ptr, doc };
    DOCS.set(file.sha256, d);
    for (const key of DOCS.keys()) {
      if (DOCS.size <= MAX_OPEN) break;
      if (key !== file.sha256) close(key);
    }
  }
  clearTimeout(d.timer);
  const key = file.sha256;
  d.timer = setTimeout(() => close(key), IDLE_MS).unref();
  return d;
}

const FPDF_PAGEOBJ_IMAGE = 3;
const FPDF_PAGEOBJ_FORM = 5;
const FPDFBitmap_Gray = 1;
const FPDFBitmap_BGRA = 4;
// FPDF_RenderPageBitmap flags: LCD text off (no colour fringes on grey text), annotations drawn
// as viewers draw them.
const FPDF_ANNOT = 0x01;

/** True when the page (or a form inside it) places an image above the pixel cap. */
function hasHugeImage(m: Pdfium, page: number): boolean {
  const size = m.pdfium.wasmExports.malloc(8);
  try {
    const huge = (obj: number): boolean => {
      const type = m.FPDFPageObj_GetType(obj);
      if (type === FPDF_PAGEOBJ_IMAGE) {
        if (!m.FPDFImageObj_GetImagePixelSize(obj, size, size + 4)) return false;
        const w = m.pdfium.getValue(size, 'i32') >>> 0;
        const h = m.pdfium.getValue(size + 4, 'i32') >>> 0;
        return w > IMAGE_LIMITS.maxSide || h > IMAGE_LIMITS.maxSide || w * h > IMAGE_LIMITS.maxPixels;
      }
      if (type === FPDF_PAGEOBJ_FORM) {
        const n = m.FPDFFormObj_CountObjects(obj);
        for (let i = 0; i < n; i++) if (huge(m.FPDFFormObj_GetObject(obj, i))) return true;
      }
      return false;
    };
    const n = m.FPDFPage_CountObjects(page);
    for (let i = 0; i < n; i++) if (huge(m.FPDFPage_GetObject(page, i))) return true;
    return false;
  } finally {
    m.pdfium.wasmExports.free(size);
  }
}

/**
 * One page of a PDF in grey, as a viewer shows it (its /Rotate applied, on white), at the
 * resolution pdf.js would use (pdfRenderScale). Null when pdf.js should render it instead.
 * IMAGE_TOO_LARGE as pdf.js's path: the page's own size is checked before rendering.
 */
export async function renderPdfPageGray(file: SourceFile, page: number, label: string): Promise<GrayPixels | null> {
  return render(file, page, label, 'gray');
}

/** A page drawn in colour: RGBA, opaque, and the size of the page at full resolution. */
export interface RenderedPage extends OrientedPixels {
  /** The page at pdfRenderScale (what positions refer to), however small it was drawn. */
  pageWidth: number;
  pageHeight: number;
}

/**
 * The same page in colour, as loadPdfPage (pdf.js) gives it: for previews, thumbnails, vendor
 * uploads and documents, where a page is shown or sent, not only decoded. With `maxSide`, drawn
 * no larger than that (a thumbnail costs its own pixels, not a 300-dpi page's: in colour,
 * PDFium's cost grows with the pixels, 130-180 CPU-ms for an A4 page at 300 dpi).
 */
export async function renderPdfPageRgba(file: SourceFile, page: number, label: string, opts: { maxSide?: number } = {}): Promise<RenderedPage | null> {
  return render(file, page, label, 'rgba', opts.maxSide);
}

async function render(file: SourceFile, page: number, label: string, mode: 'gray', maxSide?: number): Promise<GrayPixels | null>;
async function render(file: SourceFile, page: number, label: string, mode: 'rgba', maxSide?: number): Promise<RenderedPage | null>;
async function render(file: SourceFile, page: number, label: string, mode: 'gray' | 'rgba', maxSide?: number): Promise<RenderedPage | null> {
  let m: Pdfium;
  try {
    m = await pdfium();
  } catch {
    return null;
  }
  try {
    const d = openDoc(m, file);
    if (!d || page < 1 || page > m.FPDF_GetPageCount(d.doc)) return null;
    const p = m.FPDF_LoadPage(d.doc, page - 1);
    if (!p) return null;
    try {
      // Width and height as displayed: PDFium applies the page's /Rotate to both.
      const wPt = m.FPDF_GetPageWidthF(p);
      const hPt = m.FPDF_GetPageHeightF(p);
      const full = pdfRenderScale(wPt, hPt);
      const pageWidth = Math.max(1, Math.floor(wPt * full));
      const pageHeight = Math.max(1, Math.floor(hPt * full));
      assertDimensions(pageWidth, pageHeight, label);
      if (hasHugeImage(m, p)) return null;
      const shrink = maxSide ? Math.min(1, maxSide / Math.max(pageWidth, pageHeight)) : 1;
      const width = Math.max(1, Math.round(pageWidth * shrink));
      const height = Math.max(1, Math.round(pageHeight * shrink));
      const bmp = m.FPDFBitmap_CreateEx(width, height, mode === 'gray' ? FPDFBitmap_Gray : FPDFBitmap_BGRA, 0, 0);
      if (!bmp) return null;
      try {
        m.FPDFBitmap_FillRect(bmp, 0, 0, width, height, 0xffffffff);
        m.FPDF_RenderPageBitmap(bmp, p, 0, 0, width, height, 0, FPDF_ANNOT);
        const at = m.FPDFBitmap_GetBuffer(bmp);
        const stride = m.FPDFBitmap_GetStride(bmp);
        const heap = m.pdfium.HEAPU8;
        if (mode === 'gray') {
          const data = Buffer.allocUnsafe(width * height);
          for (let y = 0; y < height; y++) data.set(heap.subarray(at + y * stride, at + y * stride + width), y * width);
          return { data, width, height, pageWidth, pageHeight };
        }
        return { data: bgraToRgba(heap, at, stride, width, height), width, height, pageWidth, pageHeight };
      } finally {
        m.FPDFBitmap_Destroy(bmp);
      }
    } finally {
      m.FPDF_ClosePage(p);
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'IMAGE_TOO_LARGE') throw err;
    // A fault inside the wasm (e.g. out of memory) may leave the module broken: start afresh,
    // and let pdf.js try this page.
    for (const key of [...DOCS.keys()]) DOCS.delete(key);
    instance = null;
    return null;
  }
}

/**
 * PDFium's BGRA rows (filled white first, so opaque) to packed RGBA with alpha 255: copied out
 * of wasm memory row by row, then swapped in place a word at a time (int32 words: a byte loop,
 * or uint32 words beyond 2^31, cost as much as the rendering itself).
 */
function bgraToRgba(heap: Uint8Array, at: number, stride: number, width: number, height: number): Buffer {
  const rowBytes = width * 4;
  const out = Buffer.allocUnsafeSlow(rowBytes * height);
  if (stride === rowBytes) out.set(heap.subarray(at, at + rowBytes * height));
  else for (let y = 0; y < height; y++) out.set(heap.subarray(at + y * stride, at + y * stride + rowBytes), y * rowBytes);
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
    // big-endian: bytes by hand
    for (let o = 0; o < out.length; o += 4) {
      const b = out[o]!;
      out[o] = out[o + 2]!;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
    return out;
  }
  const px = new Int32Array(out.buffer, out.byteOffset, width * height);
  for (let i = 0; i < px.length; i++) {
    const v = px[i]!;
    // little-endian words: B G R A is 0xAARRGGBB; R G B A is 0xAABBGGRR
    px[i] = (v & 0xff00) | ((v >> 16) & 0xff) | ((v & 0xff) << 16) | -0x1000000;
  }
  return out;
}
