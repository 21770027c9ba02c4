import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScanError } from '../../../electron/core/errors';
import { WeChatEngine, WECHAT_BUDGET } from '../../../electron/core/vendors/wechat/engine';
import { startWeChatEmulator, type WeChatEmulator } from '../../emulators/wechat/server';
import { errorText, SAMPLES, staticCredentials } from './helpers';
import { cornerError, PageFactory, type TestPage } from './pages';

const APP = { appId: 'wx5f3e2a1b9c8d7e6f', appSecret: '7c2b9e4d1a8f6e3b5c0d9a2f4e6b8c1d' };
const pages = new PageFactory();
let big: TestPage;
let emu: WeChatEmulator;

beforeAll(async () => {
  big = await pages.bigPage();
});
afterAll(() => pages.cleanup());
afterEach(async () => {
  await emu?.close();
});

function engine(url: string, extra: Partial<ConstructorParameters<typeof WeChatEngine>[0]> = {}) {
  return new WeChatEngine({
    credentials: staticCredentials({ wechat: APP }),
    baseUrl: url,
    // Decoding a big noisy page takes the emulator a few seconds on a busy machine.
    timeoutMs: 20_000,
    rateLimits: { qrcode: 100, ocr: 100 },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    ...extra,
  });
}

describe('WeChatEngine (imaging.prepare → emulator → page pixels)', () => {
  it('fits a big page under 2 MB and maps the QR quad back to page pixels', async () => {
    emu = await startWeChatEmulator(APP);
    expect(big.bytes).toBeGreaterThan(WECHAT_BUDGET.maxBytes);
    const res = await engine(emu.url).recognize(big.req);
    expect(res.scale).toBeLessThan(1);
    expect(res.bytesSent).toBeLessThan(2 * 1024 * 1024);
    expect(emu.stats.uploads[0]!.bytes).toBe(res.bytesSent);
    expect(['jpeg', 'png']).toContain(emu.stats.uploads[0]!.format);
    expect(res.pageWidth).toBe(3000);
    expect(res.pageHeight).toBe(2300);
    expect(res.detections).toHaveLength(1);
    const d = res.detections[0]!;
    expect(d).toMatchObject({ kind: 'code', symbology: 'QRCode', text: big.expectedText, engine: 'wechat' });
    expect(d.geometry.kind).toBe('quad');
    // Within a few page pixels of where the code really is (the QR is ~1000 px wide here).
    expect(cornerError(d.geometry.points, big.corners!)).toBeLessThan(3 / res.scale!);
  });

  it('1-D and PDF417 codes come back without a position (geometry none)', async () => {
    emu = await startWeChatEmulator(APP);
    const e = engine(emu.url);
    const pdf = await e.recognize(pages.fromFile(`${SAMPLES}/zxing/pdf417-1/01.png`));
    expect(pdf.detections[0]).toMatchObject({ symbology: 'PDF417', geometry: { kind: 'none', points: [] } });
    const ean = await e.recognize(pages.fromFile(`${SAMPLES}/zxing/ean13-1/1.png`));
    expect(ean.detections[0]).toMatchObject({ symbology: 'EAN-13', text: '8413000065504', geometry: { kind: 'none' } });
    const dm = await e.recognize(pages.fromFile(`${SAMPLES}/zxing/datamatrix-1/GUID.png`));
    expect(dm.detections[0]).toMatchObject({ symbology: 'DataMatrix', geometry: { kind: 'quad' } });
    expect(dm.scale).toBe(1);
  });

  it("task 'text' gives kind 'text' lines with quads in page pixels", async () => {
    emu = await startWeChatEmulator(APP);
    const res = await engine(emu.url).recognize({ ...big.req, task: 'text' });
    expect(res.detections).toHaveLength(1);
    const line = res.detections[0]!;
    expect(line).toMatchObject({ kind: 'text', symbology: 'Text', text: big.expectedText, engine: 'wechat' });
    expect(cornerError(line.geometry.points, big.corners!)).toBeLessThan(3 / res.scale!);
    expect(emu.stats.ocrRequests).toBe(1);
  });

  it('refuses the idcard task, and an auth failure stops the engine with one message for every page', async () => {
    emu = await startWeChatEmulator({ ...APP, ipWhitelisted: false });
    const e = engine(emu.url);
    await expect(e.recognize({ ...big.req, task: 'idcard' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const small = pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => e.recognize(small)));
    const messages = new Set(results.map((r) => (r.status === 'rejected' ? (r.reason as ScanError).message : 'ok')));
    expect(messages.size).toBe(1);
    const [only] = [...messages];
    expect(only).toMatch(/whitelist/);
    expect(results.every((r) => r.status === 'rejected' && (r.reason as ScanError).errorClass === 'stop-engine')).toBe(true);
    expect(emu.stats.stableTokenRequests).toBeLessThanOrEqual(2);
    expect(emu.stats.qrcodeRequests).toBe(0);
    // After the user fixes the whitelist and resets the engine, it works again.
    emu.setWhitelisted(true);
    e.reset();
    expect((await e.recognize(small)).detections).toHaveLength(1);
  });

  it('with 10% injected faults every page ends done or final; no message carries a secret or token', async () => {
    emu = await startWeChatEmulator({ ...APP, faults: { rate: 0.1, seed: 7, randomKinds: ['server-error', 'http-5xx', 'token-expired', 'reset', 'timeout'] } });
    const e = engine(emu.url, { timeoutMs: 1_000 });
    const files = ['qrcode-2/1.png', 'datamatrix-1/GUID.png', 'pdf417-1/01.png', 'code128-1/1.png'].map((f) => pages.fromFile(`${SAMPLES}/zxing/${f}`));
    const results = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => e.recognize(files[i % 4]!)));
    const done = results.filter((r) => r.status === 'fulfilled').length;
    for (const r of results) {
      if (r.status === 'fulfilled') expect(r.value.detections).toHaveLength(1);
      else {
        expect((r.reason as ScanError).errorClass).toBe('final');
        const text = errorText(r.reason);
        expect(text).not.toContain(APP.appSecret);
        for (const t of emu.stats.issuedTokens) expect(text).not.toContain(t);
      }
    }
    expect(emu.faults.served.length).toBeGreaterThan(0);
    expect(done).toBeGreaterThanOrEqual(20);
  });
});
