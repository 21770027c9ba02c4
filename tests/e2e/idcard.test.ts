/**
 * Tencent ID cards in the real interface (headless Chromium, browser host, a real keychain, the
 * Tencent emulator that really finds the card and crops it): the new-batch dialog offers every
 * IDCardOCR output (crops, warnings, glare details, advanced checks, region) with the vendor's
 * rule enforced, and what was ticked is what the service receives. Screenshots of each changed
 * screen in both languages and themes: test-results/screenshots/idcard-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../electron/host';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { CredentialStore } from '../../electron/core/credentials/store';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore, vendorSettingsPath } from '../../electron/core/settings';
import { ensureRendererBuilt, ROOT } from '../../bench/ui/build-renderer';
import { launchChromium } from '../../bench/ui/chromium';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { CARD, CREDS, SAMPLES, cardPage } from '../integration/support/vendors';
import { shotInEveryLook } from './support/looks';

const SHOTS = join(ROOT, 'test-results', 'screenshots');
let keychain: PrivateKeychain;
let emu: TencentEmulator;
let dir: string;
let registry: EngineRegistry;
let service: ScanService;
let host: RunningHost;
let browser: Browser;
let page: Page;
const rendererErrors: string[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'scandesk-e2e-idcard-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
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
  const dbPath = join(dir, 'profile', 'scandesk.db');
  mkdirSync(join(dir, 'profile'));
  const settings = new VendorSettingsStore(vendorSettingsPath(dbPath), {});
  settings.update({ tencent: { endpoint: `http://127.0.0.1:${emu.port}` } });
  registry = createEngineRegistry({ settings, credentials: new CredentialStore() });
  await registry.setCredentials('tencent', CREDS.tencent);
  service = await openScanService({ dbPath, engines: registry.engines });
  host = await startHost({ dbPath, port: 0, service, vendors: { registry, settings } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page.on('pageerror', (e) => rendererErrors.push(e.message));
  await page.goto(host.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await service?.close();
  await registry?.close();
  await emu?.close();
  await keychain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

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
});
