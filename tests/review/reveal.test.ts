/**
 * "Show in folder" for a page's file, through the real handler table: the renderer sends a page
 * id, the host looks its file up and hands that path (never one from the renderer) to the
 * file manager; a file moved away since, or a host without a file manager, get a clear refusal.
 */
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, fileSettingsStore, type HandlerTable } from '../../electron/core/api';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { openScanService } from '../../electron/core/service';
import { SAMPLES } from '../fixtures/samples';

const dir = mkdtempSync(join(tmpdir(), 'scandesk-reveal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function table(service: Awaited<ReturnType<typeof openScanService>>, reveal?: (path: string) => Promise<void>): HandlerTable {
  return createHandlers(service, {
    transport: 'electron',
    app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: join(dir, 'profile') },
    settings: fileSettingsStore(join(dir, 'profile', 'settings.json')),
    dialogs: { openFiles: async () => [], openFolder: async () => [], saveFile: async () => ({ status: 'cancelled' }) } as never,
    exports: { remembered: new RememberedFolder(join(dir, 'profile', 'export-folder.json'), () => dir), ...(reveal ? { reveal } : {}) },
  });
}

describe('items.reveal', () => {
  it("shows the page's own file, refuses a moved file and a host without a file manager", async () => {
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    const file = join(pages, 'qr.png');
    copyFileSync(join(SAMPLES, 'zxing/qrcode-2/1.png'), file);
    const service = await openScanService({ dbPath: join(dir, 'profile', 'scandesk.db') });
    const { batch } = await service.createBatch({ paths: [file], plan: { engine: 'local', task: 'codes' } });
    await service.whenSettled(batch.id);
    const [page] = (await service.listItems(batch.id)).items;
    const revealed: string[] = [];
    const handlers = table(service, async (p) => void revealed.push(p));

    expect(await handlers['items.reveal']({ itemId: page!.id })).toEqual({ ok: true, value: { revealed: true } });
    expect(revealed).toEqual([file]);
    // A path is not accepted, only a page id.
    expect((await handlers['items.reveal']({ itemId: page!.id, path: '/etc' })).ok).toBe(false);
    expect(await handlers['items.reveal']({ itemId: 99_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    renameSync(file, join(pages, 'moved.png'));
    expect(await handlers['items.reveal']({ itemId: page!.id })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    expect(revealed).toHaveLength(1);

    expect((await table(service)['items.reveal']({ itemId: page!.id })).ok).toBe(false);
    await service.close();
  });
});
