import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundingBox } from '../../../shared/geometry';
import { ScanError } from '../../../electron/core/errors';
import { decodeImageCodes } from '../../emulators/common/zxing-decode';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY, bigQrPage, engineFor, source, tempDir } from './support';

describe('TencentEngine codes (QrcodeOCR) against the emulator', () => {
  let emu: TencentEmulator;
  const tmp = tempDir();
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 50, QueryBarCode: 50 } });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('shrinks a big photo under 3 MB of base64 and maps the QR quad back to page pixels', async () => {
    const page = await bigQrPage(tmp.dir, `${SAMPLES}/zxing/qrcode-3/01.png`);
    const original = readFileSync(page);
    expect(Math.ceil(original.length / 3) * 4).toBeGreaterThan(3 * 1024 * 1024); // it really had to shrink
    // A generous request timeout: the emulator decodes a 3000x2250 photo, slow on a loaded machine.
    const engine = engineFor(emu, { defaults: { rateLimits: { QrcodeOCR: 50 } }, timeoutMs: 120_000 });
    const r = await engine.recognize({ source: source(page), task: 'codes' });
    expect(r.scale).toBeLessThan(1);
    expect(r.bytesSent).toBeLessThanOrEqual(3 * 1024 * 1024);
    expect([r.pageWidth, r.pageHeight]).toEqual([3000, 2250]);
    expect(r.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(r.detections).toHaveLength(1);
    const d = r.detections[0]!;
    expect(d).toMatchObject({ kind: 'code', symbology: 'QRCode', engine: 'tencent' });
    expect(d.text).toBe(readFileSync(`${SAMPLES}/zxing/qrcode-3/01.txt`, 'utf8'));
    expect(d.geometry.kind).toBe('quad');

    // Ground truth: the same code decoded on the full-size page.
    const truth = (await decodeImageCodes(original, { formats: ['QRCode'], tryHarder: true })).results[0]!;
    const p = truth.position;
    const expected = [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft];
    d.geometry.points.forEach((pt, i) => {
      expect(Math.abs(pt.x - expected[i]!.x)).toBeLessThan(20); // a few prepared pixels, in page pixels
      expect(Math.abs(pt.y - expected[i]!.y)).toBeLessThan(20);
    });
    const box = boundingBox(d.geometry)!;
    expect(box.left).toBeGreaterThan(1650);
    expect(box.top).toBeGreaterThan(850);
  }, 240_000);

  it('returns an EAN-13 with no geometry (Tencent gives -1 corners for 1-D codes)', async () => {
    const engine = engineFor(emu, { defaults: { rateLimits: { QrcodeOCR: 50 } } });
    const r = await engine.recognize({ source: source(`${SAMPLES}/zxing/ean13-1/1.png`), task: 'codes' });
    expect(r.detections).toHaveLength(1);
    expect(r.detections[0]).toMatchObject({ symbology: 'EAN-13', text: '8413000065504', geometry: { kind: 'none', points: [] } });
    expect(r.scale).toBe(1);
  });

  it('maps other symbologies to the shared ZXing names', async () => {
    const engine = engineFor(emu, { defaults: { rateLimits: { QrcodeOCR: 50 } } });
    const cases: Array<[string, string]> = [
      ['code128-1/1.png', 'Code128'],
      ['datamatrix-1/0123456789.png', 'DataMatrix'],
      ['pdf417-1/01.png', 'PDF417'],
      ['ean8-1/1.png', 'EAN-8'],
    ];
    for (const [file, symbology] of cases) {
      const path = `${SAMPLES}/zxing/${file}`;
      const r = await engine.recognize({ source: source(path), task: 'codes' });
      expect(r.detections.map((d) => d.symbology)).toContain(symbology);
      const want = readFileSync(path.replace(/\.png$/, '.txt'), 'utf8');
      expect(r.detections.map((d) => d.text)).toContain(want);
    }
  });

  it('treats FailedOperation.ImageNoText as success with no detections', async () => {
    const engine = engineFor(emu, { defaults: { rateLimits: { QrcodeOCR: 50 } } });
    const r = await engine.recognize({ source: source(`${SAMPLES}/zxing-cpp/falsepositives-1/#245.png`), task: 'codes' });
    expect(r.detections).toEqual([]);
    expect(emu.stats.errors['FailedOperation.ImageNoText']).toBeGreaterThanOrEqual(1);
  });

  it('enriches EAN/UPC codes with QueryBarCode product data when asked', async () => {
    emu.configure({ queryBarCode: { mode: 'online', products: { '8413000065504': { ProductName: 'Agua mineral', BrandName: 'Test' } } } });
    const engine = engineFor(emu);
    const r = await engine.recognize({
      source: source(`${SAMPLES}/zxing/ean13-1/1.png`),
      task: 'codes',
      options: { enrichWithProductData: true, rateLimits: { QrcodeOCR: 50, QueryBarCode: 50 } },
    });
    expect(r.detections[0]!.extra?.product).toMatchObject({ ProductName: 'Agua mineral' });
    expect(r.notices).toBeUndefined();
  });

  it('when QueryBarCode is offline: one VENDOR_UNAVAILABLE notice, codes kept, no more lookups', async () => {
    emu.configure({ queryBarCode: { mode: 'offline' } });
    const engine = engineFor(emu);
    const opts = { enrichWithProductData: true, rateLimits: { QrcodeOCR: 50, QueryBarCode: 50 } };
    const before = emu.stats.requests.QueryBarCode ?? 0;
    const r1 = await engine.recognize({ source: source(`${SAMPLES}/zxing/ean13-1/1.png`), task: 'codes', options: opts });
    const r2 = await engine.recognize({ source: source(`${SAMPLES}/zxing/ean13-1/2.png`), task: 'codes', options: opts });
    expect(r1.detections[0]!.text).toBe('8413000065504');
    expect(r1.notices).toHaveLength(1);
    expect(r1.notices![0]).toMatch(/^VENDOR_UNAVAILABLE: .*ActionOffline/);
    expect(r2.detections.length).toBe(1);
    expect((emu.stats.requests.QueryBarCode ?? 0) - before).toBe(1); // asked once, then stopped asking
    // The engine itself keeps working.
    expect(r2.notices).toEqual(r1.notices);
  });

  it('validates plan options with a clear INVALID_INPUT', async () => {
    const engine = engineFor(emu);
    const bad = await engine
      .recognize({ source: source(`${SAMPLES}/zxing/ean13-1/1.png`), task: 'codes', options: { region: 'ap-shanghai' } })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ScanError);
    expect((bad as ScanError).code).toBe('INVALID_INPUT');
    expect((bad as ScanError).message).toMatch(/region/);
    const unknown = await engine
      .recognize({ source: source(`${SAMPLES}/zxing/ean13-1/1.png`), task: 'codes', options: { colour: 'red' } })
      .catch((e: unknown) => e);
    expect((unknown as ScanError).code).toBe('INVALID_INPUT');
    const text = await engine.recognize({ source: source(`${SAMPLES}/zxing/ean13-1/1.png`), task: 'text' }).catch((e: unknown) => e);
    expect((text as ScanError).code).toBe('INVALID_INPUT');
  });
});
