/**
 * Issue 12's trust boundary as a user meets it, in headless Chromium against the browser host
 * with a real Secret Service and the vendor emulators: the settings screen asks for a vendor's
 * keys again when its endpoint moves (and nothing reaches the new endpoint before that).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findSecrets } from '../integration/support/find-secrets';
import { CREDS, startEmulators, type Emulators } from '../integration/support/vendors';
import { useKeychain } from './support/vendor-host';
import { openWorkstation, type Workstation } from './support/workstation';

let emu: Emulators;
let w: Workstation;
let dir: string;
let page: Page;
let elsewhere: string;
const received: string[] = [];
const frames: string[] = [];

const shot = (name: string) => w.shot(name);
const card = (vendor: string) => `[data-testid=vendor-${vendor}]`;

beforeAll(async () => {
  w = await openWorkstation('e2e-security', {
    db: join('profile', 'scandesk.db'),
    async prepare({ defer }) {
      await useKeychain(defer);
      emu = await startEmulators();
      defer(() => emu.close());
      // "Another server on this machine": records the first line of every request it gets.
      const recorder = createServer((req, res) => {
        received.push(`${req.method} ${req.url}`);
        req.resume();
        res.writeHead(404).end();
      });
      await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
      defer(() => new Promise<void>((r) => recorder.close(() => r())));
      elsewhere = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    },
    viewport: { width: 1280, height: 860 },
    refusals: false,
    onPage: (p) => p.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1')))),
  });
  ({ dir, page } = w);
}, 120_000);

afterAll(() => w?.close());

async function saveEndpoint(vendor: string, url: string): Promise<void> {
  const open = await page.getAttribute(`${card(vendor)} [data-testid=vendor-options]`, 'open');
  if (open === null) await page.click(`${card(vendor)} [data-testid=vendor-options] summary`);
  // The settings screen names each field by its settings key (WeChat's endpoint is baseUrl).
  await page.fill(`${card(vendor)} [data-testid=opt-${vendor === 'wechat' ? 'baseUrl' : 'endpoint'}]`, url);
  await page.click(`${card(vendor)} [data-testid=opt-save]`);
}

function vendorSettingsFile(): { wechat?: { baseUrl?: string } } {
  try {
    return JSON.parse(readFileSync(join(dir, 'profile', 'vendor-settings.json'), 'utf8')) as { wechat?: { baseUrl?: string } };
  } catch {
    return {};
  }
}

describe('Settings: a vendor\'s keys follow its endpoint', () => {
  it('moving WeChat elsewhere asks for the AppSecret again and sends nothing there until it is typed', async () => {
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector(`${card('wechat')}[data-configured=false]`);
    await saveEndpoint('wechat', emu.env.SCANDESK_WECHAT_BASE_URL!);
    await expect.poll(() => vendorSettingsFile().wechat?.baseUrl).toBe(emu.env.SCANDESK_WECHAT_BASE_URL);
    for (const [field, value] of Object.entries(CREDS.wechat)) await page.fill(`${card('wechat')} [data-testid=key-${field}]`, value);
    await page.click(`${card('wechat')} [data-testid=keys-save]`);
    await page.waitForSelector(`${card('wechat')} [data-testid=keys-form]`, { state: 'detached' });

    await saveEndpoint('wechat', elsewhere);
    await expect.poll(() => vendorSettingsFile().wechat?.baseUrl).toBe(elsewhere);
    await page.waitForSelector(`${card('wechat')} [data-testid=keys-endpoint-moved]`);
    expect(await page.textContent(`${card('wechat')} [data-testid=keys-endpoint-moved]`)).toContain(`saved for ${new URL(emu.env.SCANDESK_WECHAT_BASE_URL!).origin}`);
    await shot('security-01-endpoint-moved-en-light');
    await page.click(`${card('wechat')} [data-testid=vendor-test]`);
    await page.waitForSelector(`${card('wechat')} [data-testid=vendor-test-result][data-ok=false]`);
    expect(await page.textContent(`${card('wechat')} [data-testid=vendor-test-result]`)).toMatch(/Enter the keys again/);
    expect(received).toEqual([]);

    await page.selectOption('[data-testid=language]', 'zh-CN');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForSelector(`${card('wechat')} [data-testid=keys-endpoint-moved]`);
    expect(await page.textContent(`${card('wechat')} [data-testid=keys-endpoint-moved]`)).toContain('重新输入');
    await shot('security-02-endpoint-moved-zh-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('[data-testid=language]', 'en');

    // Typed again for the new endpoint: the note goes, and the keys go there now.
    for (const [field, value] of Object.entries(CREDS.wechat)) await page.fill(`${card('wechat')} [data-testid=key-${field}]`, value);
    await page.click(`${card('wechat')} [data-testid=keys-save]`);
    await page.waitForSelector(`${card('wechat')} [data-testid=keys-form]`, { state: 'detached' });
    expect(await page.locator(`${card('wechat')} [data-testid=keys-endpoint-moved]`).count()).toBe(0);
  }, 120_000);

  it('plain http to another machine is refused with the reason, and the file keeps the old endpoint', async () => {
    await saveEndpoint('wechat', 'http://192.168.1.20:8080');
    await page.waitForSelector('[data-testid=toast-error]');
    expect(await page.textContent('[data-testid=toast-error]')).toMatch(/wechat\.baseUrl: must be an https:\/\/ URL/);
    expect(vendorSettingsFile().wechat?.baseUrl).toBe(elsewhere);
  });

  it('no key reached the page', () => {
    expect(findSecrets({ secrets: { wechat: CREDS.wechat.appSecret }, texts: { frames: frames.join('\n') } })).toEqual([]);
  });
});
