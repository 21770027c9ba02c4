/**
 * Vendor usage in the real interface (headless Chromium, browser host, real keychain, vendor
 * emulators): the new-batch dialog says how many pages a vendor gets before anything is sent
 * (and nothing is sent when the user goes back), stored results are not counted, the
 * printedTextOCR daily quota is warned about, the batch shows what it spent, and Settings →
 * Usage shows today and this month per account. Screenshots in both languages and themes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { ScanService } from '../../electron/core/service-types';
import { CREDS, copySamples, startEmulators, type Emulators } from '../integration/support/vendors';
import { shotInEveryLook } from './support/looks';
import { useKeychain, vendorService } from './support/vendor-host';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';

let emu: Emulators;
let w: Workstation;
let dir: string;
let service: ScanService;
let page: Page;
let rendererErrors: string[];

beforeAll(async () => {
  w = await openWorkstation('e2e-usage', {
    db: join('profile', 'scandesk.db'),
    async prepare({ dbPath, defer }) {
      await useKeychain(defer);
      emu = await startEmulators();
      defer(() => emu.close());
      const settings = { tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT }, wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL } };
      const opened = await vendorService(dbPath, defer, settings, async (r) => {
        await r.setCredentials('tencent', CREDS.tencent);
        await r.setCredentials('wechat', CREDS.wechat);
      });
      service = opened.service;
      return opened;
    },
    viewport: { width: 1280, height: 860 },
    refusals: false,
  });
  ({ dir, page, pageErrors: rendererErrors } = w);
}, 120_000);

afterAll(() => w?.close());

async function openDialog(folder: string, engine: string, task = 'codes', name?: string): Promise<void> {
  await page.click('[data-testid=new-batch]');
  await page.waitForSelector('[data-testid=create-dialog][open] [data-testid=engine-picker][data-ready=true]');
  await page.fill('[data-testid=path-input]', folder);
  await page.click('[data-testid=path-add]');
  if (name) await page.fill('[data-testid=batch-name]', name);
  await page.selectOption('[data-testid=engine]', engine);
  await page.selectOption('[data-testid=task]', task);
  await page.click('[data-testid=start-batch]');
  await page.waitForSelector('[data-testid=send-estimate]');
}

const vendorLine = (vendor: string) => page.locator(`[data-testid=send-vendor][data-vendor=${vendor}]`);

describe('vendor usage in the interface', () => {
  it('says how many pages go to the vendor before anything is sent; Back sends nothing', async () => {
    const folder = join(dir, 'codes');
    copySamples(folder, { 'a.png': 'zxing/qrcode-3/01.png', 'b.png': 'zxing/ean13-1/2.png' });
    await openDialog(folder, 'tencent', 'codes', 'First');
    expect(await vendorLine('tencent').textContent()).toBe('This batch sends 2 pages to Tencent Cloud OCR.');
    expect(await vendorLine('tencent').getAttribute('data-pages')).toBe('2');
    await page.click('[data-testid=send-back]');
    await page.waitForSelector('[data-testid=start-batch]');
    expect(await service.listBatches()).toHaveLength(0);
    expect(emu.tencent.stats.requests.QrcodeOCR ?? 0).toBe(0);

    await page.click('[data-testid=start-batch]');
    await page.click('[data-testid=send-confirm]');
    await expect.poll(async () => (await service.listBatches())[0]?.status, { timeout: 60_000 }).toBe('done');
    await page.waitForSelector('[data-testid=batch-spend] [data-operation=QrcodeOCR][data-calls="2"][data-billable="2"]');
    expect(await page.textContent('[data-testid=batch-spend]')).toBe('Vendor calls: Tencent Cloud OCR QrcodeOCR: 2 calls (2 billable)');
    await shotInEveryLook(page, SHOTS, 'usage-batch-spend', () => page.waitForSelector('[data-testid=batch-spend]').then(() => undefined));
  }, 180_000);

  it('does not count pages whose result is stored; warns about the printedTextOCR daily quota', async () => {
    const folder = join(dir, 'codes');
    copySamples(folder, { 'c.png': 'zxing/ean13-1/3.png' });
    await openDialog(folder, 'tencent');
    expect(await vendorLine('tencent').textContent()).toBe('This batch sends 1 page to Tencent Cloud OCR. 2 more pages have a stored result and are not sent again.');
    await page.click('[data-testid=send-back]');
    await page.click('[data-testid=create-dialog] .actions button:not([type=submit])');

    // 101 pages of printed text: a basic account has 100 printedTextOCR calls a day.
    const text = join(dir, 'text');
    mkdirSync(text);
    for (let i = 0; i < 101; i++) {
      writeFileSync(join(text, `p${i}.png`), await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: i, g: 9, b: 200 } } }).png().toBuffer());
    }
    await openDialog(text, 'wechat', 'text');
    expect(await vendorLine('wechat').textContent()).toBe('This batch sends 101 pages to WeChat OCR.');
    const quota = (await page.textContent('[data-testid=send-quota]'))!;
    expect(quota).toMatch(/^WeChat OCR printedTextOCR allows 100 calls a day on a basic account: 100 are left today on this account and this batch needs 101\. The count resets at .+; pages past the quota wait until then\.$/);
    await shotInEveryLook(page, SHOTS, 'usage-send-estimate', () => page.waitForSelector('[data-testid=send-quota]').then(() => undefined));
    await page.click('[data-testid=send-back]');
    await page.click('[data-testid=create-dialog] .actions button:not([type=submit])');
    expect(await service.listBatches()).toHaveLength(1);
  }, 180_000);

  it('Settings → Usage shows today and this month per vendor, masked account and operation', async () => {
    await page.click('[data-testid=open-settings]');
    const today = page.locator('[data-testid=usage-account][data-vendor=tencent] [data-testid=usage-today] tr[data-operation=QrcodeOCR]');
    await today.waitFor();
    expect(await today.getAttribute('data-calls')).toBe('2');
    expect(await today.getAttribute('data-billable')).toBe('2');
    expect(await page.textContent('[data-testid=usage-account][data-vendor=tencent] h4')).toContain(`AKID…${CREDS.tencent.secretId.slice(-4)}`);
    expect(await page.textContent('[data-testid=usage-panel]')).not.toContain(CREDS.tencent.secretId);
    await shotInEveryLook(page, SHOTS, 'usage-settings', async () => {
      await page.evaluate(`document.querySelector('[data-testid=usage-panel]').scrollIntoView({ block: 'end' })`);
    });
    expect(rendererErrors).toEqual([]);
  }, 120_000);
});
