/**
 * How every browser end-to-end spec starts: a host over a fresh profile in a fresh folder, a
 * Chromium page on it with uncaught errors (and CSP refusals) recorded, screenshots under
 * test-results/screenshots/; and how it ends: everything closed, last opened first, the folder
 * removed. A spec that fails half-way through start-up still closes what it had opened.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHost, type HostOptions, type RunningHost } from '../../../electron/host';
import { ensureRendererBuilt, ROOT } from '../../../bench/ui/build-renderer';
import { launchChromium } from '../../../bench/ui/chromium';

export const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** Registers something to close at the end (after the browser and the host, last first). */
export type Defer = (close: () => unknown) => void;

export interface BrowserOptions {
  /** The page's locale (default en-US). */
  locale?: string;
  /** The window (default 1280 × 800). */
  viewport?: { width: number; height: number };
  /** Chromium flags beyond launchChromium's own (a fake camera). */
  chromiumArgs?: readonly string[];
  /** Also record CSP refusals from the console as page errors (default true). */
  refusals?: boolean;
  /** Called with the new page before the app opens (e.g. to record WebSocket frames). */
  onPage?: (page: Page) => void;
  /** A selector the app shows once it is ready to use, waited for after opening it. */
  ready?: string;
}

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Uncaught errors in the page (and CSP refusals unless `refusals: false`), all run long. */
  pageErrors: string[];
  /** Screenshot of the window, test-results/screenshots/<name>.png. */
  shot(name: string): Promise<unknown>;
}

/**
 * Chromium on `url` (a host started some other way; its renderer built by ensureRendererBuilt).
 * The caller closes the browser; on a failure here it is closed before the error is thrown.
 */
export async function openBrowser(url: string, o: BrowserOptions = {}): Promise<BrowserSession> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await launchChromium(o.chromiumArgs);
  try {
    const page = await browser.newPage({ viewport: o.viewport ?? { width: 1280, height: 800 }, locale: o.locale ?? 'en-US' });
    // Patience for a loaded CI machine: every step still waits for state, never sleeps.
    page.setDefaultTimeout(60_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    if (o.refusals !== false) {
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
      });
    }
    o.onPage?.(page);
    await page.goto(url);
    if (o.ready) {
      await page.waitForSelector(o.ready).catch(async (e: Error) => {
        // What the page showed instead, for the log of a run that cannot be repeated.
        const content = (await page.content().catch(() => '')).slice(0, 2000);
        throw new Error(`${e.message}\npage errors: ${JSON.stringify(pageErrors)}\npage: ${content}`);
      });
    }
    return { browser, page, pageErrors, shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`) }) };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

export interface WorkstationOptions extends Omit<BrowserOptions, 'chromiumArgs'> {
  /** The profile's database file, inside the fresh folder (default profile.db). */
  db?: string;
  /** More for startHost (e.g. a quiet log); prepare's answer is added to it. */
  host?: Partial<HostOptions>;
  /** Chromium flags beyond launchChromium's own; a function gets the fresh folder. */
  chromiumArgs?: readonly string[] | ((dir: string) => readonly string[]);
  /**
   * Runs before the host starts, with the fresh folder and the database path: files to scan,
   * emulators, a keychain, a service the host should use. What it answers is passed on to
   * startHost; what it opens it hands to `defer`, to be closed at the end.
   */
  prepare?: (ctx: { dir: string; dbPath: string; defer: Defer }) => Promise<Partial<HostOptions> | void>;
  /** Runs once the host is up, before the browser opens it (e.g. batches the app shows at once). */
  seed?: (host: RunningHost, dir: string) => Promise<void>;
}

export interface Workstation extends BrowserSession {
  /** The fresh folder (removed by close()). */
  dir: string;
  host: RunningHost;
  close(): Promise<void>;
}

export async function openWorkstation(prefix: string, o: WorkstationOptions = {}): Promise<Workstation> {
  await ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), `scandesk-${prefix}-`));
  const closers: Array<() => unknown> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const dbPath = join(dir, o.db ?? 'profile.db');
    const extra = (await o.prepare?.({ dir, dbPath, defer: (c) => void closers.push(c) })) ?? {};
    const host = await startHost({ dbPath, port: 0, ...o.host, ...extra });
    closers.push(() => host.close());
    await o.seed?.(host, dir);
    const chromiumArgs = typeof o.chromiumArgs === 'function' ? o.chromiumArgs(dir) : o.chromiumArgs;
    const session = await openBrowser(host.url, { ...o, chromiumArgs });
    closers.push(() => session.browser.close());
    return { ...session, dir, host, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Scans `paths` with the local engine through the host's service and waits until the batch
 * settles; then shows it: the page reloads (the app reads the batch list as it opens), opens
 * the batch and waits for `ready` (its cards by default). Answers the batch's id.
 */
export async function scanAndShow(w: Workstation, paths: string[], name: string, ready = '[data-testid=card]'): Promise<number> {
  const { batch } = await w.host.service.createBatch({ paths, name, plan: { engine: 'local', task: 'codes' } });
  await w.host.service.whenSettled(batch.id);
  await w.page.reload();
  await w.page.click('[data-testid=batch-row]');
  await w.page.waitForSelector(ready);
  return batch.id;
}
