import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../../electron/core/service';
import type { Notice } from '../../../electron/core/service-types';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY, StaticCredentials, engineFor, tempDir } from './support';

/** The engine as the product drives it: through the service, its runner and its SQLite store. */
describe('TencentEngine inside the ScanService', () => {
  let emu: TencentEmulator;
  const tmp = tempDir();
  let pages: string;
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 100, QueryBarCode: 100 } });
    pages = join(tmp.dir, 'pages');
    mkdirSync(pages);
    copyFileSync(`${SAMPLES}/zxing/qrcode-3/01.png`, join(pages, 'a-qr.png'));
    copyFileSync(`${SAMPLES}/zxing/ean13-1/1.png`, join(pages, 'b-ean.png'));
    copyFileSync(`${SAMPLES}/zxing-cpp/falsepositives-1/#245.png`, join(pages, 'c-none.png'));
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('stores codes with page geometry, and QueryBarCode offline is one notice for the batch', async () => {
    emu.configure({ queryBarCode: { mode: 'offline' } });
    const engine = engineFor(emu);
    const service = await openScanService({ dbPath: join(tmp.dir, 'ok.db'), engines: [engine] });
    const notices: Notice[] = [];
    service.on('notice', (n) => notices.push(n));
    try {
      const { batch } = await service.createBatch({
        paths: [pages],
        plan: { engine: 'tencent', task: 'codes', options: { enrichWithProductData: true, rateLimits: { QrcodeOCR: 100, QueryBarCode: 100 } } },
      });
      const settled = await service.whenSettled(batch.id);
      expect(settled.counts).toMatchObject({ total: 3, done: 3, failed: 0, codes: 2 });
      const items = (await service.listItems(batch.id)).items;
      const byName = Object.fromEntries(await Promise.all(items.map(async (i) => [i.path.split('/').pop(), await service.getItem(i.id)] as const)));
      expect(byName['a-qr.png']!.detections[0]).toMatchObject({ symbology: 'QRCode', engine: 'tencent', geometry: { kind: 'quad' } });
      expect(byName['b-ean.png']!.detections[0]).toMatchObject({ symbology: 'EAN-13', text: '8413000065504', geometry: { kind: 'none' } });
      expect(byName['c-none.png']!.detections).toEqual([]);
      expect(notices.filter((n) => n.message.startsWith('VENDOR_UNAVAILABLE'))).toHaveLength(1);
    } finally {
      await service.close();
    }
  });

  it('a wrong key stops the engine for the batch with one notice, and no secret reaches the database', async () => {
    const engine = engineFor(emu, {}, new StaticCredentials({ secretId: SECRET_ID, secretKey: 'wrong-key-wrong-key-wrong-key' }));
    const dbPath = join(tmp.dir, 'auth.db');
    const service = await openScanService({ dbPath, engines: [engine] });
    const notices: Notice[] = [];
    service.on('notice', (n) => notices.push(n));
    try {
      const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'tencent', task: 'codes' } });
      const settled = await service.whenSettled(batch.id);
      expect(settled.counts.done).toBe(0);
      const stops = notices.filter((n) => /signature did not match/.test(n.message));
      expect(stops).toHaveLength(1);
      expect(stops[0]!.engine).toBe('tencent');
    } finally {
      await service.close();
    }
    const bytes = Buffer.concat([dbPath, `${dbPath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [SECRET_KEY, 'wrong-key-wrong-key-wrong-key']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });
});
