/**
 * Capture from a camera, in a real Chromium against the browser host, with Chromium's fake
 * camera (--use-fake-device-for-media-stream: a real MediaStream of moving frames) and its
 * permission prompt answered yes (--use-fake-ui-for-media-stream): the camera is listed, the
 * preview plays, Capture makes a PNG that is sent to the host like a dropped file, and the
 * batch's local engine decodes that image (the page ends done, not failed). Screenshots:
 * test-results/screenshots/camera-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { RunningHost } from '../../electron/host';
import { shotInEveryLook } from './support/looks';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';

let w: Workstation;
let host: RunningHost;
let page: Page;
let rendererErrors: string[];

beforeAll(async () => {
  w = await openWorkstation('e2e-camera', {
    db: join('profile', 'scandesk.db'),
    host: { log: () => undefined },
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    viewport: { width: 1280, height: 900 },
    refusals: false,
  });
  ({ host, page, pageErrors: rendererErrors } = w);
}, 120_000);

afterAll(() => w?.close());

describe('capture from a camera', () => {
  it('lists the camera, previews it, and a captured PNG becomes a page the engine decodes', async () => {
    await page.click('[data-testid=new-batch]');
    await page.waitForSelector('[data-testid=create-dialog][open] [data-testid=engine-picker][data-ready=true]');
    await page.click('[data-testid=camera-open]');
    await page.waitForSelector('[data-testid=camera][data-ready=true]', { timeout: 30_000 });
    const devices = await page.locator('[data-testid=camera-device] option').allTextContents();
    expect(devices.length).toBeGreaterThan(0);
    // The preview plays: frames of a real size arrive.
    await page.waitForFunction(`(() => { const v = document.querySelector('[data-testid=camera-preview]'); return !!v && v.videoWidth > 0 && v.currentTime > 0; })()`);
    const [vw, vh] = (await page.evaluate(`(() => { const v = document.querySelector('[data-testid=camera-preview]'); return [v.videoWidth, v.videoHeight]; })()`)) as [number, number];
    await shotInEveryLook(page, SHOTS, 'camera-preview');

    await page.click('[data-testid=camera-capture]');
    await page.waitForSelector('[data-testid=camera-taken][data-count="1"]');
    await page.fill('[data-testid=batch-name]', 'Camera');
    // The upload's folder joins the batch's paths once the file is there.
    await page.waitForSelector('[data-testid=start-batch]:not([disabled])');
    await expect.poll(async () => (await page.locator('[data-testid=create-dialog]').textContent()) ?? '', { timeout: 30_000 }).toMatch(/1 (file|image)/);
    await page.click('[data-testid=start-batch]');
    await expect.poll(async () => (await host.service.listBatches()).find((b) => b.name === 'Camera')?.status, { timeout: 60_000 }).toBe('done');
    const batch = (await host.service.listBatches()).find((b) => b.name === 'Camera')!;
    const { items } = await host.service.listItems(batch.id);
    expect(items).toHaveLength(1);
    const item = await host.service.getItem(items[0]!.id);
    expect(item.error).toBeNull();
    expect(item.status).toBe('done');
    expect(item.path).toMatch(/camera-.*\.png$/);
    const meta = await sharp(readFileSync(item.path)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', vw, vh]);
    expect(rendererErrors).toEqual([]);
  }, 180_000);
});
