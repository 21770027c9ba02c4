/**
 * Review at the speed of a verification station, end to end in a real Chromium against the
 * browser host: editing a value accepts it and Enter moves on; Ctrl+Z undoes every verdict,
 * edit and bulk verdict; bulk accept of a page, of the grid's current list and of one
 * symbology. Real sample images, a real SQLite profile, the real local decoder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES as SAMPLES_ROOT } from '../fixtures/samples';
import { openWorkstation, scanAndShow, type Workstation } from './support/workstation';

const SAMPLES = join(SAMPLES_ROOT, 'zxing');
const PICKS = ['qrcode-3/01.png', 'qrcode-2/1.png', 'ean13-1/1.png', 'ean13-1/2.png', 'ean13-1/3.png', 'datamatrix-1/C40.png'];

let w: Workstation;
let batchId: number;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });
const detections = async () => {
  const { items } = await w.host.service.listItems(batchId, { limit: 100 });
  return (await Promise.all(items.map(async (i) => (await w.host.service.getItem(i.id)).detections))).flat();
};
const reviewOf = async (id: number) => (await detections()).find((d) => d.id === id)!;

beforeAll(async () => {
  w = await openWorkstation('e2e-review');
  const folder = join(w.dir, 'scans');
  mkdirSync(folder);
  for (const p of PICKS) copyFileSync(join(SAMPLES, p), join(folder, p.replace('/', '_')));
  batchId = await scanAndShow(w, [folder], 'Station');
}, 180_000);

afterAll(async () => {
  await w?.close();
});

describe('review at the speed of a verification station', { timeout: 180_000 }, () => {
  it('accepts an edited value with Enter, moves on, and Ctrl+Z puts it back', async () => {
    const { page } = w;
    const items = (await w.host.service.listItems(batchId, { limit: 100 })).items;
    const first = items.find((i) => i.detectionCount === 1)!;
    const d = (await w.host.service.getItem(first.id)).detections[0]!;
    await page.click(`[data-testid=card][data-item-id="${first.id}"]`);
    await page.waitForSelector(`[data-testid=review][data-item-id="${first.id}"][data-ready=true]`);
    await page.keyboard.press('e');
    await page.fill('[data-testid=edit-input]', 'FIXED-1');
    await page.keyboard.press('Enter');
    await poll(async () => (await reviewOf(d.id)).review).toBe('accepted');
    expect((await reviewOf(d.id)).correctedText).toBe('FIXED-1');
    // Moved on to the next page (this one had one code).
    await poll(async () => Number(await page.getAttribute('[data-testid=review]', 'data-item-id'))).not.toBe(first.id);

    await page.keyboard.press('Control+z');
    await poll(async () => (await reviewOf(d.id)).review).toBe('pending');
    expect((await reviewOf(d.id)).correctedText).toBeNull();
    await poll(() => page.textContent('[data-testid=toast-info]')).toContain('Undone: 1 detection');

    // A verdict by key, undone the same way.
    await page.keyboard.press('k');
    await page.waitForSelector(`[data-testid=review][data-item-id="${first.id}"][data-ready=true]`);
    await poll(() => page.getAttribute(`[data-testid=detection][data-detection-id="${d.id}"]`, 'data-review')).toBe('pending');
    await page.keyboard.press('r');
    await poll(async () => (await reviewOf(d.id)).review).toBe('rejected');
    await page.keyboard.press('Control+z');
    await poll(async () => (await reviewOf(d.id)).review).toBe('pending');
    await poll(() => page.getAttribute(`[data-testid=detection][data-detection-id="${d.id}"]`, 'data-review')).toBe('pending');
    // Redo puts the verdict back; undo again.
    await page.keyboard.press('Control+Shift+z');
    await poll(async () => (await reviewOf(d.id)).review).toBe('rejected');
    await poll(() => page.getAttribute(`[data-testid=detection][data-detection-id="${d.id}"]`, 'data-review')).toBe('rejected');
    await page.keyboard.press('Control+z');
    await poll(async () => (await reviewOf(d.id)).review).toBe('pending');
    await poll(() => page.getAttribute(`[data-testid=detection][data-detection-id="${d.id}"]`, 'data-review')).toBe('pending');
  });

  it('accepts a whole page with Shift+A', async () => {
    const { page } = w;
    const id = Number(await page.getAttribute('[data-testid=review]', 'data-item-id'));
    await page.keyboard.press('Shift+A');
    await poll(async () => (await w.host.service.getItem(id)).detections.every((d) => d.review === 'accepted')).toBe(true);
    await w.shot('30-review-accept-page');
    await page.keyboard.press('Control+z');
    await poll(async () => (await w.host.service.getItem(id)).detections.every((d) => d.review === 'pending')).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=grid]');
  });

  it('accepts one symbology across the batch, then everything the current filter shows; each undone in one step', async () => {
    const { page } = w;
    const ean = (await detections()).filter((d) => d.symbology === 'EAN-13');
    expect(ean.length).toBeGreaterThanOrEqual(2);
    await page.waitForSelector('[data-testid=accept-symbology]');
    await w.shot('31-bulk-accept');
    await page.selectOption('[data-testid=accept-symbology]', 'EAN-13');
    await poll(async () => (await detections()).filter((d) => d.review === 'accepted').map((d) => d.id).sort()).toEqual(ean.map((d) => d.id).sort());

    await page.click('[data-testid=filter-needs-review]');
    const open = (await w.host.service.listItems(batchId, { filter: 'needs-review' })).total;
    await poll(() => page.textContent('[data-testid=accept-shown]')).toBe(`Accept all shown (${open} pages)`);
    await page.click('[data-testid=accept-shown]');
    await poll(async () => (await detections()).every((d) => d.review === 'accepted')).toBe(true);
    await poll(() => page.textContent('[data-testid=grid-count]')).toBe('0 pages');
    // Each card says where its review stands.
    await page.click('[data-testid=filter-with-codes]');
    await poll(() => page.locator('[data-testid=card][data-review=done]').count()).toBe((await w.host.service.listItems(batchId, { filter: 'with-codes' })).total);
    await page.click('[data-testid=filter-needs-review]');

    await page.keyboard.press('Control+z');
    await poll(async () => (await detections()).filter((d) => d.review === 'accepted').map((d) => d.id).sort()).toEqual(ean.map((d) => d.id).sort());
    await poll(() => page.textContent('[data-testid=grid-count]')).toBe(`${open} pages`);
    await page.keyboard.press('Control+z');
    await poll(async () => (await detections()).every((d) => d.review === 'pending')).toBe(true);
    await page.click('[data-testid=filter-all]');
    await poll(() => page.locator('[data-testid=card][data-review=open]').count()).toBe((await w.host.service.listItems(batchId, { filter: 'with-codes' })).total);
    expect(await page.textContent('[data-testid=card][data-review=open] [data-testid=card-review]')).toMatch(/^\d+$/);
    await w.shot('32-grid-review-marks');
  });

  it('ran under the strict CSP without a refusal or an uncaught error', () => {
    expect(w.pageErrors).toEqual([]);
  });
});
