import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts, concatTransformationMatrix, degrees, drawObject, popGraphicsState, pushGraphicsState, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePages, type PageLayout } from '../../bench/pages/layout';
import { vectorPdf } from '../../bench/pages/formats';
import { decodeGray } from '../../electron/core/engines/local/decode';
import { FULL_PAGE_PLAN } from '../../electron/core/engines/local/page-plan';
import { loadGray, loadOriented, type GrayPixels } from '../../electron/core/imaging/load';
import { prepare } from '../../electron/core/imaging/prepare';
import { makePreview } from '../../electron/core/imaging/preview';
import { lumaOf } from '../../electron/core/imaging/luma';
import { loadPdfPage } from '../../electron/core/imaging/pdf';
import { renderPdfPageGray, renderPdfPageRgba } from '../../electron/core/imaging/pdfium';
import { readSourceFile } from '../../electron/core/imaging/source-file';
import { failure } from '../support/scan-error';
import { readEncoded } from './zxing-helper';

/**
 * Vector PDF pages (text and codes drawn, as invoices are printed) are rendered by PDFium in
 * wasm, straight to grey; pdf.js stays for what PDFium declines. Real PDFs: the bench's A4
 * pages written by pdf-lib as vectors (a QR code; a DataMatrix and a Code 128 on a sideways
 * page), the same with /Rotate, an invoice-like page in colour, the fixture two-qr.pdf (images
 * placed on a page, not a scan), and the awkward cases. Previews, thumbnails, vendor uploads and
 * documents draw vector pages with PDFium too (in colour), pdf.js where PDFium declines.
 */
const FIX = new URL('../fixtures/', import.meta.url).pathname;
let tmp: string;
let layouts: PageLayout[];
let vector: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pdfium-'));
  const all = await generatePages(1, 6);
  layouts = [all[0]!, all[5]!]; // page 1: a QR code; page 6: turned 90°, DataMatrix + Code 128
  vector = join(tmp, 'vector.pdf');
  writeFileSync(vector, await vectorPdf(layouts));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const file = (path: string) => readSourceFile(path, path);

/** The page shrunk 8x (box average): compared between renderers, never pixel for pixel. */
async function small(g: GrayPixels): Promise<Buffer> {
  return sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .resize(Math.round(g.width / 8), Math.round(g.height / 8), { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
}

function meanDiff(a: Buffer, b: Buffer): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

async function viaPdfJs(path: string, page: number): Promise<GrayPixels> {
  const px = await loadPdfPage(await file(path), page, path);
  return { data: Buffer.from(lumaOf(px.data, px.width, px.height, 4).buffer), width: px.width, height: px.height };
}

describe('PDFium renders vector pages to grey', () => {
  it('the size pdf.js renders, the same picture, and every code on it', async () => {
    const f = await file(vector);
    for (const [i, layout] of layouts.entries()) {
      const g = await renderPdfPageGray(f, i + 1, vector);
      expect(g, `page ${i + 1}`).not.toBeNull();
      const ref = await viaPdfJs(vector, i + 1);
      expect([g!.width, g!.height]).toEqual([ref.width, ref.height]);
      expect(g!.data.length).toBe(g!.width * g!.height);
      // two renderers anti-alias differently; the page is the same (text, codes, placement)
      expect(meanDiff(await small(g!), await small(ref))).toBeLessThan(4);
      const out = await decodeGray({ data: new Uint8Array(g!.data), width: g!.width, height: g!.height }, FULL_PAGE_PLAN);
      expect(out.detections.map((d) => d.text).sort()).toEqual(layout.truth.map((t) => t.text).sort());
    }
  });

  it("applies the page's /Rotate as pdf.js does", async () => {
    const doc = await PDFDocument.load(readFileSync(vector));
    doc.getPage(0).setRotation(degrees(90));
    doc.getPage(1).setRotation(degrees(270));
    const rotated = join(tmp, 'rotated.pdf');
    writeFileSync(rotated, await doc.save());
    const f = await file(rotated);
    for (const [i, layout] of layouts.entries()) {
      const g = (await renderPdfPageGray(f, i + 1, rotated))!;
      const ref = await viaPdfJs(rotated, i + 1);
      expect([g.width, g.height]).toEqual([ref.width, ref.height]);
      expect(g.width).toBeGreaterThan(g.height); // A4 portrait turned a quarter
      expect(meanDiff(await small(g), await small(ref))).toBeLessThan(4);
      const out = await decodeGray({ data: new Uint8Array(g.data), width: g.width, height: g.height }, FULL_PAGE_PLAN);
      expect(out.detections.map((d) => d.text).sort()).toEqual(layout.truth.map((t) => t.text).sort());
    }
  });

  it('the decode worker reads vector pages through PDFium (loadGray)', async () => {
    const f = await file(vector);
    const g = await loadGray({ path: vector, page: 1, format: 'pdf' }, f);
    const direct = (await renderPdfPageGray(f, 1, vector))!;
    expect(Buffer.compare(g.data, direct.data)).toBe(0);
  });

  it('declines what pdf.js must answer: password, damage, a missing page; errors stay as before', async () => {
    const locked = FIX + 'two-qr-encrypted.pdf';
    expect(await renderPdfPageGray(await file(locked), 1, locked)).toBeNull();
    expect((await failure(loadGray({ path: locked, page: 1, format: 'pdf' }, await file(locked)))).code).toBe('PDF_PASSWORD');
    const bad = join(tmp, 'bad.pdf');
    writeFileSync(bad, '%PDF-1.7\ngarbage\n');
    expect(await renderPdfPageGray(await file(bad), 1, bad)).toBeNull();
    expect((await failure(loadGray({ path: bad, page: 1, format: 'pdf' }, await file(bad)))).code).toBe('PDF_CORRUPT');
    expect(await renderPdfPageGray(await file(vector), 3, vector)).toBeNull();
    const missing = await failure(loadGray({ path: vector, page: 3, format: 'pdf' }, await file(vector)));
    expect(missing.code).toBe('PDF_CORRUPT');
    expect(missing.message).toContain('2 page(s)');
  });

  it('leaves a page with an image above the pixel cap to pdf.js, which skips that image', async () => {
    // 12000x12000 1-bit (144 MP declared, 18 MB of zeros deflated to a few KB), drawn small
    // beside the page's text: PDFium would decode it; pdf.js (maxImageSize) leaves it out.
    const doc = await PDFDocument.load(readFileSync(vector));
    const side = 12_000;
    const bomb = doc.context.flateStream(new Uint8Array((side / 8) * side), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 1,
    });
    const page = doc.getPage(0);
    page.node.setXObject(PDFName.of('Bomb'), doc.context.register(bomb));
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(50, 0, 0, 50, 20, 20), drawObject('Bomb'), popGraphicsState());
    const path = join(tmp, 'bomb.pdf');
    writeFileSync(path, await doc.save());
    const f = await file(path);
    expect(await renderPdfPageGray(f, 1, path)).toBeNull();
    const g = await loadGray({ path, page: 1, format: 'pdf' }, f); // pdf.js, the image left out
    const out = await decodeGray({ data: new Uint8Array(g.data), width: g.width, height: g.height }, FULL_PAGE_PLAN);
    expect(out.detections.map((d) => d.text)).toEqual(layouts[0]!.truth.map((t) => t.text));
    // the next vector page still goes through PDFium
    expect(await renderPdfPageGray(f, 2, path)).not.toBeNull();
    // previews of that page: pdf.js too, at the full page's size
    const preview = await makePreview({ path, page: 1, format: 'pdf' }, { maxSide: 600, format: 'jpeg' });
    expect([preview.pageWidth, preview.pageHeight]).toEqual([g.width, g.height]);
    expect(await renderPdfPageRgba(f, 1, path)).toBeNull();
  });
});

describe('previews, thumbnails and vendor uploads draw vector pages with PDFium, in colour', () => {
  /** The bench's QR page with a blue box and red words on it, as an invoice in colour. */
  async function colourPage(): Promise<string> {
    const doc = await PDFDocument.load(readFileSync(vector));
    const page = doc.getPage(0);
    page.drawRectangle({ x: 60, y: 60, width: 120, height: 60, color: rgb(0.1, 0.2, 0.85) });
    page.drawText('PAID', { x: 220, y: 70, size: 40, font: await doc.embedFont(StandardFonts.HelveticaBold), color: rgb(0.85, 0.1, 0.1) });
    const path = join(tmp, 'colour.pdf');
    writeFileSync(path, await doc.save());
    return path;
  }

  it('loadOriented and previews are PDFium\'s colour rendering; the picture is what pdf.js draws', async () => {
    const path = await colourPage();
    const f = await file(path);
    const px = await loadOriented({ path, page: 1, format: 'pdf' }, f);
    const direct = (await renderPdfPageRgba(f, 1, path))!;
    expect(direct).not.toBeNull();
    expect([px.width, px.height]).toEqual([direct.width, direct.height]);
    expect(Buffer.compare(px.data, direct.data)).toBe(0);
    const ref = await loadPdfPage(f, 1, path);
    expect([px.width, px.height]).toEqual([ref.width, ref.height]);
    // the same page as pdf.js draws it (anti-aliasing differs), in colour: the box is blue
    const lumaPx = { data: Buffer.from(lumaOf(px.data, px.width, px.height, 4).buffer), width: px.width, height: px.height };
    const lumaRef = { data: Buffer.from(lumaOf(ref.data, ref.width, ref.height, 4).buffer), width: ref.width, height: ref.height };
    expect(meanDiff(await small(lumaPx), await small(lumaRef))).toBeLessThan(4);
    const at = (x: number, y: number) => (y * px.width + x) * 4;
    const k = px.width / ((210 * 72) / 25.4); // pixels per point
    const box = at(Math.round(120 * k), px.height - Math.round(90 * k));
    expect(px.data[box + 2]!).toBeGreaterThan(150);
    expect(px.data[box]!).toBeLessThan(80);
    expect(px.data[box + 3]!).toBe(255);
    expect((await readEncoded(await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 } }).png().toBuffer())).map((r) => r.text)).toEqual(
      layouts[0]!.truth.map((t) => t.text),
    );
  });

  it('a thumbnail is drawn at its own size: positions still map to the full page', async () => {
    const path = await colourPage();
    const f = await file(path);
    const thumb = await makePreview({ path, page: 1, format: 'pdf' }, { maxSide: 400, format: 'jpeg' });
    const full = (await renderPdfPageRgba(f, 1, path))!;
    expect(Math.max(thumb.width, thumb.height)).toBe(400);
    expect([thumb.pageWidth, thumb.pageHeight]).toEqual([full.width, full.height]);
    // drawn small by PDFium (not the 300-dpi page shrunk): the same as asking PDFium for 400 px
    const small400 = (await renderPdfPageRgba(f, 1, path, { maxSide: 400 }))!;
    expect([small400.width, small400.height]).toEqual([thumb.width, thumb.height]);
    expect([small400.pageWidth, small400.pageHeight]).toEqual([full.width, full.height]);
    const decoded = await sharp(thumb.data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const fromFull = await sharp(full.data, { raw: { width: full.width, height: full.height, channels: 4 } })
      .removeAlpha()
      .resize(thumb.width, thumb.height, { fit: 'fill' })
      .raw()
      .toBuffer();
    let d = 0;
    for (let i = 0; i < fromFull.length; i++) d += Math.abs(decoded.data[i]! - fromFull[i]!);
    expect(d / fromFull.length).toBeLessThan(8);
  });

  it('a vendor upload of a vector page carries the code; a real PDF with placed images too', async () => {
    const path = await colourPage();
    const budget = { maxBytes: 3 * 1024 * 1024, countAs: 'base64' as const, formats: ['jpeg' as const, 'png' as const], maxSide: 4096 };
    const prep = await prepare({ path, page: 1, format: 'pdf' }, budget);
    expect((await readEncoded(prep.data)).map((r) => r.text)).toEqual(layouts[0]!.truth.map((t) => t.text));
    const two = FIX + 'two-qr.pdf';
    const f = await file(two);
    for (const page of [1, 2]) {
      const px = await loadOriented({ path: two, page, format: 'pdf' }, f);
      expect(Buffer.compare(px.data, (await renderPdfPageRgba(f, page, two))!.data)).toBe(0);
      expect((await readEncoded(await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 } }).png().toBuffer())).length).toBe(1);
    }
  });

  it('pdf.js still answers what PDFium declines: a password is reported as before', async () => {
    const locked = FIX + 'two-qr-encrypted.pdf';
    expect(await renderPdfPageRgba(await file(locked), 1, locked)).toBeNull();
    expect((await failure(makePreview({ path: locked, page: 1, format: 'pdf' }, { maxSide: 300, format: 'jpeg' }))).code).toBe('PDF_PASSWORD');
    expect((await failure(loadOriented({ path: locked, page: 1, format: 'pdf' }))).code).toBe('PDF_PASSWORD');
  });
});

