import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedPageImage } from '../../electron/core/imaging/pdf-image';
import { LazyPdf } from '../../electron/core/imaging/pdf-lazy';

/**
 * Issue 10: a decode worker reads page N of a PDF without parsing the whole file first
 * (pdf-lazy.ts): through the cross-reference table, classic or stream (with object streams,
 * PNG predictors, /Prev updates), only the objects page N needs. Real PDFs written by pdf-lib
 * (and rewritten here the way other writers store their cross-references); each page has its own
 * width, so a wrong page cannot pass for the right one.
 */
const PAGES = 30;
const widthOf = (n: number) => 100 + n;
let classic: Buffer;
let streamed: Buffer;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  for (let n = 1; n <= PAGES; n++) doc.addPage([widthOf(n), 200]);
  classic = Buffer.from(await doc.save({ useObjectStreams: false }));
  streamed = Buffer.from(await doc.save({ useObjectStreams: true }));
});

function width(lazy: LazyPdf, n: number): number | undefined {
  return lazy.page(n)?.MediaBox().asRectangle().width;
}

/** Every page through the lazy reader is the page pdf-lib's whole-file parse gives. */
async function expectSamePages(bytes: Buffer): Promise<void> {
  const lazy = LazyPdf.open(bytes);
  for (const n of [1, 2, 17, PAGES]) expect([n, width(lazy, n)]).toEqual([n, widthOf(n)]);
  expect(lazy.page(PAGES + 1)).toBeNull();
  expect(lazy.page(0)).toBeNull();
  const full = await PDFDocument.load(bytes);
  expect(full.getPages().map((p) => p.getWidth())).toEqual(Array.from({ length: PAGES }, (_, i) => widthOf(i + 1)));
}

/** The classic table's entries (object number -> offset) and its trailer's /Root. */
function classicTable(bytes: Buffer): { xref: number; offsets: Map<number, number>; root: string } {
  const text = bytes.toString('latin1');
  const xref = Number(/startxref\s+(\d+)/.exec(text.slice(-64))![1]);
  const tokens = text.slice(xref, text.indexOf('trailer', xref)).trim().split(/\s+/);
  const offsets = new Map<number, number>();
  const first = Number(tokens[1]);
  for (let k = 0, i = 3; i + 2 < tokens.length; k++, i += 3) if (tokens[i + 2] === 'n') offsets.set(first + k, Number(tokens[i]));
  return { xref, offsets, root: /\/Root (\d+ \d+ R)/.exec(text.slice(xref))![1]! };
}

/** The classic file with its table replaced by a Flate cross-reference stream whose rows carry PNG "Up" predictors (as most writers store them). */
function withPredictedXrefStream(bytes: Buffer): Buffer {
  const { xref, offsets, root } = classicTable(bytes);
  const size = Math.max(...offsets.keys()) + 2;
  const rows: Buffer[] = [];
  let prev = Buffer.alloc(7);
  for (let n = 0; n < size; n++) {
    const row = Buffer.alloc(7);
    const at = n === size - 1 ? xref : offsets.get(n); // the last object is this stream itself
    if (at !== undefined) {
      row.writeUInt8(1, 0);
      row.writeUInt32BE(at, 1);
    }
    const up = Buffer.alloc(8);
    up[0] = 2; // PNG filter "Up": each byte minus the byte above
    for (let i = 0; i < 7; i++) up[i + 1] = (row[i]! - prev[i]!) & 0xff;
    rows.push(up);
    prev = row;
  }
  const data = deflateSync(Buffer.concat(rows));
  const head = `${size - 1} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] /Root ${root} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${data.length} >>\nstream\n`;
  return Buffer.concat([bytes.subarray(0, xref), Buffer.from(head, 'latin1'), data, Buffer.from(`\nendstream\nendobj\nstartxref\n${xref}\n%%EOF\n`, 'latin1')]);
}

/** The classic file with an incremental update (a new classic section, /Prev to the old one) that makes page 3 wider. */
function withUpdatedPage3(bytes: Buffer): Buffer {
  const { xref, offsets, root } = classicTable(bytes);
  const full = bytes.toString('latin1');
  const pageNumbers = [...full.matchAll(/(\d+) 0 obj\s*<<\s*\/Type \/Page\b/g)].map((m) => Number(m[1]));
  const page3 = pageNumbers[2]!;
  const at = offsets.get(page3)!;
  const old = full.slice(at, full.indexOf('endobj', at) + 'endobj'.length);
  const updated = Buffer.from(`\n${old.replace(/\/MediaBox \[[^\]]*\]/, '/MediaBox [ 0 0 999 200 ]')}\n`, 'latin1');
  const objectAt = bytes.length + 1;
  const section = `xref\n${page3} 1\n${String(objectAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${Math.max(...offsets.keys()) + 1} /Root ${root} /Prev ${xref} >>\nstartxref\n${bytes.length + updated.length}\n%%EOF\n`;
  return Buffer.concat([bytes, updated, Buffer.from(section, 'latin1')]);
}

describe('page N of a PDF without parsing the whole file', () => {
  it('reads only what page 1 needs from a classic cross-reference table', async () => {
    await expectSamePages(classic);
    const lazy = LazyPdf.open(classic);
    expect(width(lazy, 1)).toBe(widthOf(1));
    // The catalog, the page tree and page 1: not the other 29 pages a whole-file parse builds.
    expect(lazy.context.enumerateIndirectObjects().length).toBeLessThanOrEqual(4);
    const full = await PDFDocument.load(classic);
    expect(full.context.enumerateIndirectObjects().length).toBeGreaterThan(PAGES);
  });

  it('reads cross-reference streams and objects inside compressed object streams', async () => {
    expect(streamed.indexOf('/ObjStm')).toBeGreaterThan(0);
    await expectSamePages(streamed);
  });

  it('undoes PNG predictors on cross-reference stream rows', async () => {
    const predicted = withPredictedXrefStream(classic);
    expect(predicted.indexOf('/Predictor 12')).toBeGreaterThan(0);
    await expectSamePages(predicted);
  });

  it('takes the newest version of an object from an incremental update, the rest through /Prev', async () => {
    const lazy = LazyPdf.open(withUpdatedPage3(classic));
    expect([width(lazy, 2), width(lazy, 3), width(lazy, 4), width(lazy, PAGES)]).toEqual([widthOf(2), 999, widthOf(4), widthOf(PAGES)]);
  });

  it('gives up on a damaged cross-reference table, and the page is still read from the whole file', async () => {
    const doc = await PDFDocument.create();
    const jpeg = await sharp({ create: { width: 200, height: 280, channels: 3, background: '#808080' } }).greyscale().jpeg().toBuffer();
    const image = await doc.embedJpg(jpeg);
    doc.addPage([200, 280]).drawImage(image, { x: 0, y: 0, width: 200, height: 280 });
    const good = Buffer.from(await doc.save({ useObjectStreams: false }));
    const { xref } = classicTable(good);
    const text = good.toString('latin1');
    const damaged = Buffer.from(text.replace(/startxref\s+\d+/, `startxref\n${xref + 7}`), 'latin1');
    expect(() => LazyPdf.open(damaged)).toThrow();
    for (const bytes of [good, damaged]) {
      const page = await embeddedPageImage({ path: 'x.pdf', bytes, sha256: bytes === good ? 'good' : 'damaged' }, 1, 'x.pdf');
      expect(page).toMatchObject({ filter: 'DCTDecode', width: 200, height: 280 });
    }
  });
});
