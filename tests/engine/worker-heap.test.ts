import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../electron/core/engines/local';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { Z } from '../fixtures/samples';

/**
 * Issue 12 item 4: decode workers run with V8 heap limits (resourceLimits). A page whose reading
 * needs more heap than a worker may use ends that worker; the page fails alone with
 * IMAGE_TOO_LARGE, the pool starts a new worker, and the batch goes on with the other pages.
 *
 * The product's limit (IMAGE_LIMITS.workerHeapMb, 1.5 GB) is far above any real page; here the
 * pool gets a small one (16 MB). A worker reading a PNG fits in it (measured: decodes at 12 MB);
 * reading a page of a real two-page vector PDF needs more. Since vector pages render through
 * PDFium (wasm) rather than pdf.js, that page fits from about 30 MB (measured: fails at 20 MB,
 * decodes at 30 and 40), so the limit here sits between the two.
 */
const HEAP_MB = 16;
const PDF = fileURLToPath(new URL('../fixtures/two-qr.pdf', import.meta.url));
let dir: string;
let service: ScanService;
let engine: LocalEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-worker-heap-'));
  const pages = join(dir, 'pages');
  mkdirSync(pages);
  copyFileSync(Z + 'qrcode-2/1.png', join(pages, 'a-qr.png'));
  copyFileSync(PDF, join(pages, 'b-two-qr.pdf'));
  copyFileSync(Z + 'ean13-1/1.png', join(pages, 'c-ean.png'));
  engine = new LocalEngine({ size: 1, heapMb: HEAP_MB });
  service = await openScanService({ dbPath: join(dir, 'scandesk.db'), engines: [engine] });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a decode worker over its heap limit', () => {
  it('fails its page with IMAGE_TOO_LARGE and the batch goes on with the next pages', async () => {
    const { batch } = await service.createBatch({ paths: [join(dir, 'pages')], plan: { engine: 'local', task: 'codes' } });
    const settled = await service.whenSettled(batch.id);
    expect(settled.status).toBe('done');

    const { items } = await service.listItems(batch.id, { limit: 100 });
    const byName = (name: string) => items.filter((i) => i.path.endsWith(name));
    // Both pages of the PDF: each one's worker ran out of heap and was replaced.
    const pdfPages = byName('b-two-qr.pdf');
    expect(pdfPages.map((i) => i.page).sort()).toEqual([1, 2]);
    for (const page of pdfPages) {
      expect(page.status).toBe('failed');
      const detail = await service.getItem(page.id);
      expect(detail.error?.code).toBe('IMAGE_TOO_LARGE');
      expect(detail.error?.message).toContain('b-two-qr.pdf');
      expect(detail.error?.message).toMatch(/more memory than one page may use/);
    }
    // The pages before and after it were decoded, by workers the pool started again.
    const expected: Record<string, string> = {
      'a-qr.png': readFileSync(Z + 'qrcode-2/1.txt', 'utf8'),
      'c-ean.png': readFileSync(Z + 'ean13-1/1.txt', 'utf8'),
    };
    for (const [name, text] of Object.entries(expected)) {
      const [item] = byName(name);
      expect(item?.status, name).toBe('done');
      const detail = await service.getItem(item!.id);
      expect(detail.detections.map((d) => d.text)).toContain(text.trim());
    }
    expect(settled.counts).toMatchObject({ done: 2, failed: 2 });
  }, 300_000);
});
