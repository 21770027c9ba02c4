import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY } from './constants';
import { post } from './signed-post';

const b64 = (p: string): string => readFileSync(p).toString('base64');

describe('Tencent OCR emulator follows the documents', () => {
  let emu: TencentEmulator;
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 1000 } });
  });
  afterAll(() => emu.close());

  it('answers QrcodeOCR in the documented shape, decoding the real image', async () => {
    const r = await post(emu, 'QrcodeOCR', { ImageBase64: b64(`${SAMPLES}/zxing/qrcode-3/01.png`) });
    expect(r.Error).toBeUndefined();
    expect(r.CodeResults).toHaveLength(1);
    expect(r.CodeResults![0]!.TypeName).toBe('QR_CODE');
    expect(r.CodeResults![0]!.Url).toBe(readFileSync(`${SAMPLES}/zxing/qrcode-3/01.txt`, 'utf8'));
    expect(Object.keys(r.CodeResults![0]!.Position)).toEqual(['LeftTop', 'RightTop', 'RightBottom', 'LeftBottom']);
    expect(r.ImgSize).toEqual({ Wide: 240, High: 240 });
    expect(typeof r.RequestId).toBe('string');
  });

  it('gives 1-D barcodes every corner at -1', async () => {
    const r = await post(emu, 'QrcodeOCR', { ImageBase64: b64(`${SAMPLES}/zxing/ean13-1/1.png`) });
    expect(r.CodeResults![0]!.TypeName).toBe('EAN-13');
    expect(r.CodeResults![0]!.Url).toBe('8413000065504');
    for (const c of Object.values(r.CodeResults![0]!.Position)) expect(c).toEqual({ X: -1, Y: -1 });
  });

  it('answers FailedOperation.ImageNoText for an image without codes', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const r = await post(emu, 'QrcodeOCR', { ImageBase64: png.toString('base64') });
    expect(r.Error?.Code).toBe('FailedOperation.ImageNoText');
  });

  it('checks authentication: unknown SecretId, bad signature, clock skew over 5 minutes', async () => {
    const img = { ImageBase64: b64(`${SAMPLES}/zxing/qrcode-3/01.png`) };
    expect((await post(emu, 'QrcodeOCR', img, { secretId: 'AKIDnobody' })).Error?.Code).toBe('AuthFailure.SecretIdNotFound');
    expect((await post(emu, 'QrcodeOCR', img, { secretKey: 'wrong' })).Error?.Code).toBe('AuthFailure.SignatureFailure');
    const old = Math.floor(Date.now() / 1000) - 301;
    expect((await post(emu, 'QrcodeOCR', img, { timestamp: old })).Error?.Code).toBe('AuthFailure.SignatureExpire');
    const skewedButOk = Math.floor(Date.now() / 1000) - 240;
    expect((await post(emu, 'QrcodeOCR', img, { timestamp: skewedButOk })).Error).toBeUndefined();
  });

  it('enforces region, size and format limits with the documented codes', async () => {
    const img = b64(`${SAMPLES}/zxing/qrcode-3/01.png`);
    expect((await post(emu, 'QrcodeOCR', { ImageBase64: img }, { region: null })).Error?.Code).toBe('UnsupportedRegion');
    expect((await post(emu, 'QrcodeOCR', { ImageBase64: img }, { region: 'ap-shanghai' })).Error?.Code).toBe('UnsupportedRegion');
    expect((await post(emu, 'QrcodeOCR', {})).Error?.Code).toBe('FailedOperation.EmptyImageError');
    expect((await post(emu, 'QrcodeOCR', { ImageUrl: 'https://example.invalid/a.jpg' })).Error?.Code).toBe('FailedOperation.DownLoadError');
    const big = 'A'.repeat(3 * 1024 * 1024 + 4);
    expect((await post(emu, 'QrcodeOCR', { ImageBase64: big })).Error?.Code).toBe('LimitExceeded.TooLargeFileError');
    const webp = b64(`${SAMPLES}/zxing-cpp/qrcode-2/#1132.webp`);
    expect((await post(emu, 'QrcodeOCR', { ImageBase64: webp })).Error?.Code).toBe('FailedOperation.ImageDecodeFailed');
    const truncated = readFileSync(`${SAMPLES}/zxing/qrcode-3/01.png`).subarray(0, 40).toString('base64');
    expect((await post(emu, 'QrcodeOCR', { ImageBase64: truncated })).Error?.Code).toBe('InvalidParameter.EngineImageDecodeFailed');
    expect((await post(emu, 'QrcodeOCR', { ImageBase64: '***' })).Error?.Code).toBe('InvalidParameter.EngineImageDecodeFailed');
    expect((await post(emu, 'NoSuchThing', {})).Error?.Code).toBe('InvalidAction');
  });

  it('rate-limits per action at the configured rate', async () => {
    const limited = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 3 } });
    try {
      const img = { ImageBase64: b64(`${SAMPLES}/zxing/qrcode-3/01.png`) };
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(limited, 'QrcodeOCR', img)));
      const passed = answers.filter((a) => a.CodeResults).length;
      const refused = answers.filter((a) => a.Error?.Code === 'RequestLimitExceeded').length;
      expect(passed + refused).toBe(20);
      // A token bucket at 3/s with a burst of 3 lets through at most 3 + 3/s over the span.
      const arrivals = limited.stats.arrivals;
      const spanSeconds = (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000;
      expect(passed).toBeGreaterThanOrEqual(3);
      expect(passed).toBeLessThanOrEqual(3 + Math.ceil(3 * spanSeconds) + 1);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('injects faults on request and at a seeded random rate', async () => {
    const img = { ImageBase64: b64(`${SAMPLES}/zxing/qrcode-3/01.png`) };
    emu.injectNext({ kind: 'error', code: 'InternalError' }, { kind: 'error', code: 'ResourcesSoldOut.ChargeStatusException' });
    expect((await post(emu, 'QrcodeOCR', img)).Error?.Code).toBe('InternalError');
    expect((await post(emu, 'QrcodeOCR', img)).Error?.Code).toBe('ResourcesSoldOut.ChargeStatusException');
    expect((await post(emu, 'QrcodeOCR', img)).Error).toBeUndefined();
    const run = async (): Promise<string[]> => {
      emu.configure({ randomFaults: { p: 0.5, seed: 99, kinds: [{ kind: 'error', code: 'InternalError' }] } });
      const out: string[] = [];
      for (let i = 0; i < 12; i++) out.push((await post(emu, 'QrcodeOCR', img)).Error?.Code ?? 'ok');
      return out;
    };
    const a = await run();
    const b = await run();
    emu.configure({ randomFaults: undefined });
    expect(a).toEqual(b); // seeded: the same sequence each time
    expect(a.filter((x) => x === 'InternalError').length).toBeGreaterThan(0);
    expect(a.filter((x) => x === 'ok').length).toBeGreaterThan(0);
  });

  it('answers QueryBarCode per its switch', async () => {
    emu.configure({ queryBarCode: { mode: 'offline' } });
    expect((await post(emu, 'QueryBarCode', { BarCode: '06941858722888' })).Error?.Code).toBe('ActionOffline');
    emu.configure({ queryBarCode: { mode: 'online', products: { '6941858722888': { ProductName: '测试' } } } });
    const r = await post(emu, 'QueryBarCode', { BarCode: '06941858722888' });
    expect(r.ProductDataRecords![0]!.ProductName).toBe('测试');
    expect((await post(emu, 'QueryBarCode', { BarCode: 'abc' })).Error?.Code).toBe('InvalidParameter.InvalidGTINError');
  });
});
