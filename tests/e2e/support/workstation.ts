/**
 * What the workstation specs share: a host over a fresh profile, a Chromium page on it with
 * uncaught errors and CSP refusals recorded, screenshots under test-results/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../../electron/host';
import { ensureRendererBuilt, ROOT } from '../../../bench/ui/build-renderer';
import { launchChromium } from '../../../bench/ui/chromium';

export const SHOTS = join(ROOT, 'test-results', 'screenshots');

export interface Workstation {
  dir: string;
  host: RunningHost;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function openWorkstation(prefix: string, locale = 'en-US'): Promise<Workstation> {
  await ensureRendererBuilt();
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `scandesk-${prefix}-`));
  const host = await startHost({ dbPath: join(dir, 'profile.db'), port: 0 });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale });
  // Patience for a loaded CI machine: every step still waits for state, never sleeps.
  page.setDefaultTimeout(60_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
  });
  await page.goto(host.url);
  return {
    dir,
    host,
    browser,
    page,
    pageErrors,
    shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`) }),
    async close() {
      await browser.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
