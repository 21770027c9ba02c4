import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { seeded } from '../../tests/emulators/common/seeded';

/**
 * The office pages of `npm run bench -- pages`, as drawings: A4 pages with body text and codes at
 * realistic sizes and places, deterministic from a seed. Each page is a list of text lines and
 * filled rectangles in millimetres on its content (A4 portrait, or landscape for pages scanned
 * sideways), plus how the page was scanned (rotation, skew, contrast, 1-bit fax). render.ts turns
 * a page into 300-dpi pixels, vector-pdf.ts into PDF drawing operators: the same page either way.
 */

export type Symbology = 'QRCode' | 'DataMatrix' | 'PDF417' | 'Code128' | 'Code39' | 'EAN-13' | 'ITF';

export interface Truth {
  symbology: Symbology;
  text: string;
}

export interface TextLine {
  x: number; // mm, left end of the baseline
  y: number; // mm, baseline
  size: number; // pt
  bold: boolean;
  text: string;
}

/** A filled rectangle (code modules and bars): top-left corner and size, mm. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Effect = 'clean' | 'low-contrast' | 'fax';

export interface PageLayout {
  index: number;
  /** Content size in mm: 210x297, or 297x210 for a landscape sheet. */
  width: number;
  height: number;
  /** Clockwise rotation of the content on the scanned portrait page (90/270 for landscape content). */
  rotate: 0 | 90 | 180 | 270;
  /** A few degrees of skew from the feeder, clockwise. */
  skew: number;
  effect: Effect;
  text: TextLine[];
  rects: Rect[];
  truth: Truth[];
}

export const A4 = { width: 210, height: 297 };
export const DPI = 300;
/** The scanned page in pixels: A4 at 300 dpi. */
export const PAGE_PX = { width: 2480, height: 3508 };

const WORDS = (
  'the of and to in is for on with as by at from that this be are was an or it not which have has ' +
  'invoice order delivery payment terms account customer supplier net total amount due date item ' +
  'quantity price discount tax shipment warehouse reference contract service period agreement ' +
  'please note remittance advice balance credit debit statement purchase goods received returned ' +
  'quality inspection certificate conformity customs declaration origin weight pallet carton'
).split(' ');

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const between = (r: Rng, a: number, b: number): number => a + r() * (b - a);
const digits = (r: Rng, n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');

function sentence(r: Rng, chars: number): string {
  let s = '';
  while (s.length < chars) s += (s ? ' ' : '') + pick(r, WORDS);
  return s.slice(0, chars).trimEnd();
}

/** GS1 check digit of the first n-1 digits (EAN-13, ITF-14). */
function gs1Check(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

let writerReady: Promise<unknown> | null = null;
function loadWriter(): Promise<unknown> {
  const req = createRequire(import.meta.url);
  if (!writerReady) {
    const buf = readFileSync(req.resolve('zxing-wasm/writer/zxing_writer.wasm'));
    writerReady = prepareZXingModule({
      overrides: { wasmBinary: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) },
      fireImmediately: true,
    });
  }
  return writerReady;
}

/** The module matrix of a code (true = dark), one row for linear codes. */
async function modules(format: Symbology, text: string): Promise<{ width: number; height: number; dark: (x: number, y: number) => boolean }> {
  await loadWriter();
  const zx = format === 'EAN-13' ? 'EAN13' : format;
  const r = await writeBarcode(text, { format: zx as never, scale: 1, addQuietZones: false });
  if (r.error) throw new Error(`writing ${format} "${text}": ${r.error}`);
  const { width, height, data } = r.symbol;
  const linear = format !== 'QRCode' && format !== 'DataMatrix' && format !== 'PDF417';
  return { width, height: linear ? 1 : height, dark: (x, y) => data[y * width + x] === 0 };
}

/**
 * The rectangles of one code: `module` mm per module, bars `barHeight` mm tall for linear codes
 * (PDF417 rows are 3 modules tall as the writer draws them). Runs of dark modules in a row are
 * merged into one rectangle. Returns the rectangles and the code's size.
 */
async function codeRects(
  format: Symbology,
  text: string,
  x: number,
  y: number,
  module: number,
  barHeight: number,
): Promise<{ rects: Rect[]; w: number; h: number }> {
  const m = await modules(format, text);
  const rowH = m.height === 1 ? barHeight : module;
  const rects: Rect[] = [];
  for (let row = 0; row < m.height; row++) {
    let run = -1;
    for (let col = 0; col <= m.width; col++) {
      const dark = col < m.width && m.dark(col, row);
      if (dark && run < 0) run = col;
      if (!dark && run >= 0) {
        rects.push({ x: x + run * module, y: y + row * rowH, w: (col - run) * module, h: rowH });
        run = -1;
      }
    }
  }
  return { rects, w: m.width * module, h: m.height * rowH };
}

interface Placed {
  truth: Truth;
  rects: Rect[];
  box: Rect;
}

/** One code at (x, y) with realistic module sizes for its kind; `scale` in 0.9-1.2 varies them. */
async function placeCode(r: Rng, format: Symbology, x: number, y: number): Promise<Placed> {
  let text: string;
  let module: number;
  let bar = 0;
  switch (format) {
    case 'QRCode':
      text = `https://portal.example.com/d/${digits(r, 10)}?k=${Math.floor(r() * 1e6).toString(36).toUpperCase()}`;
      module = between(r, 0.5, 0.8);
      break;
    case 'DataMatrix':
      text = `PO${digits(r, 10)} LOT${digits(r, 6)}`;
      module = between(r, 0.45, 0.6);
      break;
    case 'PDF417':
      text = `SHIP TO: ${sentence(r, 18).toUpperCase()}; REF ${digits(r, 8)}; WT ${digits(r, 2)}.${digits(r, 1)}KG`;
      module = between(r, 0.3, 0.38);
      break;
    case 'Code128':
      text = `INV${digits(r, 9)}`;
      module = between(r, 0.3, 0.42);
      bar = between(r, 10, 14);
      break;
    case 'Code39':
      text = `DOC-${digits(r, 6)}`;
      module = between(r, 0.3, 0.38);
      bar = between(r, 9, 12);
      break;
    case 'EAN-13': {
      const body = `${pick(r, ['400', '590', '690', '871', '978'])}${digits(r, 9)}`;
      text = body + gs1Check(body);
      module = between(r, 0.31, 0.38);
      bar = between(r, 20, 24);
      break;
    }
    case 'ITF': {
      const body = `1${digits(r, 12)}`;
      text = body + gs1Check(body);
      module = between(r, 0.5, 0.7);
      bar = between(r, 26, 32);
      break;
    }
  }
  const c = await codeRects(format, text, x, y, module, bar);
  const rects = [...c.rects];
  if (format === 'ITF') {
    // ITF-14 bearer bars above and below the symbol (on shipping cartons).
    const t = 4.8 * module;
    const q = 10 * module;
    rects.push({ x: x - q, y: y - t, w: c.w + 2 * q, h: t }, { x: x - q, y: y + c.h, w: c.w + 2 * q, h: t });
  }
  return { truth: { symbology: format, text }, rects, box: { x, y, w: c.w, h: c.h } };
}

function textBlock(r: Rng, x: number, y0: number, y1: number, width: number, size: number, skip: Rect[]): TextLine[] {
  const lines: TextLine[] = [];
  const lead = (size * 25.4) / 72 * 1.35;
  // DejaVu Sans averages about 0.55 em per character of running text.
  const charsPerLine = Math.floor(width / ((size * 25.4) / 72 * 0.56));
  for (let y = y0; y < y1; y += lead) {
    if (r() < 0.08) continue; // paragraph break
    // Lines never run into a code (its quiet zone included).
    const blocked = skip.filter((b) => y > b.y - 6 && y - lead < b.y + b.h + 6);
    let right = x + width;
    let left = x;
    for (const b of blocked) {
      if (b.x > x + width / 2) right = Math.min(right, b.x - 8);
      else left = Math.max(left, b.x + b.w + 8);
    }
    if (right - left < 30) continue;
    const n = Math.floor((charsPerLine * (right - left)) / width * between(r, 0.85, 1));
    lines.push({ x: left, y, size, bold: false, text: sentence(r, n) });
  }
  return lines;
}

function header(r: Rng, width: number): TextLine[] {
  const company = `${pick(r, ['Nordhaven', 'Lintel', 'Bramwell', 'Ostara', 'Keswick'])} ${pick(r, ['Logistics', 'Trading', 'Supplies', 'Industries'])} ${pick(r, ['GmbH', 'Ltd', 'S.A.', 'B.V.'])}`;
  return [
    { x: 20, y: 22, size: 16, bold: true, text: company },
    { x: 20, y: 29, size: 9, bold: false, text: `${digits(r, 2)} ${pick(r, ['Harbour', 'Mill', 'Station', 'Market'])} Road, ${digits(r, 5)} ${pick(r, ['Hamburg', 'Leeds', 'Lyon', 'Utrecht'])}` },
    { x: 20, y: 34, size: 9, bold: false, text: `Tel +${digits(r, 2)} ${digits(r, 3)} ${digits(r, 6)}   VAT ${digits(r, 9)}` },
    { x: 20, y: 48, size: 13, bold: true, text: `${pick(r, ['Invoice', 'Delivery note', 'Purchase order', 'Packing list'])} ${digits(r, 8)}` },
    { x: width - 80, y: 48, size: 10, bold: false, text: `Date ${2020 + Math.floor(r() * 7)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` },
  ];
}

/** The codes of one page, by the kind of page it is. */
type Recipe = Symbology[];
const RECIPES: Recipe[] = [
  ['QRCode'], // a cover sheet with a QR code
  ['Code128'], // a document id in the footer
  ['DataMatrix', 'Code128'],
  ['PDF417'], // a shipping manifest
  ['ITF', 'Code128'], // a carton label sheet
  ['EAN-13', 'EAN-13'], // a product sheet
  ['Code39'],
  ['QRCode', 'Code128'],
];

/**
 * `count` pages, about half with no code (a document's first page carries its code, the pages
 * after it do not), every symbology at least once.
 */
export async function generatePages(seed: number, count: number): Promise<PageLayout[]> {
  const r = seeded(seed);
  const pages: PageLayout[] = [];
  let recipe = 0;
  const scans = { withCodes: 0, without: 0 };
  while (pages.length < count) {
    const docPages = 1 + Math.floor(r() * 3); // 1-3 pages per document
    for (let p = 0; p < docPages && pages.length < count; p++) {
      const withCodes = p === 0 && pages.length % 2 === 0 ? true : p === 0 ? r() < 0.7 : false;
      // Pages with and without codes each get every kind of scan, spread evenly.
      const scan = scanOf(r, withCodes ? scans.withCodes++ : 3 + scans.without++);
      pages.push(await page(r, pages.length, withCodes ? RECIPES[recipe++ % RECIPES.length]! : [], scan));
    }
  }
  return pages;
}

interface Scan {
  rotate: PageLayout['rotate'];
  skew: number;
  effect: Effect;
}

/**
 * How the k-th page of its kind was scanned: mostly upright; sideways (a landscape print) or
 * upside down one page in three; skewed by up to 3 degrees one in four; low-contrast or
 * fax-like 1-bit one in five each.
 */
function scanOf(r: Rng, k: number): Scan {
  const rotate = ([0, 0, 90, 0, 180, 270] as const)[k % 6]!;
  const skew = k % 4 === 1 ? (r() < 0.5 ? -1 : 1) * between(r, 1, 3) : 0;
  const effect: Effect = k % 5 === 3 ? 'fax' : k % 5 === 1 ? 'low-contrast' : 'clean';
  return { rotate, skew, effect };
}

async function page(r: Rng, index: number, recipe: Recipe, scan: Scan): Promise<PageLayout> {
  const { rotate, skew, effect } = scan;
  const landscape = rotate === 90 || rotate === 270;
  const width = landscape ? A4.height : A4.width;
  const height = landscape ? A4.width : A4.height;

  const placed: Placed[] = [];
  let footerX = 20;
  for (const format of recipe) {
    const twoD = format === 'QRCode' || format === 'DataMatrix';
    if (twoD && !placed.some((c) => c.box.y < 60)) {
      // top-right corner, beside the letterhead
      placed.push(await placeCode(r, format, width - 20 - 30, 14));
    } else if (format === 'ITF' || format === 'EAN-13' || format === 'PDF417') {
      // a label block in the middle of the page
      const y = 80 + placed.filter((c) => c.box.y > 60 && c.box.y < height - 50).length * 55;
      placed.push(await placeCode(r, format, 30 + r() * 20, y));
    } else {
      // footer, left to right
      const c = await placeCode(r, format, footerX, height - 32);
      footerX += c.box.w + 25;
      placed.push(c);
    }
  }
  const boxes = placed.map((c) => c.box);
  const text = [...header(r, width), ...textBlock(r, 20, 62, height - 40, width - 40, 10.5, boxes)];
  // A footer line under any footer codes.
  text.push({ x: 20, y: height - 12, size: 8, bold: false, text: `Page ${index + 1}   ${sentence(r, 60)}` });
  return {
    index,
    width,
    height,
    rotate,
    skew,
    effect,
    text,
    rects: placed.flatMap((c) => c.rects),
    truth: placed.map((c) => c.truth),
  };
}
