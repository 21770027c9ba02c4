/**
 * The results table end to end in a real Chromium against the browser host (issue 9): every
 * code of a batch of real sample images, decoded by the real local engine into a real SQLite
 * profile, listed beside the grid; filtered by symbology, engine and review state; a value
 * copied with Ctrl+C and with Copy (read back from the browser's clipboard); a row's page
 * opened in review with Enter; its file shown in the file manager (a real child process: an
 * `xdg-open` first on PATH records what it was asked to open). A batch with hundreds of codes
 * keeps only the rows in view in the page.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../fixtures/samples';
import { shotInEveryLook } from './support/looks';
import { SHOTS, openWorkstation, scanAndShow, type Workstation } from './support/workstation';

let w: Workstation;
let batchId: number;
const WAIT = { timeout: 30_000 };
const oldPath = process.env.PATH;
let revealLog: string;

const FILES = [
  ['a-qr.png', 'zxing/qrcode-2/1.png'],
  ['b-ean.png', 'zxing/ean13-1/1.png'],
  ['c-dm.png', 'zxing/datamatrix-1/C40.png'],
  ['d-qr.png', 'zxing/qrcode-3/01.png'],
] as const;

beforeAll(async () => {
  w = await openWorkstation('e2e-table');
  // A stand-in file manager: the host's reveal spawns `xdg-open <folder>` on Linux.
  const bin = join(w.dir, 'bin');
  mkdirSync(bin);
  revealLog = join(w.dir, 'revealed.txt');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${revealLog}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  process.env.PATH = `${bin}:${oldPath}`;

  const folder = join(w.dir, 'scans');
  mkdirSync(folder);
  for (const [name, sample] of FILES) copyFileSync(join(SAMPLES, sample), join(folder, name));
  await w.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(w.host.url).origin });
  batchId = await scanAndShow(w, [folder], 'Table');
}, 180_000);

afterAll(async () => {
  process.env.PATH = oldPath;
  await w?.close();
});

const clipboard = () => w.page.evaluate('navigator.clipboard.readText()') as Promise<string>;
const shownValues = () => w.page.$$eval('[data-testid=code-row] [data-testid=code-value]', (els) => els.map((e) => e.textContent));

describe('results table', { timeout: 180_000 }, () => {
  it('lists every code of the batch, filters it, copies a value, opens its page and shows its file', async () => {
    const { page } = w;
    const stored = await w.host.service.listCodes(batchId);
    // The real decoder read each sample (at least one code per file).
    expect(new Set(stored.rows.map((r) => r.path.split('/').pop()))).toEqual(new Set(FILES.map(([n]) => n)));
    await page.click('[data-testid=view-codes]');
    await expect.poll(() => page.locator('[data-testid=code-row]').count(), WAIT).toBe(stored.total);
    expect(await shownValues()).toEqual(stored.rows.map((r) => r.text));
    expect(await page.textContent('[data-testid=code-count]')).toBe(`${stored.total} code${stored.total === 1 ? '' : 's'}`);
    expect(await page.$$eval('[data-testid=code-found-by]', (els) => els.map((e) => e.textContent))).toEqual(stored.rows.map(() => 'Local'));

    // Filters: one symbology; a review state nothing is in yet; back to all.
    const ean = stored.rows.filter((r) => r.symbology === 'EAN-13');
    expect(ean.length).toBeGreaterThan(0);
    await page.selectOption('[data-testid=code-filter-symbology]', 'EAN-13');
    await expect.poll(shownValues, WAIT).toEqual(ean.map((r) => r.text));
    await page.selectOption('[data-testid=code-filter-review]', 'accepted');
    await page.waitForSelector('text=No code matches these filters.');
    await page.selectOption('[data-testid=code-filter-review]', '');
    await page.selectOption('[data-testid=code-filter-engine]', 'local');
    await expect.poll(shownValues, WAIT).toEqual(ean.map((r) => r.text));
    await page.selectOption('[data-testid=code-filter-symbology]', '');
    await page.selectOption('[data-testid=code-filter-engine]', '');
    await expect.poll(() => page.locator('[data-testid=code-row]').count(), WAIT).toBe(stored.total);

    // Ctrl+C on the focused row copies its value; arrow down and Copy copies the next one.
    await page.click('[data-testid=code-row][data-row="0"] [data-testid=code-symbology]');
    await page.focus('[data-testid=code-row][data-row="0"]');
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard, WAIT).toBe(stored.rows[0]!.text);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('data-row')"), WAIT).toBe('1');
    await page.click('[data-testid=code-row][data-row="1"] [data-testid=code-copy]');
    await expect.poll(clipboard, WAIT).toBe(stored.rows[1]!.text);
    await w.shot('table-en-light');
    await shotInEveryLook(page, SHOTS, 'table', () => page.waitForSelector('[data-testid=code-row]').then(() => undefined));

    // Show in folder: the host asks the system's file manager to open the file's folder.
    const last = stored.rows[stored.rows.length - 1]!;
    await page.click(`[data-testid=code-row][data-detection-id="${last.id}"] [data-testid=code-symbology]`);
    await page.click(`[data-testid=code-row][data-detection-id="${last.id}"] [data-testid=code-reveal]`);
    await expect.poll(() => (existsSync(revealLog) ? readFileSync(revealLog, 'utf8').trim() : ''), WAIT).toBe(join(w.dir, 'scans'));

    // Enter opens the row's page in review; back returns to the table with its filter.
    await page.selectOption('[data-testid=code-filter-symbology]', 'EAN-13');
    await expect.poll(shownValues, WAIT).toEqual(ean.map((r) => r.text));
    await page.focus('[data-testid=code-row][data-row="0"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid=review][data-item-id="${ean[0]!.itemId}"][data-ready=true]`);
    await page.click('[data-testid=review-back]');
    await expect.poll(shownValues, WAIT).toEqual(ean.map((r) => r.text));
    expect(await page.inputValue('[data-testid=code-filter-symbology]')).toBe('EAN-13');
    expect(w.pageErrors).toEqual([]);
  });

  it('shows each code\'s verdict under the batch\'s review rules and filters the codes that break one', async () => {
    const { page } = w;
    await page.selectOption('[data-testid=code-filter-symbology]', '');
    await expect.poll(() => page.locator('[data-testid=code-row]').count(), WAIT).toBeGreaterThan(0);
    // No rules: no verdict.
    expect(await page.locator('[data-testid=code-rule]').count()).toBe(0);
    await w.host.service.setRules(batchId, { symbologies: ['QRCode'], patterns: {}, gs1: false, codesPerPage: { min: null, max: null }, autoAccept: false });
    const stored = await w.host.service.listCodes(batchId);
    const breaking = stored.rows.filter((r) => r.symbology !== 'QRCode');
    expect(breaking.length).toBeGreaterThan(0);
    // The view refetches on the next change it hears of; switching views is one.
    await page.click('[data-testid=view-pages]');
    await page.click('[data-testid=view-codes]');
    await expect.poll(() => page.$$eval('[data-testid=code-rule]', (els) => els.map((e) => e.getAttribute('data-rule'))), WAIT).toEqual(
      stored.rows.map((r) => (r.symbology === 'QRCode' ? 'ok' : 'breaks')),
    );
    await page.check('[data-testid=code-filter-rules]');
    await expect.poll(shownValues, WAIT).toEqual(breaking.map((r) => r.text));
    await w.shot('table-rules-en-light');
    await shotInEveryLook(page, SHOTS, 'table-rules', () => page.waitForSelector('[data-testid=code-rule]').then(() => undefined));
    await page.uncheck('[data-testid=code-filter-rules]');
    await expect.poll(() => page.locator('[data-testid=code-rule]').count(), WAIT).toBe(stored.rows.length);
    // Rules removed in the batch view: the table drops its verdicts without a switch of views.
    await page.click('[data-testid=rules-section] > summary');
    await page.click('[data-testid=rules-remove]');
    await expect.poll(() => page.locator('[data-testid=code-rule]').count(), WAIT).toBe(0);
    await expect.poll(() => page.locator('[data-testid=code-row]').count(), WAIT).toBeGreaterThan(0);
    await w.host.service.setRules(batchId, null);
    expect(w.pageErrors).toEqual([]);
  });

  it('keeps only the rows in view in the page for a batch with hundreds of codes, and reaches the last', async () => {
    const { page } = w;
    const [first] = (await w.host.service.listItems(batchId)).items;
    for (let i = 0; i < 600; i++) {
      await w.host.service.addManualDetection(first!.id, { box: { left: 0, top: 0, width: 10, height: 10 }, symbology: 'Code128', text: `BULK-${String(i).padStart(4, '0')}` });
    }
    const stored = await w.host.service.listCodes(batchId);
    expect(stored.total).toBeGreaterThan(600);
    await page.selectOption('[data-testid=code-filter-symbology]', '');
    await page.click('[data-testid=view-pages]');
    await page.click('[data-testid=view-codes]');
    await expect.poll(() => page.textContent('[data-testid=code-count]'), WAIT).toBe(`${stored.total} codes`);
    expect(await page.locator('[data-testid=code-row]').count()).toBeLessThan(80);
    await page.focus('[data-testid=code-row][data-row="0"]');
    await page.keyboard.press('End');
    const lastRow = stored.rows.length === stored.total ? stored.rows[stored.total - 1]! : (await w.host.service.listCodes(batchId, { offset: stored.total - 1, limit: 1 })).rows[0]!;
    await expect.poll(() => page.evaluate("document.activeElement?.querySelector('[data-testid=code-value]')?.textContent ?? null"), WAIT).toBe(lastRow.text);
    expect(await page.locator('[data-testid=code-row]').count()).toBeLessThan(80);
    await page.selectOption('[data-testid=code-filter-engine]', 'manual');
    await expect.poll(() => page.textContent('[data-testid=code-count]'), WAIT).toBe('600 codes');
    expect(w.pageErrors).toEqual([]);
  });
});
