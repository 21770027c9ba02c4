/**
 * Issue 9's intake features end to end, in a real Chromium against the browser host and the
 * real engine: a generated multi-page PDF of real sample images split into documents (rule
 * typed in the batch view, one PDF per document written), the batch reconciled against an
 * expected list chosen with the file picker, and a hot folder added in Settings that feeds a
 * live batch from real photos. Screenshots of each screen in both languages and both themes go
 * to test-results/screenshots/intake-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHost } from '../../electron/host';
import { pageCount, pdfOfImages, sample } from '../documents/support';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';

const SEP_A = sample('ean13-1/1.png');
const SEP_B = sample('ean13-1/2.png');
const PAGES = [SEP_A, sample('qrcode-2/1.png'), sample('qrcode-3/01.png'), SEP_B, sample('datamatrix-1/0123456789.png'), sample('code128-1/1.png')];

let w: Workstation;
let dir: string;
let host: RunningHost;
let page: Page;
let batchId: number;
let pageErrors: string[];
/** UI state waits: patient on a loaded CI machine (each still waits for state, never sleeps). */
const WAIT = { timeout: 60_000 };
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `intake-${name}.png`), fullPage: true });

beforeAll(async () => {
  w = await openWorkstation('e2e-intake', {
    viewport: { width: 1280, height: 900 },
    async prepare({ dir }) {
      await pdfOfImages(
        PAGES.map((p) => p.path),
        join(dir, 'stack.pdf'),
      );
    },
    async seed(host, dir) {
      const { batch } = await host.service.createBatch({ paths: [join(dir, 'stack.pdf')], name: 'Stack', plan: { engine: 'local', task: 'codes' } });
      batchId = batch.id;
      await host.service.whenSettled(batchId);
    },
    ready: '[data-testid=batch-row]',
  });
  ({ dir, host, page, pageErrors } = w);
}, 240_000);

afterAll(() => w?.close());

describe('intake beyond the capture suites, in a browser', { timeout: 180_000 }, () => {
  it('splits a scanned stack into documents from the batch view and writes one PDF per document', async () => {
    await page.click(`[data-testid=batch-row][data-batch-id="${batchId}"], [data-testid=batch-row]`);
    await page.waitForSelector('[data-testid=documents-section]');
    await page.click('[data-testid=documents-section] > summary');
    await page.fill('[data-testid=rule-pattern]', '^\\d{13}$');
    await page.check('[data-testid=rule-drop]');
    await page.click('[data-testid=rule-apply]');
    await expect.poll(() => page.locator('[data-testid=document]').count(), WAIT).toBe(2);
    const keys = await page.locator('[data-testid=document]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    expect(keys).toEqual([SEP_A.text, SEP_B.text]);
    await expect.poll(() => page.textContent('[data-testid=documents-count]'), WAIT).toBe('2 documents');
    // Each document shows its pages; the separator sheet is there, marked.
    expect(await page.locator('[data-testid=document] >> nth=0 >> .doc-thumb:not(.separator)').count()).toBe(2);
    expect(await page.locator('[data-testid=document] >> nth=0 >> .doc-thumb.separator').count()).toBe(1);
    const out = join(dir, 'docs');
    await page.fill('[data-testid=documents-dir]', out);
    await page.click('[data-testid=documents-write]');
    await expect.poll(() => page.textContent('body'), WAIT).toMatch(/does not exist: choose an existing folder/);
    mkdirSync(out);
    await page.click('[data-testid=documents-write]');
    await expect.poll(() => page.textContent('[data-testid=documents-written]'), WAIT).toContain('2 of 2 PDFs written.');
    expect(readdirSync(out).sort()).toEqual([`${SEP_A.text}.pdf`, `${SEP_B.text}.pdf`]);
    expect(await pageCount(join(out, `${SEP_B.text}.pdf`))).toBe(2);
    // A page of a document opens in the review view.
    await page.click('[data-testid=document] >> nth=1 >> .doc-thumb:not(.separator) >> nth=0');
    await page.waitForSelector('[data-testid=review][data-ready=true]');
    await expect.poll(() => page.textContent('[data-testid=review]'), WAIT).toContain('0123456789');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=documents-section]');
  });

  it('reconciles the batch against an expected list picked as a file', async () => {
    const csv = join(dir, 'manifest.csv');
    writeFileSync(csv, `Barcode,Qty\n${SEP_A.text},1\n${SEP_B.text},1\n168901,2\n9999999999994,1\n`);
    await page.setInputFiles('[data-testid=expected-file]', csv);
    await page.waitForSelector('[data-testid=reconciliation]');
    const count = (k: string) => page.getAttribute(`[data-testid=recon-${k}]`, 'data-count');
    await expect.poll(() => count('found'), WAIT).toBe('3');
    expect(await count('missing')).toBe('1');
    expect(Number(await count('unexpected'))).toBeGreaterThanOrEqual(3);
    expect(await count('duplicates')).toBe('0');
    await page.click('[data-testid=recon-missing] > summary');
    await expect.poll(() => page.textContent('[data-testid=recon-missing]'), WAIT).toContain('9999999999994');
    expect(await page.textContent('[data-testid=reconciliation-section] > summary')).toContain('4 values from manifest.csv (Barcode)');
  });

  it('watches a hot folder added in Settings: a real photo dropped in joins a live batch and moves to done', async () => {
    const inbox = join(dir, 'inbox');
    const done = join(dir, 'done');
    mkdirSync(inbox);
    mkdirSync(done);
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=hot-folders]');
    await page.fill('[data-testid=hot-path]', inbox);
    await page.fill('[data-testid=hot-done]', done);
    await page.click('[data-testid=hot-add]');
    await page.waitForSelector('[data-testid=hot-folder][data-live=true]');
    expect(await page.textContent('[data-testid=hot-folder-state]')).toBe('Watching');
    copyFileSync(SEP_A.path, join(inbox, 'parcel.png'));
    await expect.poll(() => existsSync(join(done, 'parcel.png')), { timeout: 90_000 }).toBe(true);
    const folder = (await host.service.hotFolders.list())[0]!;
    expect(folder.batchId).not.toBeNull();
    await page.click('[data-testid=settings-back]');
    await page.click(`[data-testid=batch-row][data-batch-id="${folder.batchId}"]`);
    await page.waitForSelector('[data-testid=batch-watching]');
    expect(await page.textContent('[data-testid=batch-watching]')).toContain(`Watching ${inbox}`);
    await expect.poll(() => page.textContent('[data-testid=batch-progress-text]'), WAIT).toMatch(/^1 of 1 pages? finished/);
  });

  it('looks right in both languages and both themes', async () => {
    // Notices from the steps above would cover the screens.
    const dismiss = page.locator('.toast button');
    for (let n = await dismiss.count(); n > 0; n = await dismiss.count()) await dismiss.first().click();
    const views = async (name: string) => {
      await page.click('[data-testid=batch-row] >> nth=-1');
      await page.waitForSelector('[data-testid=documents-section]');
      await page.waitForSelector('[data-testid=documents-section][open]');
      await page.waitForSelector('[data-testid=reconciliation-section][open]');
      await page.waitForSelector('[data-testid=document]');
      await shot(`batch-${name}`);
      await page.click('[data-testid=open-settings]');
      await page.waitForSelector('[data-testid=hot-folder]');
      await shot(`settings-${name}`);
      await page.click('[data-testid=settings-back]');
    };
    await views('en-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await views('en-dark');
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await expect.poll(() => page.textContent('.sidebar-title'), WAIT).toBe('批次');
    await views('zh-CN-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await views('zh-CN-light');
    await expect.poll(() => page.textContent('[data-testid=documents-count]'), WAIT).toBe('2 份文档');
    await page.selectOption('[data-testid=language]', 'en');
    expect(pageErrors).toEqual([]);
  });
});
