import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotFolderWatcher, type WatchEvent } from '../../electron/core/hotfolder/watcher';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SAMPLES } from '../fixtures/samples';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { tempDir } from '../queue/support/tmp';

/**
 * A hot folder on real files: real photos copied, written slowly, renamed in, removed, and a
 * file that is no image; the real decoder; processed files moving to done/ and failed/; a
 * restart that resumes. Waits are on the watcher's own events, never on the clock.
 */
const tmp = tempDir('hotfolder');
const IN = join(tmp.dir, 'in');
const DONE = join(tmp.dir, 'done');
const FAILED = join(tmp.dir, 'failed');
const OUTSIDE = join(tmp.dir, 'outside');
const Z = (rel: string) => join(SAMPLES, 'zxing', rel);
let svc: ScanService;
let events: WatchEvent[] = [];
let watcher: HotFolderWatcher;

async function until(what: string, pred: (e: WatchEvent) => boolean): Promise<WatchEvent> {
  for (let i = 0; i < 1200; i++) {
    const hit = events.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no watcher event: ${what}; saw ${JSON.stringify(events)}`);
}
const movedFrom = (name: string) => (e: WatchEvent) => e.type === 'moved' && e.path === join(IN, name);

async function startWatching(): Promise<HotFolderWatcher> {
  const [folder] = await svc.hotFolders.list();
  const w = new HotFolderWatcher(svc, svc.hotFolders.runtime, folder!, { stabilityMs: 400, onEvent: (e) => events.push(e) });
  await w.start();
  return w;
}

beforeAll(async () => {
  for (const d of [IN, DONE, FAILED, OUTSIDE]) mkdirSync(d);
  svc = await openScanService({ dbPath: join(tmp.dir, 'p.sqlite'), engines: [realEngine()], intake: realIntake });
});

afterAll(async () => {
  await watcher?.stop();
  await svc?.close();
  await closeRealEngines();
  tmp.cleanup();
});

describe('hot folder', { timeout: 120_000 }, () => {
  it('refuses folders that do not exist, or overlap, with the reason', async () => {
    await expect(svc.hotFolders.save({ path: join(tmp.dir, 'nope'), plan: { engine: 'local', task: 'codes' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/does not exist: create it first/),
    });
    await expect(svc.hotFolders.save({ path: IN, plan: { engine: 'local', task: 'codes' }, doneDir: join(tmp.dir, 'missing') })).rejects.toMatchObject({
      message: expect.stringMatching(/done folder .* does not exist/),
    });
    const f = await svc.hotFolders.save({ path: IN, plan: { engine: 'local', task: 'codes' }, doneDir: DONE, failedDir: FAILED });
    expect(f).toMatchObject({ path: IN, batchId: null, enabled: true, live: false, doneDir: DONE, failedDir: FAILED });
    await expect(svc.hotFolders.save({ path: join(IN, 'sub'), plan: { engine: 'local', task: 'codes' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('adds a copied photo to a continuous batch, decodes it and moves it to done, its page following it', async () => {
    watcher = await startWatching();
    expect((await svc.hotFolders.list())[0]!.live).toBe(true);
    copyFileSync(Z('ean13-1/1.png'), join(IN, 'parcel-1.png'));
    const moved = await until('parcel-1 moved', movedFrom('parcel-1.png'));
    expect(moved).toMatchObject({ state: 'done', to: join(DONE, 'parcel-1.png') });
    expect(existsSync(join(IN, 'parcel-1.png'))).toBe(false);
    const batchId = watcher.currentBatch!;
    const { items } = await svc.listItems(batchId);
    expect(items.map((i) => i.path)).toEqual([join(DONE, 'parcel-1.png')]);
    expect((await svc.getItem(items[0]!.id)).detections.map((d) => d.text)).toContain('8413000065504');
    // Nothing left to do, yet the batch stays open for the next file.
    const b = await svc.getBatch(batchId);
    expect(b.status).toBe('running');
    expect(b.counts).toMatchObject({ total: 1, done: 1, pending: 0 });
    expect((await svc.hotFolders.list())[0]).toMatchObject({ batchId, files: { done: 1, queued: 0 } });
  });

  it('waits for a file still being written, takes a file renamed in, and leaves a non-image where it is', async () => {
    const bytes = readFileSync(Z('qrcode-2/1.png'));
    const fh = await open(join(IN, 'slow.png'), 'w');
    for (let i = 0; i < 4; i++) {
      await fh.write(bytes.subarray((i * bytes.length) / 4, ((i + 1) * bytes.length) / 4));
      await new Promise((r) => setTimeout(r, 60));
    }
    await fh.close();
    copyFileSync(Z('code128-1/1.png'), join(OUTSIDE, 'renamed.png'));
    renameSync(join(OUTSIDE, 'renamed.png'), join(IN, 'renamed.png'));
    writeFileSync(join(IN, 'notes.txt'), 'not a scan');
    // A script that is also a readable PNG (a polyglot): decoded, but never moved out of the inbox.
    writeFileSync(join(IN, 'evil.bat'), Buffer.concat([readFileSync(Z('qrcode-2/10.png')), Buffer.from('\r\ncalc.exe\r\n')]));
    writeFileSync(join(IN, 'download.png.crdownload'), 'half a download');
    expect(await until('slow moved', movedFrom('slow.png'))).toMatchObject({ state: 'done' });
    expect(await until('renamed moved', movedFrom('renamed.png'))).toMatchObject({ state: 'done' });
    // Only page formats move: the folders are the renderer's word, and a file of another kind
    // moved there could be "evil.bat" landing in a Startup folder.
    expect(await until('notes settled', movedFrom('notes.txt'))).toMatchObject({ state: 'failed', to: null });
    expect(await until('evil.bat settled', movedFrom('evil.bat'))).toMatchObject({ to: null });
    expect(existsSync(join(IN, 'notes.txt')) && existsSync(join(IN, 'evil.bat'))).toBe(true);
    expect(existsSync(join(FAILED, 'notes.txt')) || existsSync(join(DONE, 'evil.bat')) || existsSync(join(FAILED, 'evil.bat'))).toBe(false);
    const { items } = await svc.listItems(watcher.currentBatch!);
    const slow = items.find((i) => i.path === join(DONE, 'slow.png'))!;
    expect(slow.status).toBe('done'); // read whole, not half-written
    expect((await svc.getItem(slow.id)).detections.map((d) => d.text)).toContain(readFileSync(Z('qrcode-2/1.txt'), 'utf8'));
    expect(items.find((i) => i.path === join(IN, 'notes.txt'))).toMatchObject({ status: 'failed', error: { code: 'UNSUPPORTED_FORMAT' } });
    expect(existsSync(join(IN, 'download.png.crdownload'))).toBe(true); // an unfinished download is left alone
  });

  it('never adds a file removed before it settled; names a second "parcel-1.png" in done/ apart', async () => {
    writeFileSync(join(IN, 'gone.png'), readFileSync(Z('ean13-1/2.png')));
    unlinkSync(join(IN, 'gone.png'));
    copyFileSync(Z('ean13-1/3.png'), join(IN, 'parcel-1.png'));
    expect(await until('second parcel-1', (e) => e.type === 'moved' && e.to === join(DONE, 'parcel-1 (2).png'))).toMatchObject({ state: 'done' });
    const { items } = await svc.listItems(watcher.currentBatch!);
    expect(items.some((i) => i.path.endsWith('gone.png'))).toBe(false);
  });

  it('resumes after a restart: a file dropped meanwhile is added, finished ones are not added again', async () => {
    const batchId = watcher.currentBatch!;
    const before = (await svc.getBatch(batchId)).counts.total;
    await watcher.stop();
    // Nobody watches: the batch settles.
    expect((await svc.whenSettled(batchId)).status).toBe('done');
    copyFileSync(Z('ean13-1/4.png'), join(IN, 'while-stopped.png'));
    events = [];
    watcher = await startWatching();
    expect(watcher.currentBatch).toBe(batchId);
    await until('while-stopped moved', movedFrom('while-stopped.png'));
    const after = await svc.getBatch(batchId);
    expect(after.counts.total).toBe(before + 1);
    expect(after.status).toBe('running');
    expect(readdirSync(DONE).sort()).toEqual(['parcel-1 (2).png', 'parcel-1.png', 'renamed.png', 'slow.png', 'while-stopped.png']);
  });

  it('lets one process watch a folder at a time', async () => {
    const [folder] = await svc.hotFolders.list();
    const second = new HotFolderWatcher(svc, svc.hotFolders.runtime, folder!, { owner: 'other-host:1' });
    await expect(second.start()).rejects.toThrow(/already being watched by/);
  });

  it('a disabled folder lets its batch finish', async () => {
    const batchId = watcher.currentBatch!;
    await watcher.stop();
    const [folder] = await svc.hotFolders.list();
    await svc.hotFolders.setEnabled(folder!.id, false);
    expect((await svc.whenSettled(batchId)).status).toBe('done');
  });
});
