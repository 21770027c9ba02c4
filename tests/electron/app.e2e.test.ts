import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedElectronBinary } from '../../scripts/electron-binary.mjs';
import { SAMPLES } from '../fixtures/samples';

/**
 * The desktop app end to end, through Playwright's Electron driver: real main process, real
 * sandboxed preload, real renderer build, real engine on a temporary profile. Runs wherever the
 * Electron binary is installed (`npm run electron:fetch`); elsewhere every test is reported as
 * skipped with the reason below.
 */
const repo = resolve(import.meta.dirname, '../..');

function findElectron(): { path: string | null; reason: string } {
  const path = installedElectronBinary(repo);
  if (path) return { path, reason: '' };
  return { path: null, reason: 'the Electron binary is not installed; `npm run electron:fetch` downloads it where the network allows' };
}

const found = findElectron();
const hasElectron = found.path !== null;
const skipNote = hasElectron ? '' : ` [skipped: ${found.reason}]`;

const sample = join(SAMPLES, 'zxing/qrcode-2', '1.png');
const sampleText = existsSync(sample.replace(/\.png$/, '.txt')) ? readFileSync(sample.replace(/\.png$/, '.txt'), 'utf8') : '';

describe(`ScanDesk desktop app${skipNote}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    if (!hasElectron) return;
    if (!existsSync(join(repo, 'out/main/index.js')) || !existsSync(join(repo, 'out/renderer/index.html'))) {
      execFileSync(process.execPath, [join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repo, stdio: 'inherit' });
    }
    profile = mkdtempSync(join(tmpdir(), 'scandesk-e2e-'));
    app = await electron.launch({
      executablePath: found.path as string,
      // The app folder (package.json main = out/main/index.js), so name and version are the app's.
      args: [repo],
      cwd: repo,
      env: { ...process.env, SCANDESK_USER_DATA: profile, ELECTRON_RENDERER_URL: '' },
    });
    page = await app.firstWindow();
    await page.waitForFunction(() => typeof (globalThis as unknown as { scandesk?: unknown }).scandesk === 'object');
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it.skipIf(!hasElectron)('loads the app from scandesk://app with no Node in the page and only window.scandesk exposed', async () => {
    expect(page.url()).toBe('scandesk://app/index.html');
    const facts = await page.evaluate(() => ({
      require: typeof (globalThis as unknown as { require?: unknown }).require,
      process: typeof (globalThis as unknown as { process?: unknown }).process,
      keys: Object.keys((globalThis as unknown as { scandesk: object }).scandesk).sort(),
    }));
    expect(facts).toEqual({ require: 'undefined', process: 'undefined', keys: ['cropUrl', 'getPathForFile', 'invoke', 'mediaUrl', 'on', 'transport'] });
  });

  it.skipIf(!hasElectron)('answers app.info over IPC and rejects malformed input', async () => {
    const info = await page.evaluate(() => (globalThis as unknown as { scandesk: { invoke(n: string, i: unknown): Promise<unknown> } }).scandesk.invoke('app.info', {}));
    expect(info).toMatchObject({ ok: true, value: { transport: 'electron', capabilities: { nativeDialogs: true } } });
    const bad = await page.evaluate(() =>
      (globalThis as unknown as { scandesk: { invoke(n: string, i: unknown): Promise<unknown> } }).scandesk.invoke('batches.get', { batchId: -1 }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it.skipIf(!hasElectron)('scans a real QR image end to end, serves its preview and exports it', async () => {
    // The native save dialog answers the profile's out.csv (the main process keeps the path;
    // the renderer gets a one-time handle for it).
    await app.evaluate(({ dialog }, chosen) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: chosen })) as typeof dialog.showSaveDialog;
    }, join(profile, 'out.csv'));
    type Api = { invoke(n: string, i: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }>; mediaUrl(k: string, id: number): string };
    const outcome = await page.evaluate(
      async ({ path, exportPath }) => {
        const api = (globalThis as unknown as { scandesk: Api }).scandesk;
        const created = await api.invoke('batches.create', { paths: [path], plan: { engine: 'local', task: 'codes' } });
        if (!created.ok) return { error: created.error };
        const batchId = (created.value as { batch: { id: number } }).batch.id;
        for (let i = 0; i < 300; i++) {
          const b = await api.invoke('batches.get', { batchId });
          if (b.ok && ['done', 'cancelled'].includes((b.value as { status: string }).status)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const items = await api.invoke('items.list', { batchId });
        const item = (items.value as unknown as { items: Array<{ id: number }> }).items[0];
        if (!item) return { error: 'no item' };
        const detail = await api.invoke('items.get', { itemId: item.id });
        type Img = { src: string; naturalWidth: number; decode(): Promise<void> };
        const img = new (globalThis as unknown as { Image: new () => Img }).Image();
        img.src = api.mediaUrl('thumb', item.id);
        await img.decode();
        const chosen = (await api.invoke('dialogs.saveExport', { batchId, format: 'csv' })).value as { status: string; handle: string };
        const to = { kind: 'dialog', handle: chosen.handle };
        const exported = await api.invoke('export.run', { batchId, format: 'csv', to });
        const again = await api.invoke('export.run', { batchId, format: 'csv', to }); // a handle is spent once
        const named = await api.invoke('export.run', { batchId, format: 'csv', path: exportPath }); // no renderer paths
        return { detail: detail.value, thumbWidth: img.naturalWidth, exported: exported.value, again: again.ok, named: named.ok };
      },
      { path: sample, exportPath: join(profile, 'out.csv') },
    );
    expect(outcome).not.toHaveProperty('error');
    const detections = (outcome as { detail: { detections: Array<{ text: string }> } }).detail.detections;
    expect(detections.map((d) => d.text)).toContain(sampleText);
    expect((outcome as { thumbWidth: number }).thumbWidth).toBeGreaterThan(0);
    // CSV doubles quotes, so compare a quote-free stretch of the payload.
    const snippet = sampleText.split('"').sort((a, b) => b.length - a.length)[0]?.slice(0, 80) ?? '';
    expect(readFileSync(join(profile, 'out.csv'), 'utf8')).toContain(snippet);
    expect(outcome).toMatchObject({ exported: { path: join(profile, 'out.csv') }, again: false, named: false });
  });

  it.skipIf(!hasElectron)('refuses to navigate away or open windows', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('scandesk://app/index.html');
    const opened = await page.evaluate(() => (globalThis as unknown as { open(u: string): unknown }).open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });
});
