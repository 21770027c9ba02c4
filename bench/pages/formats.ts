import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { degrees, PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { A4, PAGE_PX, type PageLayout } from './layout';
import { contentTransform, type GrayPage } from './render';

/**
 * The same scanned pages in every form an office sends them: one PNG and one JPEG per page, one
 * multi-page TIFF in G4 (1-bit, as fax and b/w scanners write it) and one in LZW (8-bit grey),
 * a scanned PDF (one image per page: JPEG for grey pages, CCITT G4 for 1-bit ones, as scanners
 * write them) and a vector PDF (text and codes drawn, as invoices are printed to PDF).
 */
export interface PageFiles {
  png: string[];
  jpeg: string[];
  tiffG4: string;
  tiffLzw: string;
  scannedPdf: string;
  vectorPdf: string;
  /** A 500-page scanned PDF (the pages over and over), for the time to the first result. */
  longPdf: string;
}

export const LONG_PDF_PAGES = 500;

const pad = (i: number) => String(i + 1).padStart(3, '0');

function raw(g: GrayPage) {
  return sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } });
}

/** 1-bit: fax pages are already; grey ones are thresholded between their ink and paper. */
function bilevel(g: GrayPage): Buffer {
  if (g.bilevel) return g.data;
  const out = Buffer.allocUnsafe(g.data.length);
  for (let i = 0; i < out.length; i++) out[i] = g.data[i]! < 150 ? 0 : 255;
  return out;
}

/** One page as a single-strip G4 TIFF, min-is-white (a set bit is black, as CCITT codes it). */
async function g4Tiff(data: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, miniswhite: true, tileHeight: height })
    .toBuffer();
}

/** The G4 data of a single-strip TIFF (its only strip). */
function onlyStrip(tiff: Buffer): Buffer {
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  let offset = -1;
  let count = -1;
  for (let i = 0; i < u16(ifd); i++) {
    const e = ifd + 2 + i * 12;
    const tag = u16(e);
    const n = u32(e + 4);
    const value = u16(e + 2) === 3 ? u16(e + 8) : u32(e + 8);
    if ((tag === 273 || tag === 279) && n !== 1) throw new Error('expected a single-strip TIFF');
    if (tag === 273) offset = value;
    if (tag === 279) count = value;
  }
  return tiff.subarray(offset, offset + count);
}

/**
 * A multi-page G4 TIFF from single-strip G4 pages (libvips cannot write 1-bit multi-page TIFF):
 * little-endian, one IFD per page, min-is-white, 300 dpi.
 */
function multiPageG4(pages: Array<{ data: Buffer; width: number; height: number }>): Buffer {
  const parts: Buffer[] = [];
  let offset = 8;
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  parts.push(header);
  let previousNext = 4; // where the offset of the next IFD goes
  const patches: Array<{ at: number; value: number }> = [];
  for (const p of pages) {
    const tags: Array<[number, number, number, number]> = [
      // tag, type (3 short, 4 long, 5 rational), count, value
      [256, 4, 1, p.width],
      [257, 4, 1, p.height],
      [258, 3, 1, 1],
      [259, 3, 1, 4], // CCITT T.6
      [262, 3, 1, 0], // min-is-white
      [273, 4, 1, 0], // strip offset, patched below
      [277, 3, 1, 1],
      [278, 4, 1, p.height],
      [279, 4, 1, p.data.length],
      [282, 5, 1, 0], // x resolution, patched below
      [283, 5, 1, 0],
      [296, 3, 1, 2], // inch
    ];
    const ifdAt = offset;
    patches.push({ at: previousNext, value: ifdAt });
    const ifd = Buffer.alloc(2 + tags.length * 12 + 4 + 8);
    ifd.writeUInt16LE(tags.length, 0);
    const resAt = ifdAt + 2 + tags.length * 12 + 4;
    const dataAt = resAt + 8;
    tags.forEach(([tag, type, count, value], i) => {
      const e = 2 + i * 12;
      ifd.writeUInt16LE(tag, e);
      ifd.writeUInt16LE(type, e + 2);
      ifd.writeUInt32LE(count, e + 4);
      const v = tag === 273 ? dataAt : tag === 282 || tag === 283 ? resAt : value;
      if (type === 3) ifd.writeUInt16LE(v, e + 8);
      else ifd.writeUInt32LE(v, e + 8);
    });
    ifd.writeUInt32LE(300, 2 + tags.length * 12 + 4);
    ifd.writeUInt32LE(1, 2 + tags.length * 12 + 8);
    previousNext = ifdAt + 2 + tags.length * 12;
    parts.push(ifd, p.data);
    offset += ifd.length + p.data.length;
    if (offset % 2) {
      parts.push(Buffer.alloc(1));
      offset++;
    }
  }
  const out = Buffer.concat(parts, offset);
  for (const { at, value } of patches) out.writeUInt32LE(value, at);
  return out;
}

export interface ScannedImage {
  filter: 'DCTDecode' | 'CCITTFaxDecode';
  bits: 1 | 8;
  width: number;
  height: number;
  data: Buffer;
}

/** What a scanner embeds for this page: G4 for 1-bit pages, grey (one-component) JPEG for the others. */
export async function scannedImage(g: GrayPage): Promise<ScannedImage> {
  if (g.bilevel) {
    return { filter: 'CCITTFaxDecode', bits: 1, width: g.width, height: g.height, data: onlyStrip(await g4Tiff(g.data, g.width, g.height)) };
  }
  return { filter: 'DCTDecode', bits: 8, width: g.width, height: g.height, data: await raw(g).toColourspace('b-w').jpeg({ quality: 80 }).toBuffer() };
}

/**
 * A scanned PDF, written by hand as scanners write it: one page per image, the image filling
 * an A4 page. `order` repeats images to make long documents (a 500-page PDF).
 */
export function scannedPdf(images: ScannedImage[], order: number[] = images.map((_, i) => i)): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  const obj = (n: number, body: string, stream?: Buffer) => {
    offsets[n] = length;
    push(`${n} 0 obj\n${body}\n`);
    if (stream) {
      push('stream\n');
      push(stream);
      push('\nendstream\n');
    }
    push('endobj\n');
  };
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const wPt = (A4.width * 72) / 25.4;
  const hPt = (A4.height * 72) / 25.4;
  // Objects: 1 catalog, 2 page tree, then per image one XObject, per page a page and its contents.
  const imageObj = (i: number) => 3 + i;
  const pageObj = (p: number) => 3 + images.length + 2 * p;
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, `<< /Type /Pages /Count ${order.length} /Kids [${order.map((_, p) => `${pageObj(p)} 0 R`).join(' ')}] >>`);
  images.forEach((im, i) => {
    const params = im.filter === 'CCITTFaxDecode' ? ` /DecodeParms << /K -1 /Columns ${im.width} /Rows ${im.height} >>` : '';
    obj(
      imageObj(i),
      `<< /Type /XObject /Subtype /Image /Width ${im.width} /Height ${im.height} /ColorSpace /DeviceGray ` +
        `/BitsPerComponent ${im.bits} /Filter /${im.filter}${params} /Length ${im.data.length} >>`,
      im.data,
    );
  });
  order.forEach((i, p) => {
    const content = Buffer.from(`q ${wPt.toFixed(2)} 0 0 ${hPt.toFixed(2)} 0 0 cm /Im0 Do Q`, 'latin1');
    obj(
      pageObj(p),
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${wPt.toFixed(2)} ${hPt.toFixed(2)}] ` +
        `/Resources << /XObject << /Im0 ${imageObj(i)} 0 R >> >> /Contents ${pageObj(p) + 1} 0 R >>`,
    );
    obj(pageObj(p) + 1, `<< /Length ${content.length} >>`, content);
  });
  const count = pageObj(order.length);
  const xref = length;
  push(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let n = 1; n < count; n++) push(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts, length);
}

/** The pages drawn as vectors (text and code modules), placed and turned as on the scan. */
export async function vectorPdf(pages: PageLayout[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const k = 72 / 25.4;
  for (const p of pages) {
    const page = doc.addPage([A4.width * k, A4.height * k]);
    const t = contentTransform(p);
    const a = (t.angle * Math.PI) / 180;
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    // content mm (y down) -> portrait page mm (y down, turned clockwise about the centres) -> PDF pt (y up)
    const at = (x: number, y: number) => {
      const dx = x - t.cx;
      const dy = y - t.cy;
      return { x: (A4.width / 2 + dx * cos - dy * sin) * k, y: (A4.height - (A4.height / 2 + dx * sin + dy * cos)) * k };
    };
    const rotate = degrees(-t.angle);
    for (const r of p.rects) {
      const o = at(r.x, r.y + r.h); // the rectangle's bottom-left corner
      page.drawRectangle({ x: o.x, y: o.y, width: r.w * k, height: r.h * k, rotate, color: rgb(0, 0, 0), borderWidth: 0 });
    }
    for (const line of p.text) {
      const o = at(line.x, line.y);
      page.drawText(line.text, { x: o.x, y: o.y, size: line.size, font: line.bold ? bold : regular, rotate, color: rgb(0, 0, 0) });
    }
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** Writes every form of the pages under `dir`. */
export async function writePageFiles(dir: string, layouts: PageLayout[], grays: GrayPage[]): Promise<PageFiles> {
  mkdirSync(join(dir, 'png'), { recursive: true });
  mkdirSync(join(dir, 'jpeg'), { recursive: true });
  const files: PageFiles = {
    png: [],
    jpeg: [],
    tiffG4: join(dir, 'pages-g4.tif'),
    tiffLzw: join(dir, 'pages-lzw.tif'),
    scannedPdf: join(dir, 'scanned.pdf'),
    vectorPdf: join(dir, 'vector.pdf'),
    longPdf: join(dir, `scanned-${LONG_PDF_PAGES}.pdf`),
  };
  for (const [i, g] of grays.entries()) {
    const png = join(dir, 'png', `page-${pad(i)}.png`);
    const jpeg = join(dir, 'jpeg', `page-${pad(i)}.jpg`);
    await raw(g).png({ compressionLevel: 6 }).toFile(png);
    await raw(g).jpeg({ quality: 85 }).toFile(jpeg);
    files.png.push(png);
    files.jpeg.push(jpeg);
  }
  const { width, height } = PAGE_PX;
  const stack = Buffer.concat(grays.map((g) => g.data));
  const multi = sharp(stack, { raw: { width, height: height * grays.length, channels: 1, pageHeight: height } });
  const g4 = await Promise.all(grays.map(async (g) => ({ width, height, data: onlyStrip(await g4Tiff(bilevel(g), width, height)) })));
  writeFileSync(files.tiffG4, multiPageG4(g4));
  await multi.tiff({ compression: 'lzw', predictor: 'horizontal', tileHeight: height }).toFile(files.tiffLzw);
  const images = await Promise.all(grays.map(scannedImage));
  writeFileSync(files.scannedPdf, scannedPdf(images));
  writeFileSync(files.longPdf, scannedPdf(images, Array.from({ length: LONG_PDF_PAGES }, (_, p) => p % images.length)));
  writeFileSync(files.vectorPdf, await vectorPdf(layouts));
  return files;
}
