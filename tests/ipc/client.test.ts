import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, cropPaths, mediaPaths, parseMediaPath, type ScanDeskApi } from '../../shared/contract';
import { createHandlers, dispatch, fileSettingsStore, unavailableDialogs } from '../../electron/core/api';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';

/**
 * The renderer's typed client over an in-process ScanDeskApi that calls the real handler table
 * (the same table Electron main and the host register), on a real service.
 */
let dir: string;
let service: ScanService;
let api: ScanDeskApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-client-'));
  service = await openScanService({ dbPath: join(dir, 'c.db'), engines: [] });
  const handlers = createHandlers(service, {
    transport: 'electron',
    app: { name: 'ScanDesk', version: '1.2.3', dataDir: dir },
    settings: fileSettingsStore(join(dir, 'settings.json')),
    dialogs: unavailableDialogs(),
    exports: { remembered: new RememberedFolder(join(dir, 'export-folder.json'), () => dir) },
  });
  api = {
    transport: 'electron',
    invoke: (name, input) => dispatch(handlers, name, input) as never,
    on: () => () => undefined,
    mediaUrl: mediaPaths.electron,
    cropUrl: cropPaths.electron,
    getPathForFile: () => null,
  };
});

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createClient', () => {
  it('resolves with the value', async () => {
    const client = createClient(api);
    expect(await client.call('batches.list')).toEqual([]);
    expect((await client.call('app.info')).version).toBe('1.2.3');
    expect(await client.call('settings.set', { language: 'zh-CN' })).toEqual({ language: 'zh-CN', theme: 'system' });
  });

  it('rejects with an ApiError carrying the stable code and the message', async () => {
    const client = createClient(api);
    const err = await client.call('batches.get', { batchId: 4242 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('NOT_FOUND');
    const bad = await client.call('items.list', { batchId: 0 }).catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('INVALID_INPUT');
    expect((bad as ApiError).message).toContain('batchId');
  });
});

describe('media addresses', () => {
  it('both transports address media by item id, and only well-formed ids parse', () => {
    expect(mediaPaths.electron('preview', 12)).toBe('scandesk://media/preview/12');
    expect(mediaPaths.http('thumb', 12)).toBe('/media/thumb/12');
    expect(parseMediaPath('/preview/12')).toEqual({ kind: 'preview', itemId: 12 });
    for (const bad of ['/preview/0', '/preview/-1', '/preview/1.5', '/preview/01', '/original/1', '/preview/12/x', '/preview/99999999999999999', '/thumb/']) {
      expect(parseMediaPath(bad), bad).toBeNull();
    }
  });
});
