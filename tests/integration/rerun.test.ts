import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../electron/core/credentials/store';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore } from '../../electron/core/settings';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { closeVendorTest } from './support/close-vendor-test';
import { CREDS, byName, copySamples, readJson, startEmulators, type Emulators, emulatorEndpoint } from './support/vendors';

/** Run a finished batch again with another engine, and compare what each engine found. */
let keychain: PrivateKeychain;
let emu: Emulators;
let tmp: string;
let registry: EngineRegistry;
let service: ScanService;
let pages: string;
let expected: Record<string, string | null>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-rerun-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  const store = new CredentialStore();
  emu = await startEmulators();
  await store.set('tencent', CREDS.tencent, emulatorEndpoint(emu, 'tencent'));
  const settings = new VendorSettingsStore(join(tmp, 'vendor-settings.json'), {});
  settings.update({ tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT, timeoutMs: 5000 } });
  registry = createEngineRegistry({ settings, credentials: store, include: ['local', 'tencent'], local: { size: 1 } });
  service = await openScanService({ dbPath: join(tmp, 'scandesk.db'), engines: registry.engines });
  pages = join(tmp, 'pages');
  expected = copySamples(pages, { 'a-qr.png': 'zxing/qrcode-3/01.png', 'b-ean.png': 'zxing/ean13-1/1.png', 'c-none.png': 'zxing-cpp/falsepositives-1/#245.png' });
}, 60_000);

afterAll(() => closeVendorTest({ service, registry, emu, keychain, dir: tmp }));

describe('service.rerun: another engine over a finished batch', () => {
  it('keeps each engine\'s detections on the page, named by engine, and never sends a page twice', async () => {
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'local', task: 'codes' } });
    const first = await service.whenSettled(batch.id);
    expect(first.counts).toMatchObject({ done: 3, codes: 2 });
    expect(emu.tencent.stats.requests.QrcodeOCR ?? 0).toBe(0);

    await expect(async () => await service.rerun(batch.id, { engine: 'wechat' as never, task: 'codes' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const started = await service.rerun(batch.id, { engine: 'tencent', task: 'codes' });
    expect(started.status).toBe('running');
    expect(started.plan).toEqual({ engine: 'tencent', task: 'codes' });
    const second = await service.whenSettled(batch.id);
    expect(second.status).toBe('done');
    // The same two codes read by both engines are still two codes (merged: same value, same place).
    expect(second.counts).toMatchObject({ total: 3, done: 3, codes: 2 });
    expect(emu.tencent.stats.requests.QrcodeOCR).toBe(3);

    const items = (await service.listItems(batch.id)).items;
    const qr = await service.getItem(items.find((i) => i.path.endsWith('a-qr.png'))!.id);
    // One code, found by both: reviewed once, named with both engines.
    expect(qr.detections.map((d) => [d.engine, d.symbology, d.text, d.foundBy])).toEqual([['local', 'QRCode', expected['a-qr.png'], ['local', 'tencent']]]);
    expect(qr.detectionCount).toBe(1);
    const reviewed = await service.reviewDetection(qr.detections[0]!.id, { review: 'accepted' });
    expect(reviewed.review).toBe('accepted');
    expect((await service.getItem(qr.id)).reviewPending).toBe(0);
    expect((await service.getBatch(batch.id)).engines).toEqual(['local', 'tencent']);

    // The export says which engine found what.
    await service.exportBatch({ batchId: batch.id, format: 'json', path: join(tmp, 'both.json') });
    const exp = byName(readJson(join(tmp, 'both.json')));
    expect(exp['b-ean.png']!.detections.map((d) => [d.engine, d.text]).sort()).toEqual([
      ['local', '8413000065504'],
      ['tencent', '8413000065504'],
    ]);
    expect(exp['c-none.png']!.detections).toEqual([]);

    // Again with the same engine: nothing to do, and the answer says why; nothing sent.
    await expect(service.rerun(batch.id, { engine: 'tencent', task: 'codes' })).rejects.toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_DO', message: expect.stringMatching(/already went through tencent for barcodes/) }),
    );
    expect((await service.getBatch(batch.id)).status).toBe('done');
    expect((await service.getBatch(batch.id)).plan.engine).toBe('tencent');
    expect((await service.whenSettled(batch.id)).counts.codes).toBe(2);
    expect(emu.tencent.stats.requests.QrcodeOCR).toBe(3);
  }, 120_000);

  it('refuses a batch that is still running', async () => {
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'tencent', task: 'codes', options: { region: 'ap-beijing' } } });
    await expect(service.rerun(batch.id, { engine: 'local', task: 'codes' })).rejects.toThrow(/still running/);
    await service.whenSettled(batch.id);
  }, 60_000);
});
