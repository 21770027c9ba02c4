import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFPageLeaf,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
  type PDFObject,
} from './pdf-lib';

/**
 * One page of a PDF read without parsing the whole file. pdf-lib's PDFDocument.load parses
 * every object of the file before the first page can be looked at (the 18 MB, 500-page bench
 * scan: 85 CPU-ms and every page's image in memory, in each decode worker, before page 1). Here
 * the cross-reference table (classic or stream, with its /Prev chain) says where each object
 * is, and an object is parsed, with pdf-lib's own object parser into pdf-lib's object model,
 * the first time something looks it up: the page tree down to page N, its content, its
 * resources, its image's dictionary.
 *
 * Anything unexpected (no startxref, an offset that does not hold the object it should, a
 * cross-reference stream we cannot decode) throws: the caller then parses the whole file as
 * before, which copes with damaged files by reading them front to back.
 */
export class LazyPdf {
  readonly context: PDFContext;
  private readonly entries = new Map<number, Entry>();
  private readonly root: PDFRef;
  /** The file is encrypted: its streams cannot be read as they are. */
  readonly encrypted: boolean;

  private constructor(private readonly bytes: Uint8Array) {
    this.context = PDFContext.create();
    // Lookups through pdf-lib's objects (dict.lookup, the page's inherited attributes) land here.
    (this.context as unknown as { indirectObjects: Map<PDFRef, PDFObject> }).indirectObjects = new LoadingMap((ref) => this.load(ref));
    const trailer = this.readCrossReferences();
    const root = trailer.get(PDFName.of('Root'));
    if (!(root instanceof PDFRef)) throw new Error('no /Root');
    this.root = root;
    this.encrypted = trailer.has(PDFName.of('Encrypt'));
  }

  /** Throws when the file's cross-references cannot be read (see above). */
  static open(bytes: Uint8Array): LazyPdf {
    return new LazyPdf(bytes);
  }

  /**
   * Page `n` (1-based) and its reference, walking the page tree by its /Count values; null
   * when the document has no such page.
   */
  page(n: number): PDFPageLeaf | null {
    const catalog = this.context.lookup(this.root, PDFDict);
    let node = catalog.lookup(PDFName.of('Pages'), PDFDict);
    let index = n - 1;
    if (index < 0) return null;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const kids = node.lookup(PDFName.of('Kids'), PDFArray);
      let next: PDFDict | null = null;
      for (let i = 0; i < kids.size() && !next; i++) {
        const kid = kids.lookup(i, PDFDict);
        if (kid.has(PDFName.of('Kids'))) {
          const count = kid.lookup(PDFName.of('Count'), PDFNumber).asNumber();
          if (index < count) next = kid;
          else index -= count;
        } else if (index === 0) {
          if (!(kid instanceof PDFPageLeaf)) throw new Error('a page without /Type /Page');
          return kid;
        } else index--;
      }
      if (!next) return null;
      node = next;
    }
    throw new Error('page tree too deep');
  }

  /** The cross-reference sections, newest first (an object's newest entry wins); the newest trailer. */
  private readCrossReferences(): PDFDict {
    const b = this.bytes;
    const at = lastIndexOf(b, STARTXREF, Math.max(0, b.length - 4096));
    if (at < 0) throw new Error('no startxref');
    let offset = Number(/^\s*(\d+)/.exec(latin1(b, at + STARTXREF.length, at + STARTXREF.length + 32))?.[1] ?? NaN);
    let newest: PDFDict | null = null;
    const seen = new Set<number>();
    for (let n = 0; Number.isInteger(offset) && n < MAX_SECTIONS; n++) {
      if (seen.has(offset)) break;
      seen.add(offset);
      const trailer = this.readSection(offset);
      newest ??= trailer;
      const prev = trailer.get(PDFName.of('Prev'));
      offset = prev instanceof PDFNumber ? prev.asNumber() : NaN;
    }
    if (!newest) throw new Error('no cross-reference section');
    return newest;
  }

  private readSection(offset: number): PDFDict {
    const b = this.bytes;
    const head = latin1(b, offset, offset + 16);
    if (/^\s*xref/.test(head)) {
      const end = indexOf(b, TRAILER, offset);
      if (end < 0) throw new Error('no trailer');
      const tokens = latin1(b, offset, end).trim().split(/\s+/);
      const table: Array<[number, Entry]> = [];
      for (let i = 1; i + 1 < tokens.length; ) {
        const first = Number(tokens[i]);
        const count = Number(tokens[i + 1]);
        i += 2;
        if (!Number.isInteger(first) || !Number.isInteger(count)) throw new Error('bad xref subsection');
        for (let k = 0; k < count; k++, i += 3) {
          const type = tokens[i + 2];
          if (type !== 'n' && type !== 'f') throw new Error('bad xref entry');
          table.push([first + k, type === 'n' ? { offset: Number(tokens[i]) } : null]);
        }
      }
      const trailer = PDFObjectParser.forBytes(b.subarray(end + TRAILER.length), this.context).parseObject();
      if (!(trailer instanceof PDFDict)) throw new Error('no trailer dictionary');
      // A hybrid file's table lists its compressed objects as free; its /XRefStm stream has them.
      const stm = trailer.get(PDFName.of('XRefStm'));
      if (stm instanceof PDFNumber) this.readSection(stm.asNumber());
      for (const [n, entry] of table) this.add(n, entry);
      return trailer;
    }
    const stream = this.parseAt(offset, null);
    if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) throw new Error('no xref stream');
    this.readXrefStream(stream);
    return stream.dict;
  }

  private readXrefStream(stream: PDFRawStream): void {
    const dict = stream.dict;
    const widths = dict.lookup(PDFName.of('W'), PDFArray).asArray().map((w) => (w as PDFNumber).asNumber());
    const [w0, w1, w2] = widths as [number, number, number];
    const size = dict.lookup(PDFName.of('Size'), PDFNumber).asNumber();
    const index = dict.lookupMaybe(PDFName.of('Index'), PDFArray)?.asArray().map((n) => (n as PDFNumber).asNumber()) ?? [0, size];
    const rows = unpredict(flateData(stream), w0 + w1 + w2, dict);
    let at = 0;
    const field = (width: number, fallback: number) => {
      if (width === 0) return fallback;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + rows[at++]!;
      return v;
    };
    for (let s = 0; s + 1 < index.length; s += 2) {
      for (let k = 0; k < index[s + 1]!; k++) {
        if (at + w0 + w1 + w2 > rows.length) throw new Error('short xref stream');
        const type = field(w0, 1);
        const a = field(w1, 0);
        const c = field(w2, 0);
        this.add(index[s]! + k, type === 1 ? { offset: a } : type === 2 ? { stream: a, index: c } : null);
      }
    }
  }

  private add(objectNumber: number, entry: Entry): void {
    if (!this.entries.has(objectNumber)) this.entries.set(objectNumber, entry);
  }

  /** The object `ref` names, parsed from where the cross-references say it is. */
  private load(ref: PDFRef): PDFObject | undefined {
    const e = this.entries.get(ref.objectNumber);
    if (!e) return undefined; // free or absent: a null object
    if ('offset' in e) return this.parseAt(e.offset, ref.objectNumber);
    const stream = this.context.lookup(PDFRef.of(e.stream, 0));
    if (!(stream instanceof PDFRawStream)) throw new Error('object stream missing');
    const data = decodePDFRawStream(stream).decode();
    const n = stream.dict.lookup(PDFName.of('N'), PDFNumber).asNumber();
    const first = stream.dict.lookup(PDFName.of('First'), PDFNumber).asNumber();
    const header = latin1(data, 0, first).trim().split(/\s+/).map(Number);
    if (e.index >= n || header[2 * e.index] !== ref.objectNumber) throw new Error('object not where its object stream says');
    return PDFObjectParser.forBytes(data.subarray(first + header[2 * e.index + 1]!), this.context).parseObject();
  }

  /** The indirect object at `offset` (`N G obj ...`), which must be object `expected` when given. */
  private parseAt(offset: number, expected: number | null): PDFObject {
    const head = /^\s*(\d+)\s+(\d+)\s+obj/.exec(latin1(this.bytes, offset, offset + 40));
    if (!head || (expected !== null && Number(head[1]) !== expected)) throw new Error('object not at its offset');
    return PDFObjectParser.forBytes(this.bytes.subarray(offset + head[0].length), this.context).parseObject();
  }
}

type Entry = { offset: number } | { stream: number; index: number } | null;

const MAX_DEPTH = 64;
const MAX_SECTIONS = 256;
const STARTXREF = Buffer.from('startxref', 'latin1');
const TRAILER = Buffer.from('trailer', 'latin1');

/** A Map that fills itself: the first get() of a key loads it (once, found or not). */
class LoadingMap extends Map<PDFRef, PDFObject> {
  private readonly tried = new Set<PDFRef>();

  constructor(private readonly loader: (ref: PDFRef) => PDFObject | undefined) {
    super();
  }

  override get(ref: PDFRef): PDFObject | undefined {
    const known = super.get(ref);
    if (known !== undefined || this.tried.has(ref)) return known;
    this.tried.add(ref);
    const loaded = this.loader(ref);
    if (loaded !== undefined) super.set(ref, loaded);
    return loaded;
  }
}

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, Math.max(0, Math.min(to, b.length) - from)).toString('latin1');
}

function indexOf(b: Uint8Array, what: Buffer, from: number): number {
  return Buffer.from(b.buffer, b.byteOffset, b.length).indexOf(what, from);
}

function lastIndexOf(b: Uint8Array, what: Buffer, from: number): number {
  const at = Buffer.from(b.buffer, b.byteOffset, b.length).lastIndexOf(what);
  return at >= from ? at : -1;
}

/** A cross-reference stream's data: Flate (as every writer stores them) or none. */
function flateData(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const name = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
  if (name === undefined) return stream.contents;
  if (name !== PDFName.of('FlateDecode')) throw new Error('xref stream filter');
  return inflateSync(stream.contents);
}

/** Undoes a PNG predictor (/Predictor >= 10, as most writers use for these rows). */
function unpredict(data: Uint8Array, columns: number, dict: PDFDict): Uint8Array {
  const parms = dict.lookupMaybe(PDFName.of('DecodeParms'), PDFDict);
  const predictor = parms?.lookupMaybe(PDFName.of('Predictor'), PDFNumber)?.asNumber() ?? 1;
  if (predictor === 1) return data;
  if (predictor < 10) throw new Error('TIFF predictor');
  const cols = parms?.lookupMaybe(PDFName.of('Columns'), PDFNumber)?.asNumber() ?? 1;
  if (cols !== columns) throw new Error('predictor columns');
  const rows = Math.floor(data.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (columns + 1)]!;
    const src = r * (columns + 1) + 1;
    const o = r * columns;
    for (let i = 0; i < columns; i++) {
      const x = data[src + i]!;
      const left = i > 0 ? out[o + i - 1]! : 0;
      const up = r > 0 ? out[o - columns + i]! : 0;
      const upLeft = r > 0 && i > 0 ? out[o - columns + i - 1]! : 0;
      let v: number;
      if (type === 0) v = x;
      else if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new Error('PNG filter type');
      out[o + i] = v & 0xff;
    }
  }
  return out;
}
