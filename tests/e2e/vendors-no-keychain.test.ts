/**
 * Without a keychain (no Secret Service on the session bus): the browser host runs as a real
 * child process whose D-Bus address leads nowhere. Settings says plainly that keys cannot be
 * stored and offers no key fields; the engine picker greys the vendors out; the local engine
 * still reads a real batch to the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureRendererBuilt, ROOT } from '../../bench/ui/build-renderer';
import { copySamples } from '../integration/support/vendors';
import { SHOTS, openBrowser } from './support/workstation';

let dir: string;
let child: ChildProcess | null = null;
let browser: Browser;
let page: Page;
let stderr = '';

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'scandesk-e2e-nokeychain-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home'), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, XDG_RUNTIME_DIR: join(dir, 'run') };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  mkdirSync(join(dir, 'home'));
  mkdirSync(join(dir, 'run'), { mode: 0o700 });
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/host/main.ts'), '--db', join(dir, 'profile', 'scandesk.db'), '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 60_000);
    child!.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ScanDesk is running at (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child!.on('exit', (code) => reject(new Error(`host exited ${code}: ${stderr}`)));
  });
  ({ browser, page } = await openBrowser(url, { refusals: false }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('no keychain', () => {
  it('Settings says so plainly and offers no key fields', async () => {
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=keychain-unavailable]');
    const text = await page.textContent('[data-testid=keychain-unavailable]');
    expect(text).toMatch(/system keychain is not available/);
    expect(text).toMatch(/Local decoding keeps working/);
    expect(await page.locator('[data-testid=keys-form]').count()).toBe(0);
    expect(await page.locator('[data-testid=vendor-status]', { hasText: 'Not configured' }).count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'vendors-20-no-keychain.png') });
    // The same screen in Chinese.
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await expect.poll(() => page.textContent('[data-testid=keychain-unavailable]')).toMatch(/^系统钥匙串不可用/);
    // Settings has several sections (hot folders come first): the vendors' heading is translated.
    expect(await page.locator('[data-testid=settings-view] h3', { hasText: /^云服务商$/ }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'vendors-21-no-keychain-zh.png') });
    await page.selectOption('[data-testid=language]', 'en');
    await page.click('[data-testid=settings-back]');
  });

  it('the picker greys the vendors out and the local engine reads a real batch', async () => {
    const folder = join(dir, 'scans');
    const expected = copySamples(folder, { 'qr.png': 'zxing/qrcode-2/10.png' });
    await page.click('[data-testid=new-batch]');
    await page.waitForSelector('[data-testid=create-dialog][open] [data-testid=engine-picker][data-ready=true]');
    const options = (await page.evaluate(
      `Array.from(document.querySelectorAll('[data-testid=engine] option')).map((o) => [o.value, o.disabled])`,
    )) as Array<[string, boolean]>;
    expect(options.filter(([, disabled]) => !disabled).map(([v]) => v)).toEqual(['local']);
    expect(options).toHaveLength(7);
    expect(await page.textContent('[data-testid=engine-hint]')).toContain('Set up in Settings');
    await page.fill('[data-testid=path-input]', folder);
    await page.click('[data-testid=path-add]');
    await page.click('[data-testid=start-batch]');
    await page.waitForSelector('[data-testid=batch-row][data-status=done]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=card][data-badge=codes]');
    await page.click('[data-testid=card]');
    await page.waitForSelector('[data-testid=review][data-ready=true]');
    expect(await page.textContent('[data-testid=detection-value]')).toBe(expected['qr.png']);
  }, 120_000);
});
