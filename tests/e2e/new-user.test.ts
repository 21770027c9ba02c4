/**
 * What a new user hit in the browser host (issue 9), each fixed and driven end to end in a
 * real Chromium against the real host and engine: a mistyped path is caught in the dialog
 * before a batch exists; a batch whose pages all failed says "Failed" and one with some
 * failures "Done with errors"; files that are not images are left out of the pages and said
 * once, with their list; dropped and picked files are sent to the host; typed folders complete;
 * "Run again with..." with nothing to do says why; long values stay inside the panel; zh-CN
 * shows engine errors in Chinese (by their code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { createRequire } from 'node:module';
import { SAMPLES as SAMPLES_ROOT } from '../fixtures/samples';
import { openWorkstation, type Workstation } from './support/workstation';

const SAMPLES = join(SAMPLES_ROOT, 'zxing');
const IMAGES = ['qrcode-3/01.png', 'ean13-1/1.png', 'datamatrix-1/C40.png'];
const OTHERS = ['notes.txt', 'invoice.docx', 'data.csv', 'readme.md'];

let w: Workstation;
let mixed: string;
let broken: string;
let partly: string;

/** A PNG cut short: intake takes it by its signature, decoding it fails. */
const brokenPng = () => readFileSync(join(SAMPLES, 'ean13-1/1.png')).subarray(0, 600);

beforeAll(async () => {
  w = await openWorkstation('e2e-new-user');
  mixed = join(w.dir, 'Mixed folder');
  mkdirSync(mixed);
  for (const p of IMAGES) copyFileSync(join(SAMPLES, p), join(mixed, p.replace('/', '_')));
  for (const o of OTHERS) writeFileSync(join(mixed, o), `not an image: ${o}\n`);
  broken = join(w.dir, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'a.png'), brokenPng());
  writeFileSync(join(broken, 'b.png'), brokenPng());
  partly = join(w.dir, 'partly');
  mkdirSync(partly);
  copyFileSync(join(SAMPLES, IMAGES[0]!), join(partly, 'good.png'));
  writeFileSync(join(partly, 'bad.png'), brokenPng());
}, 120_000);

afterAll(async () => {
  await w?.close();
});

async function newBatch(paths: string[], name: string): Promise<void> {
  const { page } = w;
  await page.click('[data-testid=new-batch]');
  await page.waitForSelector('[data-testid=create-dialog][open]');
  for (const p of paths) {
    await page.fill('[data-testid=path-input]', p);
    await page.keyboard.press('Enter');
  }
  await page.fill('[data-testid=batch-name]', name);
  await poll(() => page.locator('[data-testid=path-row][data-state=checking]').count()).toBe(0);
}

/** Waits (never sleeps) for a UI state, with patience for a loaded machine. */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 30_000, ...opts });

const batchNamed = async (name: string) => (await w.host.service.listBatches()).find((b) => b.name === name);

describe('a new user in the browser host', { timeout: 180_000 }, () => {
  it('marks a mistyped path in the dialog and never makes a batch of it', async () => {
    const { page } = w;
    await page.waitForSelector('[data-testid=new-batch]');
    const typo = join(w.dir, 'Mixed foldr');
    await newBatch([typo], 'Typo');
    const row = page.locator('[data-testid=path-row]', { hasText: typo });
    await poll(() => row.getAttribute('data-state')).toBe('error');
    expect(await row.locator('[data-testid=path-check]').textContent()).toContain('no such file or folder');
    await w.shot('20-new-batch-typo');
    await page.click('[data-testid=start-batch]');
    await page.waitForSelector('[data-testid=create-blocked]');
    expect(await page.getAttribute('[data-testid=start-batch]', 'data-blocked')).toBe('fix');
    expect(await w.host.service.listBatches()).toHaveLength(0);

    // Corrected: the folder says what it holds, and the batch starts.
    await row.getByRole('button').click();
    await page.fill('[data-testid=path-input]', mixed);
    await page.keyboard.press('Enter');
    const good = page.locator('[data-testid=path-row]', { hasText: mixed });
    await poll(() => good.getAttribute('data-state')).toBe('ok');
    expect(await good.locator('[data-testid=path-check]').textContent()).toBe(`Folder · ${IMAGES.length} images, ${OTHERS.length} other files ignored`);
    await w.shot('21-new-batch-checked');
    await page.click('[data-testid=start-batch]');
    await page.waitForSelector('[data-testid=batch-row][data-status=done]', { timeout: 120_000 });
    expect(await w.host.service.listBatches()).toHaveLength(1);
  });

  it('leaves files that are not images out of the pages, says so once, and lists them a click away', async () => {
    const { page } = w;
    const b = (await batchNamed('Typo'))!;
    expect(b.counts.total).toBe(IMAGES.length);
    expect(b.counts.skipped).toBe(OTHERS.length);
    await poll(() => page.textContent('[data-testid=grid-count]')).toBe(`${IMAGES.length} pages`);
    await poll(() => page.locator('[data-testid=card]').count()).toBe(IMAGES.length);
    expect(await page.locator('[data-badge=skipped]').count()).toBe(0);
    expect(await page.locator('[data-testid=batch-ignored]').count()).toBe(1);
    expect(await page.textContent('[data-testid=batch-ignored]')).toContain(`${OTHERS.length} non-image files ignored`);
    expect(await page.textContent('[data-testid=batch-row]')).toContain(`${IMAGES.length} pages`);
    await page.click('[data-testid=ignored-show]');
    await page.waitForSelector('[data-testid=ignored-dialog][open]');
    await poll(() => page.locator('[data-testid=ignored-file]').count()).toBe(OTHERS.length);
    const listed = await page.locator('[data-testid=ignored-file] .mono').allTextContents();
    expect(listed.map((p) => p.split('/').pop()).sort()).toEqual([...OTHERS].sort());
    await w.shot('22-ignored-files');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=ignored-dialog]', { state: 'detached' });
    // The export still lists them among its pages, each with its status and reason.
    const out = join(w.dir, 'typo.json');
    await w.host.service.exportBatch({ batchId: b.id, format: 'json', path: out });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { items: Array<{ path: string; status: string }> };
    expect(doc.items.filter((i) => i.status === 'skipped').map((i) => i.path.split('/').pop()).sort()).toEqual([...OTHERS].sort());
  });

  it('says "Failed" for a batch whose every page failed and "Done with errors" for one with some', async () => {
    const { page } = w;
    await newBatch([broken], 'All broken');
    await page.click('[data-testid=start-batch]');
    const failed = '[data-testid=batch-row][data-outcome=failed]';
    await page.waitForSelector(failed, { timeout: 120_000 });
    expect(await page.textContent(`${failed} [data-testid=batch-row-status]`)).toBe('Failed');
    await poll(() => page.textContent('[data-testid=batch-status]')).toBe('Failed');
    expect((await batchNamed('All broken'))!.counts).toMatchObject({ total: 2, failed: 2, done: 0 });
    await w.shot('23-batch-failed');

    await newBatch([partly], 'Partly broken');
    await page.click('[data-testid=start-batch]');
    const some = '[data-testid=batch-row][data-outcome=done-with-errors]';
    await page.waitForSelector(some, { timeout: 120_000 });
    expect(await page.textContent(`${some} [data-testid=batch-row-status]`)).toBe('Done with errors');
    expect((await batchNamed('Partly broken'))!.counts).toMatchObject({ total: 2, failed: 1, done: 1 });
    // The clean batch is still plainly done.
    expect(await page.textContent('[data-testid=batch-row][data-outcome=done] [data-testid=batch-row-status]')).toBe('Done');
  });

  it('completes a typed folder path from what is on disk', async () => {
    const { page } = w;
    await page.click('[data-testid=new-batch]');
    await page.waitForSelector('[data-testid=create-dialog][open]');
    await page.fill('[data-testid=path-input]', join(w.dir, 'Mix'));
    await expect
      .poll(() => page.locator('[data-testid=path-completions] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)))
      .toEqual([`${mixed}/`]);
    await page.fill('[data-testid=path-input]', `${mixed}/qr`);
    await expect
      .poll(() => page.locator('[data-testid=path-completions] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)))
      .toEqual([join(mixed, 'qrcode-3_01.png')]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=create-dialog]', { state: 'detached' });
  });

  it('sends dropped files and a folder chosen with the file picker to the host, and reads them', async () => {
    const { page } = w;
    // A drop of real image bytes (a browser gives no paths): the dialog opens and sends them.
    const bytes = IMAGES.map((p) => ({ name: p.replace('/', '_'), b64: readFileSync(join(SAMPLES, p)).toString('base64') }));
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      for (const f of ${JSON.stringify(bytes)}) {
        const bin = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bin], f.name, { type: 'image/png' }));
      }
      dt.items.add(new File(['just text'], 'notes.txt', { type: 'text/plain' }));
      const target = document.querySelector('.app');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    })()`);
    await page.waitForSelector('[data-testid=create-dialog][open]');
    await page.waitForSelector('[data-testid=upload-progress][data-busy=false]');
    expect(await page.textContent('[data-testid=upload-progress]')).toBe(`Sending files: ${IMAGES.length + 1} of ${IMAGES.length + 1}`);
    // The file picker adds to the same folder (a hidden <input type=file>, as the button opens it).
    await page.setInputFiles('[data-testid=file-input]', [join(partly, 'good.png')]);
    await poll(() => page.textContent('[data-testid=upload-progress]')).toBe(`Sending files: ${IMAGES.length + 2} of ${IMAGES.length + 2}`);
    const row = page.locator('[data-testid=path-row]');
    await poll(() => row.count()).toBe(1);
    await poll(() => row.getAttribute('data-state')).toBe('ok');
    expect(await row.textContent()).toContain(`${IMAGES.length + 2} files sent to ScanDesk`);
    await w.shot('24-new-batch-uploaded');
    await page.fill('[data-testid=batch-name]', 'Uploaded');
    await page.click('[data-testid=start-batch]');
    await poll(async () => (await batchNamed('Uploaded'))?.status, { timeout: 120_000 }).toBe('done');
    const b = (await batchNamed('Uploaded'))!;
    // Same intake as a typed path: the images are pages, the text file is ignored.
    expect(b.counts).toMatchObject({ total: IMAGES.length + 1, skipped: 1, failed: 0 });
    const items = (await w.host.service.listItems(b.id, { limit: 100 })).items;
    expect(items.every((i) => i.path.startsWith(join(w.dir, 'uploads')))).toBe(true);
    const values = (await Promise.all(items.map(async (i) => (await w.host.service.getItem(i.id)).detections.map((d) => d.text)))).flat();
    const want = readFileSync(join(SAMPLES, IMAGES[0]!.replace(/\.png$/, '.txt')), 'utf8');
    expect(values).toContain(want);
  });

  it('says why "Run again with..." has nothing to do', async () => {
    const { page } = w;
    await page.click('[data-testid=batch-row] >> text=Uploaded');
    await page.click('[data-testid=rerun-open]');
    await page.waitForSelector('[data-testid=rerun-dialog][open]');
    await page.waitForSelector('[data-testid=engine-picker][data-ready=true]');
    await page.click('[data-testid=rerun-start]');
    await poll(() => page.textContent('[data-testid=rerun-nothing]')).toContain('already went through local');
    await w.shot('25-rerun-nothing');
    expect((await batchNamed('Uploaded'))!.status).toBe('done');
    await page.keyboard.press('Escape');
  });

  it('keeps a long value inside the edit box and the panel', async () => {
    const { page } = w;
    const long = `https://example.com/track?${'parcel=SD0123456789&'.repeat(30)}end`;
    const wasm = createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm');
    const buf = readFileSync(wasm);
    await prepareZXingModule({ overrides: { wasmBinary: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer }, fireImmediately: true });
    const qr = await writeBarcode(long, { format: 'QRCode', scale: 4 });
    const folder = join(w.dir, 'long');
    mkdirSync(folder);
    writeFileSync(join(folder, 'long.png'), Buffer.from(await qr.image!.arrayBuffer()));
    await newBatch([folder], 'Long value');
    await page.click('[data-testid=start-batch]');
    await poll(async () => (await batchNamed('Long value'))?.status, { timeout: 120_000 }).toBe('done');
    await page.click('[data-testid=card]');
    await page.waitForSelector('[data-testid=review][data-ready=true]');
    const inside = async (selector: string) =>
      page.evaluate(`(() => {
        const side = document.querySelector('.side').getBoundingClientRect();
        const el = document.querySelector(${JSON.stringify(selector)});
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left >= side.left - 0.5 && r.right <= side.right + 0.5 && el.scrollWidth <= el.clientWidth + 1;
      })()`);
    expect(await page.textContent('[data-testid=detection-value]')).toBe(long);
    expect(await inside('[data-testid=detection-value]')).toBe(true);
    await page.keyboard.press('e');
    await page.waitForSelector('[data-testid=edit-input]');
    expect(await page.inputValue('[data-testid=edit-input]')).toBe(long);
    expect(await inside('[data-testid=edit-input]')).toBe(true);
    await page.fill('[data-testid=edit-input]', `${long}-fixed`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=detection] .original');
    expect(await inside('[data-testid=detection] .original')).toBe(true);
    await w.shot('26-review-long-value');
    await page.keyboard.press('Escape');
  });

  it('shows engine errors in Chinese in zh-CN, by their code', async () => {
    const { page } = w;
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await page.click('[data-testid=batch-row] >> text=All broken');
    await page.click('[data-testid=card] >> nth=0');
    await page.waitForSelector('[data-testid=page-error]');
    const text = (await page.textContent('[data-testid=page-error]'))!;
    expect(text).toContain('图片已损坏或不完整');
    await w.shot('27-review-error-zh-CN');
    await page.keyboard.press('Escape');
    expect(await page.textContent('[data-testid=batch-status]')).toBe('失败');
    await page.selectOption('[data-testid=language]', 'en');
  });

  it('shows the changed screens in Chinese and in the dark theme', async () => {
    const { page } = w;
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.click('[data-testid=batch-row] >> text=Typo');
    await poll(() => page.textContent('[data-testid=batch-ignored]')).toContain(`已忽略 ${OTHERS.length} 个非图片文件`);
    await w.shot('28-grid-ignored-zh-CN-dark');
    await page.click('[data-testid=ignored-show]');
    await page.waitForSelector('[data-testid=ignored-dialog][open]');
    await w.shot('29-ignored-files-zh-CN-dark');
    await page.keyboard.press('Escape');
    await page.click('[data-testid=new-batch]');
    await page.fill('[data-testid=path-input]', join(w.dir, 'nowhere'));
    await page.keyboard.press('Enter');
    await page.fill('[data-testid=path-input]', mixed);
    await page.keyboard.press('Enter');
    await poll(() => page.locator('[data-testid=path-row][data-state=checking]').count()).toBe(0);
    expect(await page.textContent('[data-testid=path-row][data-state=error] [data-testid=path-check]')).toContain('找不到文件或文件夹');
    expect(await page.textContent('[data-testid=path-row][data-state=ok] [data-testid=path-check]')).toBe(`文件夹 · ${IMAGES.length} 张图片，忽略 ${OTHERS.length} 个其他文件`);
    await w.shot('29-new-batch-zh-CN-dark');
    await page.keyboard.press('Escape');
    await page.click('[data-testid=batch-row] >> text=Long value');
    await page.click('[data-testid=card]');
    await page.waitForSelector('[data-testid=review][data-ready=true]');
    await w.shot('29-review-long-value-zh-CN-dark');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('[data-testid=language]', 'en');
  });

  it('ran under the strict CSP without a refusal or an uncaught error', () => {
    expect(w.pageErrors).toEqual([]);
  });
});
