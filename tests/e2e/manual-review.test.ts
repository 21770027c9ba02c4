/**
 * Manual review end to end in a real Chromium against the browser host: a code no engine found
 * is drawn with the mouse (and, from the keyboard, added over the part of the page in view),
 * typed, stored as an accepted detection of engine "manual", outlined, and taken back with
 * Ctrl+Z; "checked, no code here" (N) marks a page reviewed, shows on its card, and undoes the
 * same way. Real SQLite profile, the real local decoder, a real sample image beside a blank scan.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../fixtures/samples';
import { openWorkstation, scanAndShow, type Workstation } from './support/workstation';

let w: Workstation;
let batchId: number;
let blankId: number;
const WAIT = { timeout: 30_000 };
const item = (id: number) => w.host.service.getItem(id);

beforeAll(async () => {
  w = await openWorkstation('e2e-manual');
  const folder = join(w.dir, 'scans');
  mkdirSync(folder);
  // "a" sorts first: the blank page opens first.
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#ffffff' } }).png().toFile(join(folder, 'a-blank.png'));
  copyFileSync(join(SAMPLES, 'zxing/qrcode-2/1.png'), join(folder, 'b-qr.png'));
  batchId = await scanAndShow(w, [folder], 'Manual');
  const items = (await w.host.service.listItems(batchId)).items;
  blankId = items.find((i) => i.path.endsWith('a-blank.png'))!.id;
  expect((await item(blankId)).detectionCount).toBe(0);
}, 180_000);

afterAll(async () => {
  await w?.close();
});

describe('manual review', { timeout: 180_000 }, () => {
  it('draws a box where no engine found a code, types its value, and Ctrl+Z takes it back', async () => {
    const { page } = w;
    await page.click(`[data-testid=card][data-item-id="${blankId}"]`);
    await page.waitForSelector(`[data-testid=review][data-item-id="${blankId}"][data-ready=true]`);
    await page.click('[data-testid=draw-code]');
    // Drag over the page image, from 20% to 60% of its width and 25% to 50% of its height.
    const img = (await page.locator('[data-testid=page-image]').boundingBox())!;
    await page.mouse.move(img.x + img.width * 0.2, img.y + img.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(img.x + img.width * 0.4, img.y + img.height * 0.4, { steps: 4 });
    await page.mouse.move(img.x + img.width * 0.6, img.y + img.height * 0.5, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid=manual-form]');
    await page.fill('[data-testid=manual-value]', '4006381333931');
    await page.selectOption('[data-testid=manual-symbology]', 'EAN-13');
    await w.shot('manual-draw-en-light');
    await page.keyboard.press('Enter');

    await expect.poll(async () => (await item(blankId)).detections.map((d) => [d.engine, d.text, d.symbology, d.review]), WAIT).toEqual([['manual', '4006381333931', 'EAN-13', 'accepted']]);
    // Stored where it was drawn, in page pixels (1200 × 800), within a few pixels of rounding.
    const [d] = (await item(blankId)).detections;
    const xs = d!.geometry.points.map((p) => p.x);
    const ys = d!.geometry.points.map((p) => p.y);
    expect(Math.abs(Math.min(...xs) - 240)).toBeLessThan(6);
    expect(Math.abs(Math.max(...xs) - 720)).toBeLessThan(6);
    expect(Math.abs(Math.min(...ys) - 200)).toBeLessThan(6);
    expect(Math.abs(Math.max(...ys) - 400)).toBeLessThan(6);
    // Shown like any detection: outlined, listed with its engine, counted on its card.
    await page.waitForSelector(`[data-testid=outline][data-engine=manual]`);
    await expect.poll(() => page.textContent('[data-testid=detection][data-engine=manual] [data-testid=detection-value]'), WAIT).toBe('4006381333931');
    await w.shot('manual-added-en-light');

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await item(blankId)).detections.length, WAIT).toBe(0);
    await page.waitForSelector('[data-testid=outline][data-engine=manual]', { state: 'detached' });
    // Redo draws it again (a new detection, same box and value); undo takes that one back.
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await item(blankId)).detections.map((x) => [x.engine, x.text, JSON.stringify(x.geometry)]), WAIT).toEqual([['manual', '4006381333931', JSON.stringify(d!.geometry)]]);
    await page.waitForSelector('[data-testid=outline][data-engine=manual]');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await item(blankId)).detections.length, WAIT).toBe(0);
    await page.waitForSelector('[data-testid=outline][data-engine=manual]', { state: 'detached' });
  });

  it('adds a code from the keyboard alone: B, the value, Enter (the symbology last used)', async () => {
    const { page } = w;
    await page.waitForSelector(`[data-testid=review][data-item-id="${blankId}"][data-ready=true]`);
    await page.keyboard.press('b');
    await page.waitForSelector('[data-testid=manual-form]');
    // The value box has the keyboard: typing goes there, not to the page's shortcuts.
    await expect.poll(() => page.evaluate(`document.activeElement?.dataset?.testid ?? document.activeElement?.tagName`), WAIT).toBe('manual-value');
    await page.keyboard.type('HELLO-42');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await item(blankId)).detections.map((d) => [d.engine, d.text, d.symbology]), WAIT).toEqual([['manual', 'HELLO-42', 'EAN-13']]);
    // The form closes once the save has come back; until then a key still goes to its value box.
    await page.waitForSelector('[data-testid=manual-form]', { state: 'detached' });
    // Fitted, the part in view is the whole page.
    const [d] = (await item(blankId)).detections;
    expect(d!.geometry.points).toEqual([{ x: 0, y: 0 }, { x: 1200, y: 0 }, { x: 1200, y: 800 }, { x: 0, y: 800 }]);
    // Esc leaves drawing without adding anything.
    await page.keyboard.press('b');
    await page.waitForSelector('[data-testid=manual-form]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=manual-form]', { state: 'detached' });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await item(blankId)).detections.length, WAIT).toBe(0);
  });

  it('marks a page "checked, no code here" with N, shows it on the card, and undoes it', async () => {
    const { page } = w;
    // A code the test before left on the page (it failed before its last undo) would keep the
    // card "done" whatever the mark says: that failure is reported there, not again here.
    for (const d of (await item(blankId)).detections) await w.host.service.removeManualDetection(d.id);
    expect((await item(blankId)).detectionCount).toBe(0);
    await page.waitForSelector(`[data-testid=review][data-item-id="${blankId}"][data-ready=true]`);
    await page.keyboard.press('n');
    await expect.poll(async () => (await item(blankId)).checkedNoCode, WAIT).toBe(true);
    // Marking moves on to the next page; back to see the mark.
    await expect.poll(async () => Number(await page.getAttribute('[data-testid=review]', 'data-item-id')), WAIT).not.toBe(blankId);
    await page.keyboard.press('k');
    await page.waitForSelector(`[data-testid=review][data-item-id="${blankId}"][data-ready=true]`);
    await page.waitForSelector('[data-testid=checked-no-code]');
    expect(await page.getAttribute('[data-testid=no-code]', 'aria-pressed')).toBe('true');
    await w.shot('manual-no-code-en-light');
    await page.click('[data-testid=review-back]');
    await expect.poll(() => page.getAttribute(`[data-testid=card][data-item-id="${blankId}"]`, 'data-review'), WAIT).toBe('done');

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await item(blankId)).checkedNoCode, WAIT).toBe(false);
    await expect.poll(() => page.getAttribute(`[data-testid=card][data-item-id="${blankId}"]`, 'data-review'), WAIT).toBe('none');
    await page.keyboard.press('Control+y');
    await expect.poll(async () => (await item(blankId)).checkedNoCode, WAIT).toBe(true);
    await expect.poll(() => page.getAttribute(`[data-testid=card][data-item-id="${blankId}"]`, 'data-review'), WAIT).toBe('done');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await item(blankId)).checkedNoCode, WAIT).toBe(false);
  });

  it('looks right in both languages and both themes', async () => {
    const { page, pageErrors } = w;
    await w.host.service.setCheckedNoCode(blankId, true);
    const views = async (name: string) => {
      await page.click(`[data-testid=card][data-item-id="${blankId}"]`);
      await page.waitForSelector(`[data-testid=review][data-item-id="${blankId}"][data-ready=true]`);
      await page.waitForSelector('[data-testid=checked-no-code]');
      await page.keyboard.press('b');
      await page.waitForSelector('[data-testid=manual-form]');
      await w.shot(`manual-form-${name}`);
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=manual-form]', { state: 'detached' });
      await page.click('[data-testid=review-back]');
      await page.waitForSelector('[data-testid=card]');
    };
    await page.reload();
    await page.click('[data-testid=batch-row]');
    await page.waitForSelector('[data-testid=card]');
    await page.emulateMedia({ colorScheme: 'dark' });
    await views('en-dark');
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await expect.poll(() => page.textContent('[data-testid=draw-code], .sidebar-title'), WAIT).not.toBe('Batches');
    await views('zh-CN-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await views('zh-CN-light');
    await page.click(`[data-testid=card][data-item-id="${blankId}"]`);
    await expect.poll(() => page.textContent('[data-testid=draw-code]'), WAIT).toBe('框选条码');
    await expect.poll(() => page.textContent('[data-testid=checked-no-code]'), WAIT).toContain('已检查');
    await page.click('[data-testid=review-back]');
    await page.selectOption('[data-testid=language]', 'en');
    expect(pageErrors).toEqual([]);
  });
});
