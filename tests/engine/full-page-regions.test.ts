import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { describe, expect, it } from 'vitest';
import { generatePages, type PageLayout } from '../../bench/pages/layout';
import { renderPage } from '../../bench/pages/render';
import { decodeGray, type DecodeOutcome } from '../../electron/core/engines/local/decode';
import { locateCodes } from '../../electron/core/engines/local/locate';
import { FULL_PAGE_PLAN, planFor } from '../../electron/core/engines/local/page-plan';
import { makeVariant } from '../../electron/core/engines/local/variants';
import type { Gray } from '../../electron/core/engines/local/zxing';

/**
 * Full A4 pages at 300 dpi (the bench's generator, seed 1): the cheap half-size pass (upright,
 * no invert), then only the regions that look like codes where it read nothing, decoded at full
 * resolution with rotation and invert. Page 11 carries a Code 128 with modules of about 3 px;
 * as a 1-bit (fax, G4) page its ragged edges are lost at half size, and a region step reads it.
 * Page 6 is scanned sideways: a DataMatrix and a Code 128 the upright pass cannot read.
 */
let pages: PageLayout[] | null = null;
async function page(n: number, bilevel: boolean): Promise<{ gray: Gray; layout: PageLayout }> {
  pages ??= await generatePages(1, 11);
  const layout = pages[n - 1]!;
  const g = renderPage(layout);
  // As the bench's G4 TIFF stores it: thresholded between ink and paper.
  const data = bilevel && !g.bilevel ? g.data.map((v) => (v < 150 ? 0 : 255)) : g.data;
  return { gray: { data: new Uint8Array(data), width: g.width, height: g.height }, layout };
}

const texts = (out: DecodeOutcome, step?: (name: string) => boolean) =>
  out.steps
    .filter((s) => !step || step(s.name))
    .flatMap((s) => s.found.map((d) => d.text))
    .sort();

let writer: Promise<unknown> | null = null;
/** A QR code's modules (true = dark), from zxing-wasm's writer (wasm from node_modules). */
async function qrModules(text: string): Promise<{ size: number; dark: (x: number, y: number) => boolean }> {
  writer ??= (() => {
    const buf = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
    return prepareZXingModule({ overrides: { wasmBinary: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) }, fireImmediately: true });
  })();
  await writer;
  const r = await writeBarcode(text, { format: 'QRCode', scale: 1, addQuietZones: false });
  if (r.error) throw new Error(r.error);
  return { size: r.symbol.width, dark: (x, y) => r.symbol.data[y * r.symbol.width + x] === 0 };
}

/** Draws a QR code onto the page at (left, top), `module` px per module, with a 4-module quiet zone. */
async function drawQr(g: Gray, text: string, left: number, top: number, module: number, inverted: boolean): Promise<void> {
  const m = await qrModules(text);
  const [ink, paper] = inverted ? [235, 20] : [20, 235];
  const side = (m.size + 8) * module;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / module) - 4;
      const my = Math.floor(y / module) - 4;
      const dark = mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.dark(mx, my);
      g.data[(top + y) * g.width + left + x] = dark ? ink : paper;
    }
  }
}

describe('full pages: a cheap pass, then full resolution only where codes seem to be', () => {
  it('reads the small Code 128 of a 1-bit page in a located region, and nothing else', async () => {
    const { gray, layout } = await page(11, true);
    expect(planFor(gray.width, gray.height)).toBe(FULL_PAGE_PLAN);
    const out = await decodeGray(gray, FULL_PAGE_PLAN);
    expect(out.detections.map((d) => d.text).sort()).toEqual(layout.truth.map((t) => t.text).sort());
    const code128 = layout.truth.find((t) => t.symbology === 'Code128')!;
    // The half-size pass alone does not read it (what the region steps are for)...
    expect(texts(out, (n) => n === 'page-half-zxing')).not.toContain(code128.text);
    // ...and a few crops are all that ran besides it.
    const regionRuns = out.steps.filter((s) => s.name.startsWith('region-'));
    expect(regionRuns.length).toBeGreaterThan(0);
    expect(regionRuns.length).toBeLessThanOrEqual(2 * 8);
    expect(texts(out, (n) => n.startsWith('region-bars'))).toContain(code128.text);
  });

  it('reads a sideways page: the turned DataMatrix and Code 128 in their regions, not on the whole page', async () => {
    const { gray, layout } = await page(6, false);
    expect(layout.rotate % 180).toBe(90);
    expect(layout.truth.map((t) => t.symbology).sort()).toEqual(['Code128', 'DataMatrix']);
    const out = await decodeGray(gray, FULL_PAGE_PLAN);
    expect(out.detections.map((d) => d.text).sort()).toEqual(layout.truth.map((t) => t.text).sort());
    // the whole page is read upright only: rotation costs a crop, not the page
    expect(texts(out, (n) => n === 'page-half-zxing')).toEqual([]);
    const dm = layout.truth.find((t) => t.symbology === 'DataMatrix')!.text;
    const c128 = layout.truth.find((t) => t.symbology === 'Code128')!.text;
    expect(texts(out, (n) => n === 'region-matrix')).toContain(dm);
    expect(texts(out, (n) => n.startsWith('region-bars'))).toContain(c128);
  });

  it('reads a QR code too small for the half-size copy and one printed light on dark, in matrix regions', async () => {
    const { gray, layout } = await page(8, false);
    expect(layout.truth).toEqual([]);
    // 3 px modules (0.25 mm at 300 dpi): 1.5 px on the half-size copy
    await drawQr(gray, 'SMALL-QR-0001', 1700, 600, 3, false);
    // light modules on a dark ground (a label printed in negative)
    await drawQr(gray, 'NEGATIVE-QR-02', 1500, 2500, 7, true);
    const out = await decodeGray(gray, FULL_PAGE_PLAN);
    expect(out.detections.map((d) => d.text).sort()).toEqual(['NEGATIVE-QR-02', 'SMALL-QR-0001']);
    expect(texts(out, (n) => n === 'page-half-zxing')).toEqual([]);
    expect(texts(out, (n) => n === 'region-matrix')).toEqual(['NEGATIVE-QR-02', 'SMALL-QR-0001']);
  });

  it('locates the code-like regions on the half-size page, the same every time, never most of the page', async () => {
    const { gray } = await page(11, true);
    const half = await makeVariant(gray, { halve: true });
    const a = locateCodes(half.gray);
    const b = locateCodes(half.gray);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    // A region is a few cells (text is not taken for a code)
    for (const r of a) expect(r.width * r.height).toBeLessThan(0.1 * half.gray.width * half.gray.height);
  });

  it('a page of text without a code gives nothing, and few crops are tried on it', async () => {
    const { gray, layout } = await page(8, false);
    expect(layout.truth).toEqual([]);
    const out = await decodeGray(gray, FULL_PAGE_PLAN);
    expect(out.detections).toEqual([]);
    // text is neither bars nor a matrix: at most a couple of look-alikes get a crop
    expect(out.steps.filter((s) => s.name === 'region-matrix').length).toBeLessThanOrEqual(2);
  });
});
