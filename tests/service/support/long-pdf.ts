import { readFileSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { Z } from '../../fixtures/samples';

/** The code on every page of longPdf (a real zxing sample). */
export const LONG_PDF_CODE = readFileSync(Z + 'qrcode-3/01.txt', 'utf8').trim();

/**
 * A real multi-page scan as scanners write it: `pages` pages, each one image (a photographed QR
 * code) over the whole page, written with pdf-lib. Small pages, so decoding them all stays cheap.
 */
export async function writeLongPdf(path: string, pages: number): Promise<void> {
  const doc = await PDFDocument.create();
  const png = await doc.embedPng(readFileSync(Z + 'qrcode-3/01.png'));
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([png.width * 0.5, png.height * 0.5]);
    page.drawImage(png, { x: 0, y: 0, width: png.width * 0.5, height: png.height * 0.5 });
  }
  writeFileSync(path, await doc.save());
}
