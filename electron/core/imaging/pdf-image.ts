import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
  type PDFContext,
  type PDFObject,
  type PDFPageLeaf,
} from './pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { assertDimensions } from './limits';
import { LazyPdf } from './pdf-lazy';
import type { SourceFile } from './source-file';

/**
 * A scanned PDF page is one image drawn over the whole page. Such a page is read from that
 * image itself (a JPEG through libjpeg-turbo, CCITT G4 through libtiff, Flate through zlib), at
 * its own resolution, instead of having pdf.js render the page: what a scanner stored, without
 * a resampling pass, at a fraction of the cost. Anything else on the page (text, vectors, a
 * second image, a mask, a colour space we do not map exactly) returns null, and the caller
 * renders the page as before. The result is what a viewer shows: the image placed by the
 * page's matrix and /Rotate, /Decode and /ImageMask applied, upright.
 */
export interface EmbeddedPage {
  /** An un-started sharp pipeline giving the oriented page (1 band for grey, 3 for RGB). */
  image: Sharp;
  width: number;
  height: number;
  channels: 1 | 3;
  /** How the image was stored (for tests and diagnostics). */
  filter: 'DCTDecode' | 'CCITTFaxDecode' | 'FlateDecode';
}

/**
 * Documents, kept per file content while its pages are decoded one after another by the same
 * worker: read lazily (pdf-lazy.ts: page N's objects only, no whole-file parse before page 1),
 * and parsed whole by pdf-lib only when the lazy reading fails (a damaged cross-reference
 * table: pdf-lib reads the file front to back). Either is done once per file, not per page.
 */
interface Held {
  lazy?: LazyPdf | null; // null: the file's cross-references cannot be read
  full?: Promise<PDFDocument | null>;
  timer?: NodeJS.Timeout;
}
const HELD = new Map<string, Held>();
const HELD_IDLE_MS = 5_000;
const HELD_MAX = 2;

function held(file: SourceFile): Held {
  let entry = HELD.get(file.sha256);
  if (!entry) {
    entry = {};
    HELD.set(file.sha256, entry);
    for (const key of HELD.keys()) {
      if (HELD.size <= HELD_MAX) break;
      if (key !== file.sha256) forget(key);
    }
  }
  clearTimeout(entry.timer);
  const key = file.sha256;
  entry.timer = setTimeout(() => forget(key), HELD_IDLE_MS).unref();
  return entry;
}

function forget(key: string): void {
  clearTimeout(HELD.get(key)?.timer);
  HELD.delete(key);
}

/** The page's one full-page image as the file describes it; null for any other page. Throws on structures we do not understand. */
async function findFullPageImage(file: SourceFile, page: number): Promise<FullPageImage | null> {
  const entry = held(file);
  if (entry.lazy === undefined) {
    try {
      entry.lazy = LazyPdf.open(file.bytes);
    } catch {
      entry.lazy = null;
    }
  }
  if (entry.lazy) {
    try {
      const lazy = entry.lazy;
      if (lazy.encrypted) return null; // pdf.js opens it (or says why)
      const leaf = lazy.page(page);
      if (leaf) return fullPageImage(lazy.context, leaf);
    } catch {
      // an object not where the cross-references say: the whole file, front to back, decides
    }
  }
  // An unreadable or encrypted file is not an error here: pdf.js opens it (or says why).
  entry.full ??= PDFDocument.load(file.bytes, { ignoreEncryption: false, updateMetadata: false, parseSpeed: Infinity }).catch(() => null);
  const doc = await entry.full;
  if (!doc || doc.isEncrypted || page < 1 || page > doc.getPageCount()) return null;
  return fullPageImage(doc.context, doc.getPage(page - 1).node);
}

/** The page's one full-page image, decoded as a viewer shows it; null when the page is anything else. */
export async function embeddedPageImage(file: SourceFile, page: number, label: string): Promise<EmbeddedPage | null> {
  let found: FullPageImage | null;
  try {
    found = await findFullPageImage(file, page);
  } catch {
    return null; // a structure we do not understand: rendering decides
  }
  if (!found) return null;
  // The declared size is checked before a byte is decoded (a 30000x30000 image in a 1 MB PDF).
  assertDimensions(found.width, found.height, label);
  const image = await decodeImage(found);
  if (!image) return null;
  const { pipeline, channels } = image;
  const o = found.orientation;
  let out = found.invert ? pipeline.negate({ alpha: false }) : pipeline;
  // sharp applies flop before rotate, whatever the call order.
  if (o.flop) out = out.flop();
  if (o.rotate) out = out.rotate(o.rotate);
  const turned = o.rotate === 90 || o.rotate === 270;
  return {
    image: out,
    width: turned ? found.height : found.width,
    height: turned ? found.width : found.height,
    channels,
    filter: found.filter,
  };
}

interface FullPageImage {
  stream: PDFRawStream;
  filter: EmbeddedPage['filter'];
  width: number;
  height: number;
  bits: number;
  channels: 1 | 3;
  /** /Decode [1 0] on a one-band image, or an inverted mask: samples are flipped. */
  invert: boolean;
  parms: PDFDict | undefined;
  orientation: Orientation;
}

interface Orientation {
  flop: boolean;
  rotate: 0 | 90 | 180 | 270;
}

type Matrix = [number, number, number, number, number, number];

/** a × b for PDF's row-vector affine matrices [a b c d e f]. */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

/** The content of a page: its streams decoded and joined (an array of streams is one content). */
function contentText(context: PDFContext, page: PDFPageLeaf): string | null {
  const contents = page.Contents();
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray().map((o) => context.lookup(o)!) : contents ? [contents] : [];
  let text = '';
  for (const s of streams) {
    if (!(s instanceof PDFRawStream)) return null;
    text += Buffer.from(decodePDFRawStream(s).decode()).toString('latin1') + '\n';
  }
  return text;
}

/**
 * The page's content must be exactly: graphics state saves/restores, matrices, and one image
 * drawn (`q W 0 0 H X Y cm /Im0 Do Q`, as scanners write it). Returns the image's name and
 * the matrix it is drawn with, or null.
 */
function onlyImageDraw(content: string): { name: string; ctm: Matrix } | null {
  const tokens = content.replace(/%[^\r\n]*/g, ' ').split(/[\s]+/).filter(Boolean);
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const saved: Matrix[] = [];
  const operands: string[] = [];
  let drawn: { name: string; ctm: Matrix } | null = null;
  for (const t of tokens) {
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) || t.startsWith('/')) {
      operands.push(t);
      continue;
    }
    if (t === 'q' && operands.length === 0) saved.push(ctm);
    else if (t === 'Q' && operands.length === 0) ctm = saved.pop() ?? ctm;
    else if (t === 'cm' && operands.length === 6 && operands.every((o) => !o.startsWith('/'))) {
      ctm = multiply(operands.map(Number) as Matrix, ctm);
    } else if (t === 'Do' && operands.length === 1 && operands[0]!.startsWith('/') && !drawn) {
      drawn = { name: operands[0]!.slice(1), ctm };
    } else return null; // any other operator: text, paths, colours, a second image
    operands.length = 0;
  }
  return operands.length === 0 ? drawn : null;
}

function num(o: PDFObject | undefined): number | undefined {
  return o instanceof PDFNumber ? o.asNumber() : undefined;
}

/** The axis-aligned orientation that takes image columns to `col` and rows to `row` (device directions). */
function orientationOf(col: [number, number], row: [number, number]): Orientation | null {
  const axis = (v: [number, number]): string | null => {
    const [x, y] = v;
    if (Math.abs(y) <= 1e-3 * Math.abs(x)) return x > 0 ? '+X' : '-X';
    if (Math.abs(x) <= 1e-3 * Math.abs(y)) return y > 0 ? '+Y' : '-Y';
    return null; // skewed or sheared: rendering handles it
  };
  // sharp's rotate(r) (clockwise) after an optional flop, and where it sends columns and rows.
  const table: Record<string, Orientation> = {
    '+X+Y': { flop: false, rotate: 0 },
    '+Y-X': { flop: false, rotate: 90 },
    '-X-Y': { flop: false, rotate: 180 },
    '-Y+X': { flop: false, rotate: 270 },
    '-X+Y': { flop: true, rotate: 0 },
    '-Y-X': { flop: true, rotate: 90 },
    '+X-Y': { flop: true, rotate: 180 },
    '+Y+X': { flop: true, rotate: 270 },
  };
  const c = axis(col);
  const r = axis(row);
  return c && r ? (table[c + r] ?? null) : null;
}

function fullPageImage(context: PDFContext, page: PDFPageLeaf): FullPageImage | null {
  const content = contentText(context, page);
  if (content === null) return null;
  const draw = onlyImageDraw(content);
  if (!draw) return null;
  const xobjects = page.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  const stream = xobjects?.lookup(PDFName.of(draw.name));
  if (!(stream instanceof PDFRawStream)) return null;
  const dict = stream.dict;
  const get = (key: string) => dict.lookup(PDFName.of(key));
  if ((get('Subtype') as PDFName | undefined)?.asString() !== '/Image') return null;
  if (get('SMask') || get('Mask') || get('Alternates')) return null; // transparency: render it
  const width = num(get('Width'));
  const height = num(get('Height'));
  if (!width || !height || !Number.isInteger(width) || !Number.isInteger(height)) return null;

  // One filter only (an array of one counts), and its parameters.
  let filterObj = get('Filter');
  let parmsObj = get('DecodeParms') ?? get('DP');
  if (filterObj instanceof PDFArray) {
    if (filterObj.size() !== 1) return null;
    filterObj = filterObj.lookup(0);
    if (parmsObj instanceof PDFArray) parmsObj = parmsObj.lookup(0);
  }
  const filter = filterObj instanceof PDFName ? filterObj.asString().slice(1) : '';
  if (filter !== 'DCTDecode' && filter !== 'CCITTFaxDecode' && filter !== 'FlateDecode') return null;
  const parms = parmsObj instanceof PDFDict ? parmsObj : undefined;

  // Samples: an image mask is 1-bit, painted black where a sample is 0 (/Decode [1 0]: where 1),
  // which is what a 1-bit grey image shows too; grey and RGB colour spaces as they are.
  const mask = get('ImageMask');
  const isMask = mask instanceof PDFBool && mask.asBoolean();
  let channels: 1 | 3;
  let bits: number;
  if (isMask) {
    channels = 1;
    bits = 1;
  } else {
    const cs = channelsOf(context, get('ColorSpace'));
    if (!cs) return null;
    channels = cs;
    bits = num(get('BitsPerComponent')) ?? 0;
  }
  if (bits !== 1 && bits !== 8) return null;
  let invert = false;
  const decode = get('Decode');
  if (decode instanceof PDFArray) {
    const d = decode.asArray().map((o) => num(o instanceof PDFRef ? context.lookup(o) : o));
    const straight = d.every((v, i) => v === (i % 2 === 0 ? 0 : 1));
    const inverted = channels === 1 && d.length === 2 && d[0] === 1 && d[1] === 0;
    if (!straight && !inverted) return null;
    invert = inverted;
  }

  // The image must cover the visible page (crop box), drawn axis-aligned.
  const [a, b, c, d, e, f] = draw.ctm;
  const corners = [
    [e, f],
    [a + e, b + f],
    [c + e, d + f],
    [a + c + e, b + d + f],
  ];
  const xs = corners.map((p) => p[0]!);
  const ys = corners.map((p) => p[1]!);
  // The crop box, else the media box (both inherited through the page tree), as pdf-lib's PDFPage.getCropBox.
  const box = (page.CropBox() ?? page.MediaBox()).asRectangle();
  const tolX = box.width * 0.01;
  const tolY = box.height * 0.01;
  if (
    Math.abs(Math.min(...xs) - box.x) > tolX ||
    Math.abs(Math.max(...xs) - (box.x + box.width)) > tolX ||
    Math.abs(Math.min(...ys) - box.y) > tolY ||
    Math.abs(Math.max(...ys) - (box.y + box.height)) > tolY
  ) {
    return null;
  }
  // Where image columns and rows go on the screen (y down), after the page's /Rotate (clockwise).
  const rotation = (((page.Rotate()?.asNumber() ?? 0) % 360) + 360) % 360;
  if (rotation % 90 !== 0) return null;
  let col: [number, number] = [a, -b];
  let row: [number, number] = [-c, d]; // image rows run down the image: -(c, d) in user space, y flipped
  for (let r = 0; r < rotation; r += 90) {
    col = [-col[1], col[0]];
    row = [-row[1], row[0]];
  }
  const orientation = orientationOf(col, row);
  if (!orientation) return null;
  return { stream, filter, width, height, bits, channels, invert, parms, orientation };
}

/** Bands of a colour space we take as it is: grey or RGB (ICC-based with 1 or 3 components). */
function channelsOf(context: PDFContext, cs: PDFObject | undefined): 1 | 3 | null {
  const resolved = cs instanceof PDFRef ? context.lookup(cs) : cs;
  if (resolved instanceof PDFName) {
    const n = resolved.asString();
    if (n === '/DeviceGray' || n === '/CalGray' || n === '/G') return 1;
    if (n === '/DeviceRGB' || n === '/CalRGB' || n === '/RGB') return 3;
    return null;
  }
  if (resolved instanceof PDFArray && resolved.size() >= 1) {
    const kind = resolved.lookup(0);
    if (!(kind instanceof PDFName)) return null;
    if (kind.asString() === '/CalGray') return 1;
    if (kind.asString() === '/CalRGB') return 3;
    if (kind.asString() === '/ICCBased') {
      const icc = resolved.lookup(1);
      const n = icc instanceof PDFRawStream ? num(icc.dict.lookup(PDFName.of('N'))) : undefined;
      return n === 1 ? 1 : n === 3 ? 3 : null;
    }
  }
  return null;
}

/** The image's samples as a sharp pipeline, or null for an encoding we leave to the renderer. */
async function decodeImage(img: FullPageImage): Promise<{ pipeline: Sharp; channels: 1 | 3 } | null> {
  const data = Buffer.from(img.stream.contents.buffer, img.stream.contents.byteOffset, img.stream.contents.byteLength);
  const parm = (key: string) => img.parms?.lookup(PDFName.of(key));
  if (img.filter === 'DCTDecode') {
    if (img.bits !== 8) return null;
    const meta = await sharp(data, { limitInputPixels: false }).metadata().catch(() => null);
    // The JPEG must be what the dictionary says (an Adobe CMYK JPEG in an RGB space is not).
    // A colour JPEG in a grey space (some writers do it) shows its luminance.
    if (!meta || meta.format !== 'jpeg' || meta.width !== img.width || meta.height !== img.height) return null;
    if (meta.channels !== img.channels && !(img.channels === 1 && meta.channels === 3)) return null;
    const jpeg = sharp(data, { failOn: 'error', limitInputPixels: false });
    return { pipeline: img.channels === 1 && meta.channels === 3 ? jpeg.toColourspace('b-w') : jpeg, channels: img.channels };
  }
  if (img.filter === 'CCITTFaxDecode') {
    // Group 4 only (K < 0), as scanners write it; Group 3 goes to the renderer.
    const k = num(parm('K')) ?? 0;
    const columns = num(parm('Columns')) ?? 1728;
    const byteAlign = parm('EncodedByteAlign');
    if (k >= 0 || columns !== img.width || (byteAlign instanceof PDFBool && byteAlign.asBoolean())) return null;
    const blackIs1 = parm('BlackIs1');
    // libtiff gives black runs as black (min-is-white); with BlackIs1 the PDF's samples are
    // the other way round, and /Decode [1 0] flips them again.
    if (blackIs1 instanceof PDFBool && blackIs1.asBoolean()) img.invert = !img.invert;
    return { pipeline: sharp(g4Tiff(data, img.width, img.height), { failOn: 'error', limitInputPixels: false }), channels: 1 };
  }
  // FlateDecode, without a predictor: the samples, row after row.
  const predictor = num(parm('Predictor')) ?? 1;
  if (predictor !== 1) return null;
  const rowBytes = Math.ceil((img.width * img.channels * img.bits) / 8);
  const expected = rowBytes * img.height;
  let raw: Buffer;
  try {
    // Never more than the image needs: a deflate bomb stops at its declared size.
    raw = inflateSync(data, { maxOutputLength: expected });
  } catch {
    return null;
  }
  if (raw.length < expected) return null;
  const pixels = img.bits === 8 ? raw : unpackBits(raw, img.width, img.height, rowBytes);
  return { pipeline: sharp(pixels, { raw: { width: img.width, height: img.height, channels: img.channels } }), channels: img.channels };
}

/** 1-bit rows (1 = white) to one byte per pixel (0 or 255). */
function unpackBits(raw: Buffer, width: number, height: number, rowBytes: number): Buffer {
  const out = Buffer.allocUnsafe(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = (raw[row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
  }
  return out;
}

/**
 * A Group 4 strip in a one-page TIFF (little-endian, one strip, min-is-white), which libtiff
 * inside sharp decodes: PDF has the CCITT data without a container.
 */
function g4Tiff(data: Buffer, width: number, height: number): Buffer {
  const tags: Array<[number, number, number]> = [
    // tag, type (3 short, 4 long), value
    [256, 4, width],
    [257, 4, height],
    [258, 3, 1],
    [259, 3, 4], // CCITT T.6
    [262, 3, 0], // min-is-white: black runs come out black
    [273, 4, 0], // strip offset, set below
    [277, 3, 1],
    [278, 4, height],
    [279, 4, data.length],
  ];
  const ifdSize = 2 + tags.length * 12 + 4;
  const header = Buffer.alloc(8 + ifdSize);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  header.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    header.writeUInt16LE(tag, at);
    header.writeUInt16LE(type, at + 2);
    header.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? header.length : value;
    if (type === 3) header.writeUInt16LE(v, at + 8);
    else header.writeUInt32LE(v, at + 8);
  });
  return Buffer.concat([header, data]);
}
