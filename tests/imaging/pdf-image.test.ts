import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  PDFDocument,
  concatTransformationMatrix,
  degrees,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  rgb,
} from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrayIfGray, loadOriented } from '../../electron/core/imaging/load';
import { loadPdfPage } from '../../electron/core/imaging/pdf';
import { embeddedPageImage } from '../../electron/core/imaging/pdf-image';
import { readSourceFile } from '../../electron/core/imaging/source-file';
import { Z } from '../fixtures/samples';
import { failure } from '../support/scan-error';
import { readRgba } from './zxing-helper';

/**
 * Scanned PDF pages are read from their embedded image (pdf-image.ts), not rendered: real PDFs
 * written here as scanners write them (one image per page: JPEG, CCITT G4, Flate; masks and
 * /Decode arrays), each read back and its code decoded by an independent ZXing.
 */
const QR = readFileSync(Z + 'qrcode-3/01.txt', 'utf8');
/** A page at 100 dpi (A4: 827x1169), the code in its top-left quarter so turns are visible. */
const W = 827;
const H = 1169;
let grey: Buffer; // one byte per pixel
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pdf-image-'));
  const code = await sharp(Z + 'qrcode-3/01.png').greyscale().resize(300).toBuffer();
  grey = await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } })
    .composite([{ input: code, left: 60, top: 80 }])
    .greyscale()
    .raw()
    .toBuffer();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bilevel = (g: Buffer) => Buffer.from(g.map((v) => (v < 128 ? 0 : 255)));
const invert = (g: Buffer) => Buffer.from(g.map((v) => 255 - v));

/** 1-bit rows, a set bit for every pixel whose value is `setWhen`. */
function packBits(g: Buffer, setWhen: 0 | 255): Buffer {
  const rowBytes = Math.ceil(W / 8);
  const out = Buffer.alloc(rowBytes * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (g[y * W + x] === setWhen) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
  return out;
}

/** The Group 4 data of a page (the one strip of a G4 TIFF sharp writes). */
async function g4(g: Buffer): Promise<Buffer> {
  const tiff = await sharp(g, { raw: { width: W, height: H, channels: 1 } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, miniswhite: true, tileHeight: H })
    .toBuffer();
  let offset = 0;
  let count = 0;
  const ifd = tiff.readUInt32LE(4);
  for (let i = 0; i < tiff.readUInt16LE(ifd); i++) {
    const e = ifd + 2 + i * 12;
    const value = tiff.readUInt16LE(e + 2) === 3 ? tiff.readUInt16LE(e + 8) : tiff.readUInt32LE(e + 8);
    if (tiff.readUInt16LE(e) === 273) offset = value;
    if (tiff.readUInt16LE(e) === 279) count = value;
  }
  return tiff.subarray(offset, offset + count);
}

interface ImageSpec {
  dict: Record<string, unknown>;
  data: Buffer;
  /** The page's box (points) and /Rotate; the matrix the image is drawn with. */
  box?: [number, number];
  rotate?: number;
  matrix?: [number, number, number, number, number, number];
}

/** A one-page PDF whose page is only `spec`'s image drawn over the whole page. */
async function scannedPdf(name: string, spec: ImageSpec, extra?: (doc: PDFDocument) => void): Promise<string> {
  const doc = await PDFDocument.create();
  const [bw, bh] = spec.box ?? [595.28, 841.89];
  const page = doc.addPage([bw, bh]);
  if (spec.rotate) page.setRotation(degrees(spec.rotate));
  const stream = doc.context.stream(spec.data, { Type: 'XObject', Subtype: 'Image', ...spec.dict });
  const ref = doc.context.register(stream);
  const im = page.node.newXObject('Im', ref);
  const m = spec.matrix ?? [bw, 0, 0, bh, 0, 0];
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...m), drawObject(im), popGraphicsState());
  extra?.(doc);
  const path = join(tmp, `${name}.pdf`);
  writeFileSync(path, await doc.save());
  return path;
}

async function readBack(path: string) {
  const file = await readSourceFile(path, 'test');
  const embedded = await embeddedPageImage(file, 1, 'test');
  const rgba = await loadOriented({ path, page: 1, format: 'pdf' }, file);
  return { file, embedded, rgba };
}

describe('a scanned PDF page is read from its embedded image', () => {
  const gray = { ColorSpace: 'DeviceGray', BitsPerComponent: 8, Width: W, Height: H };
  const bits = { BitsPerComponent: 1, Width: W, Height: H };
  const cases: Array<{ name: string; filter: string; spec: () => Promise<ImageSpec> }> = [
    {
      name: 'grey JPEG (DCTDecode)',
      filter: 'DCTDecode',
      spec: async () => ({ dict: { ...gray, Filter: 'DCTDecode' }, data: await sharp(grey, { raw: { width: W, height: H, channels: 1 } }).jpeg({ quality: 85 }).toBuffer() }),
    },
    {
      name: 'colour JPEG in DeviceRGB',
      filter: 'DCTDecode',
      spec: async () => ({
        dict: { ColorSpace: 'DeviceRGB', BitsPerComponent: 8, Width: W, Height: H, Filter: 'DCTDecode' },
        data: await sharp(grey, { raw: { width: W, height: H, channels: 1 } }).toColourspace('srgb').jpeg({ quality: 85 }).toBuffer(),
      }),
    },
    {
      name: 'CCITT Group 4, 1-bit grey',
      filter: 'CCITTFaxDecode',
      spec: async () => ({ dict: { ColorSpace: 'DeviceGray', ...bits, Filter: 'CCITTFaxDecode', DecodeParms: { K: -1, Columns: W, Rows: H } }, data: await g4(bilevel(grey)) }),
    },
    {
      name: 'CCITT Group 4 with BlackIs1 and /Decode [1 0] (the two flips cancel)',
      filter: 'CCITTFaxDecode',
      spec: async () => ({
        dict: { ColorSpace: 'DeviceGray', ...bits, Decode: [1, 0], Filter: 'CCITTFaxDecode', DecodeParms: { K: -1, Columns: W, BlackIs1: true } },
        data: await g4(bilevel(grey)),
      }),
    },
    {
      name: 'CCITT Group 4 image mask (painted black where a sample is 0)',
      filter: 'CCITTFaxDecode',
      spec: async () => ({ dict: { ImageMask: true, Width: W, Height: H, Filter: 'CCITTFaxDecode', DecodeParms: { K: -1, Columns: W } }, data: await g4(bilevel(grey)) }),
    },
    {
      name: 'Flate 8-bit grey',
      filter: 'FlateDecode',
      spec: async () => ({ dict: { ...gray, Filter: 'FlateDecode' }, data: deflateSync(grey) }),
    },
    {
      name: 'Flate 8-bit grey with /Decode [1 0] (samples stored inverted)',
      filter: 'FlateDecode',
      spec: async () => ({ dict: { ...gray, Decode: [1, 0], Filter: 'FlateDecode' }, data: deflateSync(invert(grey)) }),
    },
    {
      name: 'Flate 1-bit image mask with /Decode [1 0] (painted where a sample is 1)',
      filter: 'FlateDecode',
      spec: async () => ({ dict: { ImageMask: true, Width: W, Height: H, Decode: [1, 0], Filter: 'FlateDecode' }, data: deflateSync(packBits(bilevel(grey), 0)) }),
    },
  ];

  it.each(cases)('$name', async ({ name, filter, spec }) => {
    const path = await scannedPdf(name.replace(/\W+/g, '-'), await spec());
    const { file, embedded, rgba } = await readBack(path);
    expect(embedded?.filter).toBe(filter);
    expect([rgba.width, rgba.height]).toEqual([W, H]); // the scan's own pixels, not a 300-dpi render
    // Black on white as a viewer shows it (a /Decode or mask ignored would give white on black).
    expect(rgba.data[0]).toBeGreaterThan(200);
    expect((await readRgba(rgba)).map((r) => r.text)).toEqual([QR]);
    const g = await loadGrayIfGray({ path, page: 1, format: 'pdf' }, file);
    if (filter === 'DCTDecode' && name.includes('colour')) expect(g).toBeNull();
    else {
      expect(g && [g.width, g.height, g.data.length]).toEqual([W, H, W * H]);
      expect(g!.data[0]).toBeGreaterThan(200);
    }
  });

  /** Mean absolute difference of two pages at thumbnail size (orientation check, not pixels). */
  async function thumbDiff(a: { data: Buffer; width: number; height: number }, b: { data: Buffer; width: number; height: number }): Promise<number> {
    const thumb = (p: typeof a) => sharp(p.data, { raw: { width: p.width, height: p.height, channels: 4 } }).resize(60, 60, { fit: 'fill' }).greyscale().raw().toBuffer();
    const [x, y] = await Promise.all([thumb(a), thumb(b)]);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
    return sum / x.length;
  }

  const turns: Array<{ name: string; box?: [number, number]; rotate?: number; matrix?: ImageSpec['matrix'] }> = [
    { name: 'page /Rotate 90', rotate: 90 },
    { name: 'page /Rotate 270', rotate: 270 },
    { name: 'image drawn upside down (negative height)', matrix: [595.28, 0, 0, -841.89, 0, 841.89] },
    { name: 'image drawn mirrored', matrix: [-595.28, 0, 0, 841.89, 595.28, 0] },
    { name: 'image drawn turned on a landscape page', box: [841.89, 595.28], matrix: [0, -595.28, 841.89, 0, 0, 595.28] },
    { name: 'image drawn turned, page /Rotate 180', box: [841.89, 595.28], rotate: 180, matrix: [0, 595.28, -841.89, 0, 841.89, 0] },
  ];

  it.each(turns)('$name: the same orientation as pdf.js renders it', async (turn) => {
    const data = deflateSync(grey);
    const path = await scannedPdf(`turn-${turn.name.replace(/\W+/g, '-')}`, {
      dict: { ...gray, Filter: 'FlateDecode' },
      data,
      ...(turn.box ? { box: turn.box } : {}),
      ...(turn.rotate ? { rotate: turn.rotate } : {}),
      ...(turn.matrix ? { matrix: turn.matrix } : {}),
    });
    const { file, embedded, rgba } = await readBack(path);
    expect(embedded?.filter).toBe('FlateDecode');
    const rendered = await loadPdfPage(file, 1, 'test');
    expect(Math.sign(rgba.width - rgba.height)).toBe(Math.sign(rendered.width - rendered.height));
    expect(await thumbDiff(rgba, rendered)).toBeLessThan(12);
    expect((await readRgba(rgba)).map((r) => r.text)).toEqual([QR]);
  });
});

describe('other pages are rendered as before', () => {
  it('a vector page (the code drawn as rectangles, and text) is rendered and its code read', async () => {
    const { data, info } = await sharp(Z + 'qrcode-3/01.png').greyscale().raw().toBuffer({ resolveWithObject: true });
    const doc = await PDFDocument.create();
    const page = doc.addPage([400, 400]);
    page.drawText('Invoice 1234', { x: 20, y: 370, size: 14 });
    // one rectangle per run of dark pixels, 1 pt per pixel
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; ) {
        if (data[y * info.width + x]! >= 128) {
          x++;
          continue;
        }
        let end = x;
        while (end < info.width && data[y * info.width + end]! < 128) end++;
        page.drawRectangle({ x: 80 + x, y: 340 - y - 1, width: end - x, height: 1, color: rgb(0, 0, 0), borderWidth: 0 });
        x = end;
      }
    }
    const path = join(tmp, 'vector.pdf');
    writeFileSync(path, await doc.save());
    const { embedded, rgba } = await readBack(path);
    expect(embedded).toBeNull();
    expect([rgba.width, rgba.height]).toEqual([Math.floor((400 * 300) / 72), Math.floor((400 * 300) / 72)]);
    expect((await readRgba(rgba)).map((r) => r.text)).toEqual([QR]);
  });

  it('a scanned image with text over it (an OCR layer drawn visibly) is rendered', async () => {
    const path = await scannedPdf('with-text', { dict: { ColorSpace: 'DeviceGray', BitsPerComponent: 8, Width: W, Height: H, Filter: 'FlateDecode' }, data: deflateSync(grey) }, (doc) =>
      doc.getPage(0).drawText('stamp', { x: 400, y: 40, size: 20 }),
    );
    const { embedded, rgba } = await readBack(path);
    expect(embedded).toBeNull();
    expect((await readRgba(rgba)).map((r) => r.text)).toEqual([QR]);
  });

  it('an image declaring 30000x30000 pixels fails IMAGE_TOO_LARGE before any decoding', async () => {
    const jpeg = await sharp(grey, { raw: { width: W, height: H, channels: 1 } }).jpeg().toBuffer();
    const path = await scannedPdf('bomb', { dict: { ColorSpace: 'DeviceGray', BitsPerComponent: 8, Width: 30_000, Height: 30_000, Filter: 'DCTDecode' }, data: jpeg });
    const err = await failure(loadOriented({ path, page: 1, format: 'pdf' }));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toMatch(/30000x30000/);
  });
});
