import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, type ExportDone } from '../../shared/contract';
import { createHandlers, fileSettingsStore, type DialogProvider, type HandlerTable, type NativeSaveResult } from '../../electron/core/api';
import { ExportHandles } from '../../electron/core/export/handles';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SAMPLES } from '../fixtures/samples';

/**
 * Exports in the desktop app, through the real handler table over a real ScanService (SQLite
 * file, local decoder, real export writers): the renderer never names a file. The native save
 * dialog cannot open here (no Electron), so a scripted DialogProvider stands in for the user's
 * answer in it; everything after the answer (the one-time handle, the checks, the write, the
 * folder remembered, "Open folder") is the product's code.
 */
let dir: string;
let service: ScanService;
let handlers: HandlerTable;
let batchId: number;
const answers: NativeSaveResult[] = [];
const opened: Array<{ format: string; defaultName: string; folder: string }> = [];
const revealed: string[] = [];

const dialogs: DialogProvider = {
  openFiles: async () => ({ status: 'cancelled' }),
  openFolder: async () => ({ status: 'cancelled' }),
  async saveExport(options) {
    opened.push(options);
    return answers.shift() ?? { status: 'cancelled' };
  },
};

async function call<T>(name: keyof typeof requests, input: unknown): Promise<T> {
  const r = await handlers[name](input as never);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  expect(requests[name].output.safeParse(r.value).success, `${name} answer matches the contract`).toBe(true);
  return r.value as T;
}

const refusal = async (name: keyof typeof requests, input: unknown) => {
  const r = await handlers[name](input as never);
  expect(r.ok, JSON.stringify(input)).toBe(false);
  return r.ok ? null : r.error;
};

/** The user picks `path` in the save dialog: answers the handle the renderer gets. */
async function choose(path: string, format: 'csv' | 'json' | 'xlsx' = 'csv'): Promise<{ handle: string; name: string; folder: string }> {
  answers.push({ status: 'selected', path });
  const r = await call<{ status: string; handle: string; name: string; folder: string }>('dialogs.saveExport', { batchId, format });
  expect(r.status).toBe('selected');
  return r;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-export-dialog-'));
  mkdirSync(join(dir, 'Documents'));
  service = await openScanService({ dbPath: join(dir, 'profile', 'scandesk.db') });
  handlers = createHandlers(service, {
    transport: 'electron',
    app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: join(dir, 'profile') },
    settings: fileSettingsStore(join(dir, 'profile', 'settings.json')),
    dialogs,
    exports: {
      handles: new ExportHandles(),
      remembered: new RememberedFolder(join(dir, 'profile', 'export-folder.json'), () => join(dir, 'Documents')),
      reveal: async (path) => void revealed.push(path),
    },
  });
  const pages = join(dir, 'pages');
  mkdirSync(pages);
  for (const f of ['1.png', '10.png']) writeFileSync(join(pages, f), readFileSync(join(SAMPLES, 'zxing/qrcode-2', f)));
  const { batch } = await service.createBatch({ paths: [pages], name: 'Invoices: March', plan: { engine: 'local', task: 'codes' } });
  batchId = batch.id;
  await service.whenSettled(batchId);
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports in the desktop app', () => {
  it('offers the save dialog only, opened in Documents with a safe name for the batch', async () => {
    expect(await call('export.defaults', {})).toEqual({ destinations: ['dialog'], folder: join(dir, 'Documents') });
    const chosen = await choose(join(dir, 'Documents', 'march'));
    expect(opened.at(-1)).toMatchObject({ format: 'csv', folder: join(dir, 'Documents') });
    expect(opened.at(-1)!.defaultName).toMatch(/^Invoices_ March-\d+-\d{8}-\d{6}\.csv$/);
    // A name typed without its extension gets the format's.
    expect(chosen).toMatchObject({ name: 'march.csv', folder: join(dir, 'Documents') });
    expect(chosen.handle).not.toContain(dir);
  });

  it('writes exactly the chosen file, once; Open folder shows it; the folder is proposed next time', async () => {
    const folder = join(dir, 'Chosen');
    mkdirSync(folder);
    const { handle } = await choose(join(folder, 'out.csv'));
    const done = await call<ExportDone>('export.run', { batchId, format: 'csv', to: { kind: 'dialog', handle } });
    expect(done).toMatchObject({ name: 'out.csv', path: join(folder, 'out.csv'), pages: 2, downloadUrl: null });
    expect(done.codes).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(folder, 'out.csv'), 'utf8')).toContain('1.png');

    expect((await refusal('export.run', { batchId, format: 'csv', to: { kind: 'dialog', handle } }))?.code).toBe('INVALID_INPUT');

    await call('export.reveal', { revealId: done.revealId });
    expect(revealed).toEqual([join(folder, 'out.csv')]);
    expect((await refusal('export.reveal', { revealId: 'AAAAAAAAAAAAAAAA' }))?.code).toBe('NOT_FOUND');

    expect(await call('export.defaults', {})).toMatchObject({ folder });
  });

  it('a handle is for the format it was chosen for; folders and downloads are not offered here', async () => {
    const { handle } = await choose(join(dir, 'Documents', 'a.csv'));
    expect((await refusal('export.run', { batchId, format: 'json', to: { kind: 'dialog', handle } }))?.message).toContain('CSV');
    expect(existsSync(join(dir, 'Documents', 'a.csv'))).toBe(false);
    expect((await refusal('export.run', { batchId, format: 'csv', to: { kind: 'folder', folder: join(dir, 'Documents') } }))?.code).toBe('INVALID_INPUT');
    expect((await refusal('export.run', { batchId, format: 'csv', to: { kind: 'download' } }))?.code).toBe('INVALID_INPUT');
    expect((await refusal('export.run', { batchId, format: 'csv', path: join(dir, 'x.csv') }))?.code).toBe('INVALID_INPUT');
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('a chosen file under a folder removed meanwhile is refused, and no folder is created', async () => {
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    const { handle } = await choose(join(gone, 'r.json'), 'json');
    rmSync(gone, { recursive: true });
    const err = await refusal('export.run', { batchId, format: 'json', to: { kind: 'dialog', handle } });
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    expect(err?.message).toContain('does not exist');
    expect(existsSync(gone)).toBe(false);
  });

  it('replaces a file the user chose to overwrite (the dialog asked), whole', async () => {
    const target = join(dir, 'Documents', 'again.json');
    writeFileSync(target, 'old');
    const done = await call<ExportDone>('export.withDialog', { batchId, format: 'json' }).catch((e: unknown) => e);
    expect(done).toMatchObject({ status: 'cancelled' }); // no answer queued: the user cancelled
    answers.push({ status: 'selected', path: target });
    const r = await call<ExportDone & { status: string }>('export.withDialog', { batchId, format: 'json' });
    expect(r).toMatchObject({ status: 'done', path: target, pages: 2 });
    expect((JSON.parse(readFileSync(target, 'utf8')) as { items: unknown[] }).items).toHaveLength(2);
  });
});
