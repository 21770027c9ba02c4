/**
 * Settings → Cloud vendors → Network, end to end: a real Chromium against the browser host, a
 * real Secret Service, the WeChat emulator and a real CONNECT proxy that asks for a sign-in.
 * The user sets the proxy, sees the connection test refused by the proxy (407, said plainly),
 * saves the proxy's sign-in (to the keychain) and the test passes through the proxy. The
 * password never comes back: not in a WebSocket frame, the DOM, or a file of the profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findSecrets } from '../integration/support/find-secrets';
import { CREDS, startEmulators, type Emulators } from '../integration/support/vendors';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { shotInEveryLook } from './support/looks';
import { useKeychain } from './support/vendor-host';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';

const PROXY_PASSWORD = 'proxyPassE2Ecanary77';
const SECRETS = { proxyPassword: PROXY_PASSWORD, 'wechat.appSecret': CREDS.wechat.appSecret };

let emu: Emulators;
let proxy: ConnectProxy;
let w: Workstation;
let dir: string;
let page: Page;
const frames: string[] = [];
let rendererErrors: string[];

beforeAll(async () => {
  w = await openWorkstation('e2e-proxy', {
    db: join('profile', 'scandesk.db'),
    async prepare({ defer }) {
      await useKeychain(defer);
      emu = await startEmulators();
      defer(() => emu.close());
      proxy = await startConnectProxy({ user: 'scan.desk', password: PROXY_PASSWORD });
      defer(() => proxy.close());
    },
    viewport: { width: 1280, height: 900 },
    refusals: false,
    onPage: (p) =>
      p.on('websocket', (ws) => {
        ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1')));
      }),
  });
  ({ dir, page, pageErrors: rendererErrors } = w);
}, 120_000);

afterAll(() => w?.close());

const wechat = '[data-testid=vendor-wechat]';
const network = '[data-testid=network-options]';

function settingsFile(): string {
  const f = join(dir, 'profile', 'vendor-settings.json');
  return existsSync(f) ? readFileSync(f, 'utf8') : '{}';
}

async function testWeChat(): Promise<{ ok: string | null; text: string | null }> {
  await page.click(`${wechat} [data-testid=vendor-test]`);
  await page.waitForSelector(`${wechat} [data-testid=vendor-test]:not([disabled])`);
  await page.waitForSelector(`${wechat} [data-testid=vendor-test-result]`);
  return {
    ok: await page.getAttribute(`${wechat} [data-testid=vendor-test-result]`, 'data-ok'),
    text: await page.textContent(`${wechat} [data-testid=vendor-test-result]`),
  };
}

describe('a proxy that asks for a sign-in, set up in Settings', () => {
  it('proxy address to the settings file, its sign-in to the keychain; WeChat goes through it', async () => {
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector(network);
    expect(await page.inputValue(`${network} [data-testid=proxy-mode]`)).toBe('system');

    // WeChat at the emulator, with its keys.
    await page.click(`${wechat} [data-testid=vendor-options] summary`);
    await page.fill(`${wechat} [data-testid=opt-baseUrl]`, emu.env.SCANDESK_WECHAT_BASE_URL!);
    await page.click(`${wechat} [data-testid=opt-save]`);
    await expect.poll(() => settingsFile()).toContain(emu.env.SCANDESK_WECHAT_BASE_URL!);
    await page.fill(`${wechat} [data-testid=key-appId]`, CREDS.wechat.appId);
    await page.fill(`${wechat} [data-testid=key-appSecret]`, CREDS.wechat.appSecret);
    await page.click(`${wechat} [data-testid=keys-save]`);
    await page.waitForSelector(`${wechat}[data-configured=true]`);

    // This proxy: saved to the file (no password there), and the proxy refuses without a sign-in.
    await page.selectOption(`${network} [data-testid=proxy-mode]`, 'manual');
    await page.fill(`${network} [data-testid=proxy-url]`, proxy.url);
    await page.click(`${network} [data-testid=proxy-save]`);
    await expect.poll(() => (JSON.parse(settingsFile()) as { network?: { proxy?: string } }).network?.proxy).toBe(proxy.url);
    expect(await page.textContent(`${network} [data-testid=proxy-signin-status]`)).toMatch(/No proxy sign-in saved/);
    const refused = await testWeChat();
    expect(refused.ok).toBe('false');
    expect(refused.text).toMatch(/the proxy refused the connection \(HTTP 407, proxy authentication required\)/);
    expect(proxy.refused.length).toBeGreaterThan(0);
    expect(proxy.tunnels).toEqual([]);

    // The sign-in: password input, cleared after saving; the status names the proxy only.
    expect(await page.getAttribute(`${network} [data-testid=proxy-password]`, 'type')).toBe('password');
    await page.fill(`${network} [data-testid=proxy-user]`, 'scan.desk');
    await page.fill(`${network} [data-testid=proxy-password]`, PROXY_PASSWORD);
    await page.click(`${network} [data-testid=proxy-signin-save]`);
    await expect.poll(() => page.textContent(`${network} [data-testid=proxy-signin-status]`)).toBe(`A sign-in for ${proxy.url} is saved in the keychain.`);
    expect(await page.inputValue(`${network} [data-testid=proxy-password]`)).toBe('');

    const through = await testWeChat();
    expect(through).toMatchObject({ ok: 'true' });
    expect(proxy.tunnels.map((t) => t.target)).toContain(`127.0.0.1:${new URL(emu.wechat.url).port}`);
    expect(emu.wechat.stats.stableTokenRequests).toBeGreaterThan(0);

    await page.locator(network).scrollIntoViewIfNeeded();
    const shots = await shotInEveryLook(page, SHOTS, 'settings-network-proxy', () => page.waitForSelector(`${network} [data-testid=proxy-signin-status]`).then(() => undefined));
    expect(shots).toHaveLength(4);

    // The password went renderer -> host -> keychain and nowhere else.
    const dom = `${await page.content()}\n${(await page.evaluate('document.body.innerText')) as string}`;
    expect(findSecrets({ secrets: SECRETS, dirs: [dir], texts: { frames: frames.join('\n'), dom } })).toEqual([]);
    expect(rendererErrors).toEqual([]);
  });
});
