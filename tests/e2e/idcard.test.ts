/**
 * Tencent ID cards in the real interface (headless Chromium, browser host, a real keychain, the
 * Tencent emulator that really finds the card and crops it): the new-batch dialog offers every
 * IDCardOCR output (crops, warnings, glare details, advanced checks, region) with the vendor's
 * rule enforced, and what was ticked is what the service receives; review shows the card's
 * warnings as badges in the user's language, the scores and the glare, the ID number masked by
 * the one rule until revealed, and the card and portrait crops (real images from the media
 * route) only when asked. Screenshots of each changed
 * screen in both languages and themes: test-results/screenshots/idcard-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ScanService } from '../../electron/core/service-types';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { CARD, CREDS, SAMPLES, cardPage } from '../integration/support/vendors';
import { shotInEveryLook } from './support/looks';
import { useKeychain, vendorService } from './support/vendor-host';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';

let emu: TencentEmulator;
let w: Workstation;
let dir: string;
let service: ScanService;
let page: Page;
let rendererErrors: string[];

beforeAll(async () => {
  w = await openWorkstation('e2e-idcard', {
    db: join('profile', 'scandesk.db'),
    async prepare({ dbPath, defer }) {
      await useKeychain(defer);
      const marker = readFileSync(join(SAMPLES, CARD.qr.replace(/\.png$/, '.txt')), 'utf8');
      emu = await startTencentEmulator({
        accounts: { [CREDS.tencent.secretId]: CREDS.tencent.secretKey },
        cards: [
          {
            marker,
            side: 'FRONT',
            fields: CARD.fields,
            warnings: [-9102, -9107],
            quality: 58,
            borderCodeValue: 12,
            // cardPage draws the card over the whole 1000x630 photo; the crop keeps a margin off.
            cardBox: { left: 0.02, top: 0.03, width: 0.96, height: 0.94 },
            reflections: ['RecognitionField'],
          },
        ],
      });
      defer(() => emu.close());
      const opened = await vendorService(dbPath, defer, { tencent: { endpoint: `http://127.0.0.1:${emu.port}` } }, (r) => r.setCredentials('tencent', CREDS.tencent));
      service = opened.service;
      return opened;
    },
    viewport: { width: 1280, height: 900 },
    refusals: false,
  });
  ({ dir, page, pageErrors: rendererErrors } = w);
}, 120_000);

afterAll(() => w?.close());

describe('ID cards in the interface', () => {
  it('the new-batch dialog offers every IDCardOCR output; what is ticked is what Tencent receives', async () => {
    const folder = join(dir, 'cards');
    mkdirSync(folder);
    await cardPage(join(folder, 'card.jpg'));
    await page.click('[data-testid=new-batch]');
    await page.waitForSelector('[data-testid=create-dialog][open] [data-testid=engine-picker][data-ready=true]');
    await page.fill('[data-testid=path-input]', folder);
    await page.click('[data-testid=path-add]');
    await page.fill('[data-testid=batch-name]', 'Cards');
    await page.selectOption('[data-testid=engine]', 'tencent');
    await page.selectOption('[data-testid=task]', 'idcard');
    await page.waitForSelector('[data-testid=idcard-options]');

    // Glare details need the glare warning: disabled until it is ticked, cleared when it is not.
    expect(await page.isDisabled('[data-testid=idcard-glare-detail]')).toBe(true);
    await page.check('[data-testid=idcard-warn-glare]');
    await page.check('[data-testid=idcard-glare-detail]');
    await page.uncheck('[data-testid=idcard-warn-glare]');
    expect(await page.isChecked('[data-testid=idcard-glare-detail]')).toBe(false);
    expect(await page.isDisabled('[data-testid=idcard-glare-detail]')).toBe(true);

    await page.check('[data-testid=idcard-crop-card]');
    await page.check('[data-testid=idcard-crop-portrait]');
    for (const w of ['copy', 'reshoot', 'temporary', 'border', 'blur', 'glare']) await page.check(`[data-testid=idcard-warn-${w}]`);
    await page.check('[data-testid=idcard-glare-detail]');
    await page.selectOption('[data-testid=card-side]', 'FRONT');
    await page.selectOption('[data-testid=idcard-region]', 'ap-shanghai');
    expect(await page.locator('[data-testid=idcard-problem]').count()).toBe(0);
    await shotInEveryLook(page, SHOTS, 'idcard-dialog', async () => {
      await page.evaluate(`document.querySelector('[data-testid=idcard-options]').scrollIntoView({ block: 'center' })`);
    });

    await page.click('[data-testid=start-batch]');
    await page.click('[data-testid=send-confirm]');
    await expect.poll(async () => (await service.listBatches()).find((b) => b.name === 'Cards')?.status, { timeout: 60_000 }).toBe('done');
    const sent = emu.stats.lastParams.IDCardOCR!;
    expect(JSON.parse(sent.Config as string)).toEqual({
      CropIdCard: true,
      CropPortrait: true,
      CopyWarn: true,
      ReshootWarn: true,
      TempIdWarn: true,
      BorderCheckWarn: true,
      Quality: true,
      ReflectWarn: true,
    });
    expect(sent).toMatchObject({ CardSide: 'FRONT', EnableReflectDetail: true });
    expect(emu.stats.lastRegion.IDCardOCR).toBe('ap-shanghai');
    expect(rendererErrors).toEqual([]);
  }, 240_000);

  it('review shows warnings as badges, the number masked until revealed, and the crops on request', async () => {
    const batch = (await service.listBatches()).find((b) => b.name === 'Cards')!;
    const [item] = (await service.listItems(batch.id)).items;
    await page.click(`[data-testid=batch-row][data-batch-id="${batch.id}"]`);
    await page.click(`[data-testid=card][data-item-id="${item!.id}"]`);
    await page.waitForSelector(`[data-testid=review][data-item-id="${item!.id}"][data-ready=true]`);
    const panel = page.locator('[data-testid=idcard-panel]');
    await panel.waitFor();
    expect(await panel.getAttribute('data-side')).toBe('FRONT');
    const badges = panel.locator('[data-testid=idcard-warning]');
    expect(await badges.evaluateAll((els) => els.map((e) => [e.getAttribute('data-code'), e.textContent]))).toEqual([
      ['-9102', 'Photocopy (colour or black-and-white)'],
      ['-9107', 'Glare on the card'],
    ]);
    expect(await panel.locator('[data-testid=idcard-quality]').textContent()).toBe('Quality 58');
    expect(await panel.locator('[data-testid=idcard-border]').textContent()).toBe('Border score 12');
    expect(await panel.locator('[data-testid=idcard-glare]').textContent()).toBe('Glare on: text fields');

    // The ID number: masked by the one rule until revealed; the other fields as read.
    // Each field by its label in the reader's language, not Tencent's key.
    expect(await page.locator('.symbology[data-field=IdNum]').textContent()).toBe('ID number');
    expect(await page.locator('.symbology[data-field=Name]').textContent()).toBe('Name');
    const idRow = page.locator('[data-testid=detection]', { has: page.locator('.symbology[data-field=IdNum]') });
    const value = idRow.locator('[data-testid=detection-value]');
    expect(await value.textContent()).toBe('440***********1234');
    expect(await value.getAttribute('data-masked')).toBe('true');
    expect(await page.locator('[data-testid=detection-value]').allTextContents()).toContain('李明');

    // No crop is fetched before the user asks for it.
    expect(await page.locator('[data-testid=idcard-crop-idcard]').count()).toBe(0);
    await page.click('[data-testid=idcard-show-crops]');
    const sizes = async (sel: string) => {
      await page.waitForFunction(`(() => { const i = document.querySelector('${sel}'); return !!i && i.complete && i.naturalWidth > 0; })()`);
      return page.evaluate(`(() => { const i = document.querySelector('${sel}'); return [i.naturalWidth, i.naturalHeight]; })()`) as Promise<[number, number]>;
    };
    // The card crop is the fixture's card box of the 1000x630 photo; the portrait, the marker's box.
    expect(await sizes('[data-testid=idcard-crop-idcard]')).toEqual([960, 592]);
    const [pw, ph] = await sizes('[data-testid=idcard-crop-portrait]');
    expect(pw).toBeGreaterThan(100);
    expect(pw).toBeLessThan(400);
    expect(ph).toBeGreaterThan(100);
    const src = (await page.getAttribute('[data-testid=idcard-crop-idcard]', 'src'))!;
    expect(src).toMatch(/^\/media\/crop\/idcard\/\d+$/);

    await page.click('[data-testid=reveal-personal]');
    expect(await value.textContent()).toBe(CARD.fields.IdNum);
    await shotInEveryLook(page, SHOTS, 'idcard-review', async () => {
      await page.waitForSelector('[data-testid=idcard-crop-portrait]');
    });
    await page.click('[data-testid=reveal-personal]');
    expect(await value.textContent()).toBe('440***********1234');

    // Chinese: the service's own wording for each warning.
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await page.waitForFunction(`document.documentElement.lang === 'zh-CN'`);
    expect(await badges.allTextContents()).toEqual(['身份证复印件告警', '身份证反光告警']);
    expect(await page.locator('.symbology[data-field=IdNum]').textContent()).toBe('公民身份号码');
    expect(await page.locator('.symbology[data-field=Address]').textContent()).toBe('住址');
    await page.selectOption('[data-testid=language]', 'en');
    expect(rendererErrors).toEqual([]);
  }, 240_000);
});
