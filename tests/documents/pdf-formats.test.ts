import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripJpeg } from '../../electron/core/imaging/strip';
import { loadPdfPage } from '../../electron/core/imaging/pdf';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SAMPLES } from '../fixtures/samples';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { tempDir } from '../queue/support/tmp';

/**
 * Per-document PDFs from every image format intake reads: each page lands upright at its
 * displayed size (EXIF orientation of a phone JPEG, HEIF irot), and reads back: the product's
 * own PDF renderer and decoder find the same code in the written PDF as on the original.
 */
const tmp = tempDir('doc-formats');
const FIX = join(import.meta.dirname, '../fixtures');
let svc: ScanService;
let rotatedJpeg: string;
const TEXT = (p: string) => readFileSync(p.replace(/\.\w+$/, '.txt'), 'utf8');

beforeAll(async () => {
  const upright = join(SAMPLES, 'zxing/ean13-1/1.png'); // 640 x 480
  rotatedJpeg = join(tmp.dir, 'phone.jpg');
  // Stored turned a quarter anticlockwise, with the EXIF orientation (6) that turns it back.
  await sharp(upright).rotate(270).jpeg({ quality: 92 }).withMetadata({ orientation: 6, density: 200 }).toFile(rotatedJpeg);
  svc = await openScanService({ dbPath: join(tmp.dir, 'p.sqlite'), engines: [realEngine()], intake: realIntake });
}, 60_000);

afterAll(async () => {
  await svc?.close();
  await closeRealEngines();
  tmp.cleanup();
});

describe('one PDF per document from every image format', { timeout: 180_000 }, () => {
  it('writes each page upright at its displayed size, and its code reads back from the PDF', async () => {
    const webp = join(SAMPLES, 'zxing-cpp/ean13-1/14.webp');
    const files = [rotatedJpeg, webp, join(FIX, 'three-pages.tiff'), join(FIX, 'qr-photo-irot.heic'), join(FIX, 'qr-b.bmp')];
    const { batch } = await svc.createBatch({ paths: files, plan: { engine: 'local', task: 'codes' } });
    const done = await svc.whenSettled(batch.id);
    expect(done.counts).toMatchObject({ total: 7, failed: 0 });
    await svc.documents.setRule(batch.id, { kind: 'every', pages: 1, template: '{n}' });
    const out = join(tmp.dir, 'out');
    mkdirSync(out);
    const written = await svc.documents.writePdfs(batch.id, out);
    expect(written.map((w) => w.error)).toEqual(Array(7).fill(null));
    const { items } = await svc.listItems(batch.id, { limit: 100 });
    expect(written.map((w) => w.fileName)).toEqual(['1.pdf', '2.pdf', '3.pdf', '4.pdf', '5.pdf', '6.pdf', '7.pdf']);

    const engine = realEngine();
    for (const [i, w] of written.entries()) {
      const item = items[i]!;
      const pdf = await PDFDocument.load(readFileSync(w.path!));
      expect(pdf.getPageCount()).toBe(1);
      const { width, height } = pdf.getPage(0).getSize();
      // The page has the shape of the page as the review showed it (oriented), within a point.
      expect(Math.abs(width / height - item.width! / item.height!), `${w.fileName} aspect`).toBeLessThan(0.01);
      const found = await engine.recognize({ source: { path: w.path!, page: 1, format: 'pdf', sha256: 'written' }, task: 'codes' });
      const original = (await svc.getItem(item.id)).detections.map((d) => d.text);
      expect(found.detections.map((d) => d.text), `${w.fileName}`).toEqual(expect.arrayContaining(original));
    }
    // The phone photo: landscape after its EXIF turn, 640 x 480 px at the 200 dpi it declares.
    const phone = await PDFDocument.load(readFileSync(written[0]!.path!));
    const size = phone.getPage(0).getSize();
    expect(size.width).toBeCloseTo((640 * 72) / 200, 1);
    expect(size.height).toBeCloseTo((480 * 72) / 200, 1);
    // Its JPEG data is in the PDF byte for byte (not re-encoded), without the EXIF segment.
    const pdfBytes = readFileSync(written[0]!.path!);
    const jpeg = readFileSync(rotatedJpeg);
    expect(pdfBytes.indexOf(stripJpeg(jpeg)!)).toBeGreaterThan(0);
    expect(pdfBytes.indexOf(Buffer.from('Exif\0\0', 'latin1'))).toBe(-1);
    // The 7 pages: the JPEG, the WebP, three TIFF pages, the HEIC and the BMP; codes on all but the blank TIFF page.
    expect(items.map((it) => it.detectionCount > 0)).toEqual([true, true, true, false, true, true, true]);
    expect((await svc.getItem(items[0]!.id)).detections.map((d) => d.text)).toContain(TEXT(join(SAMPLES, 'zxing/ean13-1/1.png')));
  });

  it('draws each of the eight EXIF orientations as a viewer shows the photo', async () => {
    const photo = join(SAMPLES, 'zxing/ean13-1/2.png'); // 640 x 480, not symmetric
    const files: string[] = [];
    for (let o = 1; o <= 8; o++) {
      const f = join(tmp.dir, `o${o}.jpg`);
      await sharp(photo).jpeg({ quality: 95 }).withMetadata({ orientation: o }).toFile(f);
      files.push(f);
    }
    const { batch } = await svc.createBatch({ paths: files, plan: { engine: 'local', task: 'codes' } });
    await svc.whenSettled(batch.id);
    await svc.documents.setRule(batch.id, { kind: 'every', pages: 1, template: 'o{n}' });
    const out = join(tmp.dir, 'orient');
    mkdirSync(out);
    const written = await svc.documents.writePdfs(batch.id, out);
    const small = (img: Sharp) => img.resize(64, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
    for (const [i, w] of written.entries()) {
      // What a viewer shows: the JPEG with its orientation applied...
      const shown = await small(sharp(files[i]!).autoOrient());
      // ...and the PDF page, rendered by the product's PDF renderer.
      const px = await loadPdfPage({ path: w.path! }, 1, w.fileName);
      const page = await small(sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 } }));
      let diff = 0;
      for (let k = 0; k < shown.length; k++) diff += Math.abs(shown[k]! - page[k]!);
      expect(diff / shown.length, `orientation ${i + 1}`).toBeLessThan(12);
    }
  });
});
