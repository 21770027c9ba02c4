/**
 * "Read this box" end to end in a real Chromium against the browser host (issue 9): on a real
 * page made of two real samples (an EAN-13 left, a DataMatrix right), the reviewer draws a box
 * around the DataMatrix; the local decoder reads that region at full resolution in the host's
 * worker pool and offers its value and symbology in the form, Enter stores it as a code of
 * engine "manual". A box on blank paper reads nothing and the value is typed as before.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../fixtures/samples';
import { shotInEveryLook } from './support/looks';
import { SHOTS, openWorkstation, scanAndShow, type Workstation } from './support/workstation';

let w: Workstation;
let itemId: number;
const PAGE = { width: 1600, height: 1400 };
const DM = { left: 1000, top: 40 };
let dmSize: { width: number; height: number };
const WAIT = { timeout: 30_000 };

beforeAll(async () => {
  w = await openWorkstation('e2e-region');
  const folder = join(w.dir, 'scans');
  mkdirSync(folder);
  const dm = join(SAMPLES, 'zxing/datamatrix-1/C40.png');
  const m = await sharp(dm).metadata();
  dmSize = { width: m.width!, height: m.height! };
  await sharp({ create: { ...PAGE, channels: 3, background: '#ffffff' } })
    .composite([
      { input: join(SAMPLES, 'zxing/ean13-1/1.png'), left: 40, top: 40 },
      { input: dm, ...DM },
    ])
    .png()
    .toFile(join(folder, 'two-codes.png'));
  const batchId = await scanAndShow(w, [folder], 'Region');
  itemId = (await w.host.service.listItems(batchId)).items[0]!.id;
}, 180_000);

afterAll(async () => {
  await w?.close();
});

/** Drags a box on the page image between two points given in page pixels. */
async function drag(from: { x: number; y: number }, to: { x: number; y: number }) {
  const img = (await w.page.locator('[data-testid=page-image]').boundingBox())!;
  const at = (p: { x: number; y: number }) => ({ x: img.x + (p.x / PAGE.width) * img.width, y: img.y + (p.y / PAGE.height) * img.height });
  const a = at(from);
  const b = at(to);
  await w.page.mouse.move(a.x, a.y);
  await w.page.mouse.down();
  await w.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await w.page.mouse.move(b.x, b.y, { steps: 4 });
  await w.page.mouse.up();
}

describe('reading a drawn box', { timeout: 180_000 }, () => {
  it('offers the code the local decoder reads in the box, and stores it as a manual code', async () => {
    const { page } = w;
    await page.click(`[data-testid=card][data-item-id="${itemId}"]`);
    await page.waitForSelector(`[data-testid=review][data-item-id="${itemId}"][data-ready=true]`);
    const before = (await w.host.service.getItem(itemId)).detections.length;

    // Blank paper: nothing read, the value stays for the reviewer to type.
    await page.click('[data-testid=draw-code]');
    await drag({ x: 200, y: 900 }, { x: 600, y: 1200 });
    await page.waitForSelector('[data-testid=region-read][data-state=none]');
    expect(await page.inputValue('[data-testid=manual-value]')).toBe('');

    // Around the DataMatrix: its value and symbology are offered.
    await drag({ x: DM.left - 10, y: DM.top - 10 }, { x: DM.left + dmSize.width + 10, y: DM.top + dmSize.height + 10 });
    await page.waitForSelector('[data-testid=region-read][data-state=found]');
    expect(await page.inputValue('[data-testid=manual-value]')).toBe('Testing C40');
    expect(await page.inputValue('[data-testid=manual-symbology]')).toBe('DataMatrix');
    await w.shot('region-read-en-light');
    await shotInEveryLook(page, SHOTS, 'region-read', () => page.waitForSelector('[data-testid=region-read][data-state=found]').then(() => undefined));
    await page.focus('[data-testid=manual-value]');
    await page.keyboard.press('Enter');
    // Stored as a manual code; here the page's decode had read the same code at the same place,
    // so the two are one code found by both (store/merge.ts), as any second reading is.
    await expect
      .poll(async () => (await w.host.service.getItem(itemId)).detections.filter((d) => d.engine === 'manual' || d.foundBy?.includes('manual')).map((d) => [d.text, d.symbology]), WAIT)
      .toEqual([['Testing C40', 'DataMatrix']]);
    expect((await w.host.service.listCodes((await w.host.service.getItem(itemId)).batchId, { engine: 'manual' })).rows.map((r) => r.text)).toEqual(['Testing C40']);
    expect((await w.host.service.getItem(itemId)).detections.length).toBe(before);
    expect(w.pageErrors).toEqual([]);
  });
});
