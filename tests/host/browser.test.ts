import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/host';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';

/**
 * The host's defences as a real browser meets them (headless Chromium): the tokened address
 * becomes a cookie and disappears from the address bar; the real ws-bridge connects under the
 * served CSP; inline scripts are blocked by that CSP; and a page from another origin on the same
 * machine can neither open the WebSocket nor read the app.
 */
const repo = resolve(import.meta.dirname, '../..');
let dir: string;
let service: ScanService;
let host: RunningHost;
let browser: Browser;
let evil: Server;
let evilPort = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-hostbrowser-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  // A minimal page around the real bridge module.
  writeFileSync(
    join(dir, 'entry.ts'),
    `import { installWsBridge } from ${JSON.stringify(join(repo, 'renderer/src/bridge/ws-bridge.ts'))};
     const api = installWsBridge();
     (window as unknown as { results: unknown }).results = Promise.all([
       api.invoke('app.info', {}), api.invoke('batches.list', {}), api.invoke('items.get', { itemId: -1 }),
     ]);`,
  );
  await build({ entryPoints: [join(dir, 'entry.ts')], bundle: true, format: 'esm', outfile: join(rendererDir, 'assets/app.js'), logLevel: 'silent' });
  writeFileSync(
    join(rendererDir, 'index.html'),
    `<!doctype html><title>bridge</title><script>window.inlineRan = true</script><script type="module" src="/assets/app.js"></script>`,
  );
  service = await openScanService({ dbPath: join(dir, 'b.db'), engines: [] });
  host = await startHost({ dbPath: join(dir, 'b.db'), service, rendererDir });

  // Another local "web site" that tries to reach the host from the user's browser.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilPort = (evil.address() as AddressInfo).port;

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await service?.close();
  evil?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the host in a real browser', () => {
  it('turns the tokened URL into a cookie, drops the token, and the bridge talks to the service', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    expect(page.url()).toBe(`${host.origin}/`);
    const results = (await page.evaluate(() => (globalThis as unknown as { results: Promise<unknown> }).results)) as Array<{ ok: boolean; value?: unknown; error?: { code: string } }>;
    expect(results[0]).toMatchObject({ ok: true, value: { transport: 'browser' } });
    expect(results[1]).toEqual({ ok: true, value: [] });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // The served CSP blocks inline scripts.
    expect(await page.evaluate(() => (globalThis as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === `scandesk_${host.port}`);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session!.value).not.toBe(host.token); // a separate random value, not the address token
    await context.close();
  });

  it('the printed address works once: a second browser gets the refusal, the first one keeps its session', async () => {
    const other = await browser.newContext();
    const res = await (await other.newPage()).goto(host.url);
    expect(res?.status()).toBe(401);
    expect(await res?.text()).toMatch(/already been used/);
    await other.close();
  });

  it('without the token the page is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${host.origin}/`);
    expect(res?.status()).toBe(401);
    await context.close();
  });

  it('a page from another origin cannot open the WebSocket or read the app, even when the user holds the cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.newUrl()); // the user has the app open: the session cookie exists in this browser
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    const outcome = await page.evaluate(async (port) => {
      const ws = await new Promise<string>((resolveWs) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        socket.onopen = () => resolveWs('open');
        socket.onerror = () => resolveWs('error');
      });
      let read: string;
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`, { credentials: 'include' });
        read = `status ${r.status}`;
      } catch {
        read = 'blocked';
      }
      return { ws, read };
    }, host.port);
    expect(outcome.ws).toBe('error');
    expect(outcome.read).toBe('blocked'); // no CORS headers: the response is never readable
    await context.close();
  });
});
