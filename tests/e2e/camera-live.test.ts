/**
 * Live outlines in the camera preview, in a real Chromium against the browser host: Chromium's
 * fake camera plays a video made of real sample photos (a QR code, then an EAN-13, in a loop:
 * --use-file-for-fake-video-capture), the preview samples its frames, the host's local decoder
 * reads them in a worker thread, and each code is outlined on the picture with its value as it
 * comes into view. Screenshots: test-results/screenshots/camera-live-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Z } from '../fixtures/samples';
import { writeY4m } from './support/fake-camera';
import { shotInEveryLook } from './support/looks';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';

const QR_TEXT = readFileSync(`${Z}qrcode-5/01.txt`, 'utf8');
const EAN_TEXT = readFileSync(`${Z}ean13-1/1.txt`, 'utf8').trim();
let w: Workstation;
let page: Page;
let rendererErrors: string[];

beforeAll(async () => {
  w = await openWorkstation('e2e-camera-live', {
    db: join('profile', 'scandesk.db'),
    host: { log: () => undefined },
    async prepare({ dir }) {
      // Two seconds of each photo at 10 frames a second: several samples of each while it is in view.
      await writeY4m(join(dir, 'camera.y4m'), [`${Z}qrcode-5/01.png`, `${Z}ean13-1/1.png`], { width: 640, height: 480, fps: 10, framesEach: 20 });
    },
    chromiumArgs: (dir) => ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${join(dir, 'camera.y4m')}`],
    viewport: { width: 1280, height: 900 },
    refusals: false,
  });
  ({ page, pageErrors: rendererErrors } = w);
}, 120_000);

afterAll(() => w?.close());

/** The outlines on screen now: value and the polygon's box in the page's pixels. */
async function outlines(): Promise<Array<{ value: string; box: { x: number; y: number; width: number; height: number } }>> {
  const found = page.locator('[data-testid=camera-outline]');
  const out = [];
  for (let i = 0; i < (await found.count()); i++) {
    const value = await found.nth(i).getAttribute('data-value');
    const box = await found.nth(i).boundingBox();
    if (value !== null && box) out.push({ value, box });
  }
  return out;
}

describe('live outlines in the camera preview', () => {
  it('outlines each code of the real photos the camera shows, with its value, inside the picture', async () => {
    await page.click('[data-testid=new-batch]');
    await page.waitForSelector('[data-testid=create-dialog][open] [data-testid=engine-picker][data-ready=true]');
    await page.click('[data-testid=camera-open]');
    await page.waitForSelector('[data-testid=camera][data-ready=true]', { timeout: 30_000 });
    type Box = { x: number; y: number; width: number; height: number };
    // Each outline is kept with the preview's box read at the same moment: the dialog's layout can
    // still move (the device list, the notice line) between one read and the next.
    const seen = new Map<string, { box: Box; preview: Box }>();
    // Both photos come round in the loop: wait until each has been outlined at least once.
    await expect
      .poll(
        async () => {
          const found = await outlines();
          const preview = await page.locator('[data-testid=camera-preview]').boundingBox();
          const again = await outlines();
          // Kept only when the layout stood still across the reads.
          if (preview && JSON.stringify(found) === JSON.stringify(again)) for (const o of found) seen.set(o.value, { box: o.box, preview });
          return [...seen.keys()].sort();
        },
        { timeout: 60_000, interval: 100 },
      )
      .toEqual([EAN_TEXT, QR_TEXT].sort());
    for (const [value, { box, preview }] of seen) {
      // Each outline lies on the preview (the SVG is fitted over the video) and has an area.
      expect(box.width, value).toBeGreaterThan(10);
      expect(box.height, value).toBeGreaterThan(3);
      expect(box.x, value).toBeGreaterThanOrEqual(preview.x - 2);
      expect(box.y, value).toBeGreaterThanOrEqual(preview.y - 2);
      expect(box.x + box.width, value).toBeLessThanOrEqual(preview.x + preview.width + 2);
      expect(box.y + box.height, value).toBeLessThanOrEqual(preview.y + preview.height + 2);
    }
    // The value is written out below the picture too.
    await page.waitForSelector(`[data-testid=camera-live-code][data-value="${QR_TEXT.replace(/"/g, '\\"')}"]`, { timeout: 60_000 });
    await shotInEveryLook(page, SHOTS, 'camera-live', async () => {
      await page.waitForSelector('[data-testid=camera-outline]', { timeout: 60_000 });
    });
    expect(rendererErrors).toEqual([]);
  }, 180_000);
});
