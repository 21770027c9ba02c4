import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, type FolderDialogResult } from '../../shared/contract';
import type { HotFolder } from '../../shared/hot-folders';
import { createHandlers, fileSettingsStore, FolderHandles, unavailableDialogs, type DialogProvider, type HandlerTable } from '../../electron/core/api';
import { ExportHandles } from '../../electron/core/export/handles';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SAMPLES } from '../fixtures/samples';

/**
 * Folders ScanDesk watches or writes into (hot folders, their done and failed folders, the
 * documents' PDFs), through the real handler table over a real ScanService (SQLite file, local
 * decoder, real PDF writer). In the desktop app they come only from the native folder dialog,
 * as one-time handles; the browser host takes typed paths. The dialog cannot open here (no
 * Electron): a scripted DialogProvider stands in for the user's answer in it.
 */
let dir: string;
let service: ScanService;
let desktop: HandlerTable;
let browser: HandlerTable;
let batchId: number;
const answers: string[][] = [];
const opened: Array<{ single?: boolean; title?: string } | undefined> = [];

const dialogs: DialogProvider = {
  openFiles: async () => ({ status: 'cancelled' }),
  async openFolder(options) {
    opened.push(options);
    const paths = answers.shift();
    return paths ? { status: 'selected', paths } : { status: 'cancelled' };
  },
  saveExport: async () => ({ status: 'cancelled' }),
};

async function call<T>(handlers: HandlerTable, name: keyof typeof requests, input: unknown): Promise<T> {
  const r = await handlers[name](input as never);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  expect(requests[name].output.safeParse(r.value).success, `${name} answer matches the contract`).toBe(true);
  return r.value as T;
}

async function refusal(handlers: HandlerTable, name: keyof typeof requests, input: unknown) {
  const r = await handlers[name](input as never);
  expect(r.ok, JSON.stringify(input)).toBe(false);
  return r.ok ? null : r.error;
}

/** The user picks `folder` in the folder dialog: the handle the renderer gets. */
async function choose(purpose: string, folder: string): Promise<string> {
  answers.push([folder]);
  const r = await call<FolderDialogResult>(desktop, 'dialogs.chooseFolder', { purpose, title: 'Pick one' });
  expect(r).toMatchObject({ status: 'selected', folder });
  if (r.status !== 'selected') throw new Error('not selected');
  expect(r.handle).not.toContain(dir);
  return r.handle;
}

const folder = (name: string) => {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-folder-dialog-'));
  service = await openScanService({ dbPath: join(dir, 'profile', 'scandesk.db') });
  const common = {
    app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: join(dir, 'profile') },
    settings: fileSettingsStore(join(dir, 'profile', 'settings.json')),
  };
  desktop = createHandlers(service, {
    ...common,
    transport: 'electron',
    dialogs,
    exports: { handles: new ExportHandles(), remembered: new RememberedFolder(join(dir, 'profile', 'export-folder.json'), () => dir) },
    folders: new FolderHandles(),
  });
  browser = createHandlers(service, {
    ...common,
    transport: 'browser',
    dialogs: unavailableDialogs(),
    exports: { folders: true, remembered: new RememberedFolder(join(dir, 'profile', 'export-folder-host.json')) },
  });
  const pages = folder('pages');
  for (const f of ['1.png', '10.png']) writeFileSync(join(pages, f), readFileSync(join(SAMPLES, 'zxing/qrcode-2', f)));
  const { batch } = await service.createBatch({ paths: [pages], name: 'Stack', plan: { engine: 'local', task: 'codes' } });
  batchId = batch.id;
  await service.whenSettled(batchId);
  await service.documents.setRule(batchId, { kind: 'every', pages: 1 });
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('desktop app: folders come from the native folder dialog', () => {
  it('adds a hot folder with the folders chosen in the dialog; the renderer never names one', async () => {
    const inbox = folder('inbox');
    const done = folder('done');
    const path = await choose('hotFolder', inbox);
    const doneDir = await choose('hotFolderDestination', done);
    expect(opened.slice(-2)).toEqual([
      { single: true, title: 'Pick one' },
      { single: true, title: 'Pick one' },
    ]);
    const saved = await call<HotFolder>(desktop, 'hotFolders.save', { path: { handle: path }, doneDir: { handle: doneDir }, failedDir: null });
    expect(saved).toMatchObject({ path: inbox, doneDir: done, failedDir: null });
    // Each handle is spent by its use.
    expect((await refusal(desktop, 'hotFolders.save', { path: { handle: path } }))?.message).toMatch(/already used or has expired/);
  });

  it('refuses typed paths, handles chosen for another purpose, and made-up handles', async () => {
    const typed = folder('typed');
    const r1 = await refusal(desktop, 'hotFolders.save', { path: typed });
    expect(r1).toMatchObject({ code: 'INVALID_INPUT' });
    expect(r1?.message).toMatch(/folder dialog/);
    expect(await refusal(desktop, 'documents.writePdfs', { batchId, dir: typed })).toMatchObject({ code: 'INVALID_INPUT' });
    // A handle for the documents' PDFs does not make a watched folder (its files would be moved away).
    const forPdfs = await choose('documents', typed);
    expect((await refusal(desktop, 'hotFolders.save', { path: { handle: forPdfs } }))?.message).toMatch(/chosen as the documents. PDFs, not a folder to watch/);
    const watched = await choose('hotFolder', folder('inbox-2'));
    const forWatch = await choose('hotFolder', typed);
    expect((await refusal(desktop, 'hotFolders.save', { path: { handle: watched }, doneDir: { handle: forWatch } }))?.message).toMatch(/not a hot folder.s done or failed folder/);
    expect((await refusal(desktop, 'hotFolders.save', { path: { handle: 'A'.repeat(32) } }))?.message).toMatch(/already used or has expired/);
    expect((await refusal(desktop, 'hotFolders.save', { path: { handle: 'short' } }))?.code).toBe('INVALID_INPUT');
    expect((await service.hotFolders.list()).map((f) => f.path)).not.toContain(typed);
  });

  it('writes the documents’ PDFs into the folder chosen in the dialog, once per choice', async () => {
    const out = folder('pdfs');
    const handle = await choose('documents', out);
    const written = await call<Array<{ path: string | null; error: unknown }>>(desktop, 'documents.writePdfs', { batchId, dir: { handle } });
    expect(written).toHaveLength(2);
    expect(written.every((w) => w.path?.startsWith(out) && w.error === null)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.pdf'))).toHaveLength(2);
    expect((await refusal(desktop, 'documents.writePdfs', { batchId, dir: { handle } }))?.code).toBe('INVALID_INPUT');
  });

  it('a cancelled dialog answers cancelled and issues nothing', async () => {
    expect(await call(desktop, 'dialogs.chooseFolder', { purpose: 'documents' })).toEqual({ status: 'cancelled' });
  });
});

describe('browser host: folders are typed', () => {
  it('has no folder dialog and refuses handles', async () => {
    expect(await call(browser, 'dialogs.chooseFolder', { purpose: 'hotFolder' })).toMatchObject({ status: 'unavailable' });
    expect((await refusal(browser, 'hotFolders.save', { path: { handle: 'A'.repeat(32) } }))?.message).toMatch(/type the folder/);
    expect((await refusal(browser, 'documents.writePdfs', { batchId, dir: { handle: 'A'.repeat(32) } }))?.message).toMatch(/type the folder/);
  });

  it('saves a hot folder and writes PDFs at typed paths', async () => {
    const inbox = folder('host-inbox');
    const failed = folder('host-failed');
    expect(await call(browser, 'hotFolders.save', { path: inbox, failedDir: failed })).toMatchObject({ path: inbox, failedDir: failed, doneDir: null });
    const out = folder('host-pdfs');
    const written = await call<Array<{ path: string | null }>>(browser, 'documents.writePdfs', { batchId, dir: out });
    expect(written.filter((w) => w.path && existsSync(w.path))).toHaveLength(2);
  });
});
