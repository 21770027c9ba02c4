/**
 * The export dialog in the browser host, end to end in a real Chromium against the real host
 * and engine (issue 9's export items, issue 12 "Exports go where the user chose"): it proposes a
 * visible folder (Documents), then the one used last; a missing folder is refused and not
 * created; the file is ScanDesk's new file in the folder (never over an existing one); "Open
 * folder" opens it; a download is sent once; XLSX, CSV and JSON count the same pages and codes.
 * Screenshots of the dialog in English and Chinese, light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { SAMPLES as SAMPLES_ROOT } from '../fixtures/samples';
import { openWorkstation, scanAndShow, type Workstation } from './support/workstation';
import { exportToFolder } from './support/export';

const SAMPLES = join(SAMPLES_ROOT, 'zxing');
const IMAGES = ['qrcode-2/1.png', 'qrcode-2/10.png', 'ean13-1/1.png', 'datamatrix-1/C40.png'];

let w: Workstation;
let base: string;
let home: string;
let opened: string;
const saved = { HOME: process.env.HOME, PATH: process.env.PATH };

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });

beforeAll(async () => {
  // A home with a Documents folder (the visible default) and a file manager that notes what it
  // was asked to open. The host reads both when it starts.
  base = mkdtempSync(join(tmpdir(), 'scandesk-e2e-export-home-'));
  home = join(base, 'home');
  mkdirSync(join(home, 'Documents'), { recursive: true });
  const bin = join(base, 'bin');
  mkdirSync(bin, { recursive: true });
  opened = join(base, 'opened.txt');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" >> "${opened}"\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  process.env.HOME = home;
  process.env.PATH = `${bin}${delimiter}${process.env.PATH}`;

  w = await openWorkstation('e2e-export');
  const scans = join(w.dir, 'scans');
  mkdirSync(scans);
  for (const p of IMAGES) copyFileSync(join(SAMPLES, p), join(scans, p.replace('/', '_')));
  await scanAndShow(w, [scans], '三月发票 March invoices', '[data-testid=export-open]');
}, 180_000);

afterAll(async () => {
  await w?.close();
  process.env.HOME = saved.HOME;
  process.env.PATH = saved.PATH;
  if (base) rmSync(base, { recursive: true, force: true });
});

async function openDialog(): Promise<void> {
  await w.page.click('[data-testid=export-open]');
  await w.page.waitForSelector('[data-testid=export-dialog][open] [data-testid=export-destination]');
}

describe('the export dialog in the browser host', { timeout: 180_000 }, () => {
  it('proposes Documents, refuses a missing folder without creating it', async () => {
    const { page } = w;
    await openDialog();
    // A browser's own way first: a download; the folder field proposes Documents, not a hidden profile folder.
    expect(await page.isChecked('[data-testid=dest-download]')).toBe(true);
    expect(await page.inputValue('[data-testid=export-folder]')).toBe(join(home, 'Documents'));
    await w.shot('export-dialog-en-light');

    const missing = join(w.dir, 'nonexistent', 'exports');
    await page.check('[data-testid=dest-folder]');
    await page.fill('[data-testid=export-folder]', missing);
    await page.click('[data-testid=export-run]');
    await poll(() => page.locator('[data-testid=export-note]').count()).toBe(1);
    expect(await page.textContent('[data-testid=export-note]')).toContain('does not exist');
    expect(existsSync(dirname(missing))).toBe(false);
    await w.shot('export-missing-folder-en-light');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=export-dialog]', { state: 'detached' });
  });

  it('writes a new file in the folder, counts alike in every format, opens the folder, remembers it', async () => {
    const { page } = w;
    const folder = join(w.dir, 'Exports 导出');
    mkdirSync(folder);
    const outs = [];
    for (const format of ['xlsx', 'csv', 'json'] as const) outs.push(await exportToFolder(page, { format, folder }));
    for (const o of outs) expect(dirname(o.path)).toBe(folder);
    expect(new Set(outs.map((o) => `${o.pages}/${o.codes}`)).size).toBe(1);
    expect(outs[0]!.pages).toBe(IMAGES.length);
    expect(outs[0]!.codes).toBeGreaterThanOrEqual(IMAGES.length);
    const json = JSON.parse(readFileSync(outs[2]!.path, 'utf8')) as { items: { detections: unknown[] }[] };
    expect(json.items).toHaveLength(outs[2]!.pages);
    expect(json.items.flatMap((i) => i.detections)).toHaveLength(outs[2]!.codes);

    // The same name again: a second file beside the first, the first untouched.
    const before = readFileSync(outs[1]!.path);
    const again = await exportToFolder(page, { format: 'csv', folder });
    expect(again.path).not.toBe(outs[1]!.path);
    expect(readFileSync(outs[1]!.path).equals(before)).toBe(true);
    expect(readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([]);

    // The result panel, and "Open folder".
    await openDialog();
    expect(await page.inputValue('[data-testid=export-folder]')).toBe(folder); // remembered
    await page.check('[data-testid=dest-folder]');
    await page.check('[data-testid=format-csv]');
    await page.click('[data-testid=export-run]');
    await page.waitForSelector('[data-testid=export-result]');
    expect(await page.textContent('[data-testid=export-result] [role=status]')).toContain(`${outs[0]!.pages} pages`);
    await w.shot('export-done-en-light');
    await page.click('[data-testid=export-reveal]');
    await poll(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : '')).toContain(folder);
    await page.click('[data-testid=export-close]');
  });

  it('sends a download once', async () => {
    const { page } = w;
    await openDialog();
    await page.check('[data-testid=format-json]');
    expect(await page.isChecked('[data-testid=dest-download]')).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-run]')]);
    const saved = join(w.dir, 'downloaded.json');
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/March invoices-\d+-\d{8}-\d{6}\.json$/);
    const result = page.locator('[data-testid=export-result]');
    await result.waitFor();
    const doc = JSON.parse(readFileSync(saved, 'utf8')) as { items: unknown[] };
    expect(doc.items).toHaveLength(Number(await result.getAttribute('data-pages')));
    // Fetched once: the same address answers 404 now.
    const again = await page.evaluate(async (u) => (await fetch(u)).status, new URL(download.url()).pathname);
    expect(again).toBe(404);
    await page.click('[data-testid=export-close]');
  });

  it('reads in Chinese and in the dark theme', async () => {
    const { page } = w;
    for (const [lang, scheme] of [
      ['zh-CN', 'light'],
      ['zh-CN', 'dark'],
      ['en', 'dark'],
    ] as const) {
      await page.selectOption('[data-testid=language]', lang);
      await page.emulateMedia({ colorScheme: scheme });
      await openDialog();
      await page.check('[data-testid=dest-folder]');
      if (lang === 'zh-CN') expect(await page.textContent('[data-testid=export-destination]')).toContain('文件夹');
      await w.shot(`export-dialog-${lang}-${scheme}`);
      await page.click('[data-testid=export-run]');
      await page.waitForSelector('[data-testid=export-result]');
      if (lang === 'zh-CN') expect(await page.textContent('[data-testid=export-result] [role=status]')).toContain('已保存');
      await w.shot(`export-done-${lang}-${scheme}`);
      await page.click('[data-testid=export-close]');
      await page.waitForSelector('[data-testid=export-dialog]', { state: 'detached' });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('[data-testid=language]', 'en');
  });
});
