import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { SAMPLES } from '../fixtures/samples';

/** A real labelled sample: its path and the text its code holds. */
export function sample(rel: string): { path: string; text: string } {
  const path = join(SAMPLES, 'zxing', rel);
  return { path, text: readFileSync(path.replace(/\.\w+$/, '.txt'), 'utf8') };
}

/**
 * A multi-page PDF whose pages are real sample images (PNG or JPEG, embedded as they are), at
 * 150 dpi: what a scanner's "PDF" button writes for a stack of sheets.
 */
export async function pdfOfImages(paths: string[], out: string): Promise<void> {
  const pdf = await PDFDocument.create();
  for (const p of paths) {
    const bytes = readFileSync(p);
    const image = /\.jpe?g$/i.test(p) ? await pdf.embedJpg(bytes) : await pdf.embedPng(await pngOf(bytes));
    const w = (image.width * 72) / 150;
    const h = (image.height * 72) / 150;
    pdf.addPage([w, h]).drawImage(image, { x: 0, y: 0, width: w, height: h });
  }
  writeFileSync(out, await pdf.save());
}

/** pdf-lib reads 8-bit PNGs; some samples are 1- or 2-bit palettes: the same pixels as 8-bit gray/RGB. */
async function pngOf(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).png({ palette: false }).toBuffer();
}

/** The image streams of a PDF, as stored (compressed) bytes. */
export async function imageStreams(file: string): Promise<Buffer[]> {
  const doc = await PDFDocument.load(readFileSync(file));
  const out: Buffer[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')) out.push(Buffer.from(obj.contents));
  }
  return out;
}

export async function pageCount(file: string): Promise<number> {
  return (await PDFDocument.load(readFileSync(file))).getPageCount();
}
