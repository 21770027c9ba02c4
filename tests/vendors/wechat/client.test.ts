import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanError } from '../../../electron/core/errors';
import { WeChatClient, type WeChatClientOptions } from '../../../electron/core/vendors/wechat/client';
import { startWeChatEmulator, type WeChatEmulator, type WeChatEmulatorOptions } from '../../emulators/wechat/server';
import { failure as caught } from '../../support/scan-error';
import { errorText, inOrder, sample, staticCredentials } from './helpers';

const APP = { appId: 'wx5f3e2a1b9c8d7e6f', appSecret: '7c2b9e4d1a8f6e3b5c0d9a2f4e6b8c1d' };
const QR = sample('zxing/qrcode-2/1.png');
const PDF417 = sample('zxing/pdf417-1/01.png');
const EAN13 = sample('zxing/ean13-1/1.png');
const DM = sample('zxing/datamatrix-1/GUID.png');

let emu: WeChatEmulator | null = null;
afterEach(async () => {
  await emu?.close();
  emu = null;
});

async function setup(emuOptions: Partial<WeChatEmulatorOptions> = {}, clientOptions: Partial<WeChatClientOptions> = {}) {
  emu = await startWeChatEmulator({ ...APP, ...emuOptions });
  const credentials = staticCredentials({ wechat: APP });
  const client = new WeChatClient({
    credentials,
    baseUrl: emu.url,
    timeoutMs: 15_000,
    rateLimits: { qrcode: 200, ocr: 200 },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    ...clientOptions,
  });
  return { emu, client, credentials };
}

const png = (b: Buffer) => ({ data: b, format: 'png' as const });

describe('WeChat client against the emulator (real images)', () => {
  it('imgQrcode decodes a real QR code, with its position', async () => {
    const { client, emu } = await setup();
    const res = await client.imgQrcode(png(QR.bytes));
    expect(res.code_results).toHaveLength(1);
    expect(res.code_results[0]).toMatchObject({ type_name: 'QR_CODE', data: QR.expected });
    expect(res.code_results[0]!.pos).toBeDefined();
    expect(res.img_size).toEqual({ w: 404, h: 404 });
    expect(emu.stats.uploads[0]).toMatchObject({ format: 'png', contentType: 'image/png', filename: 'page.png', bytes: QR.bytes.length });
  });

  it('DataMatrix carries pos; PDF417 and EAN-13 come without it', async () => {
    const { client } = await setup();
    const dm = await client.imgQrcode(png(DM.bytes));
    expect(dm.code_results[0]).toMatchObject({ type_name: 'DATA_MATRIX', data: DM.expected });
    expect(dm.code_results[0]!.pos).toBeDefined();
    const pdf = await client.imgQrcode(png(PDF417.bytes));
    expect(pdf.code_results[0]).toMatchObject({ type_name: 'PDF_417', data: PDF417.expected });
    expect(pdf.code_results[0]!.pos).toBeUndefined();
    const ean = await client.imgQrcode(png(EAN13.bytes));
    expect(ean.code_results[0]).toMatchObject({ type_name: 'EAN_13', data: EAN13.expected });
    expect(ean.code_results[0]!.pos).toBeUndefined();
  });

  it('fetches one token, caches it, and shares one in-flight fetch between concurrent callers', async () => {
    const { client, emu } = await setup();
    await Promise.all([1, 2, 3, 4, 5].map(() => client.imgQrcode(png(QR.bytes))));
    expect(emu.stats.stableTokenRequests).toBe(1);
    await client.imgQrcode(png(DM.bytes));
    expect(emu.stats.stableTokenRequests).toBe(1);
    expect(client.tokens.fetches).toBe(1);
    // The stable token, never the old endpoint that replaces everyone's token.
    expect(emu.stats.tokenRequests).toBe(0);
  });

  it('refreshes once on 42001 (expired) and 40001 (forced out), then retries the call; never forces a refresh itself', async () => {
    const { client, emu } = await setup();
    await client.imgQrcode(png(QR.bytes));
    emu.expireTokens();
    const again = await client.imgQrcode(png(QR.bytes));
    expect(again.code_results[0]!.data).toBe(QR.expected);
    expect(emu.stats.stableTokenRequests).toBe(2);
    expect(emu.stats.byErrcode['42001']).toBe(1);

    emu.invalidateTokens();
    // Several callers hit the dead token at once: still one refresh.
    await Promise.all([1, 2, 3].map(() => client.imgQrcode(png(QR.bytes))));
    expect(emu.stats.stableTokenRequests).toBe(3);
    expect(emu.stats.byErrcode['40001']).toBeGreaterThanOrEqual(1);
    // A normal-mode fetch gave a new token each time: no forced refresh was needed.
    expect(emu.stats.forcedRefreshes).toBe(0);
    expect(client.tokens.forcedFetches).toBe(0);
  });

  it('refreshes a token shortly before it expires, without a failed call', async () => {
    let now = 1_000_000;
    const { client, emu } = await setup({ tokenTtlSeconds: 7200 }, { now: () => now });
    await client.imgQrcode(png(QR.bytes));
    now += (7200 - 6 * 60) * 1000; // 6 minutes before expiry: still cached
    await client.imgQrcode(png(QR.bytes));
    expect(emu.stats.stableTokenRequests).toBe(1);
    now += 2 * 60 * 1000; // 4 minutes before expiry: inside the 5-minute margin
    await client.imgQrcode(png(QR.bytes));
    expect(emu.stats.stableTokenRequests).toBe(2);
    expect(emu.stats.byErrcode['42001']).toBeUndefined();
  });

  it('printedTextOCR answers text lines (the emulator reads codes as lines) and enforces its daily quota', async () => {
    const { client, emu } = await setup({ ocrDailyQuota: 2 });
    const res = await client.printedText(png(QR.bytes));
    expect(res.items.map((i) => i.text)).toEqual([QR.expected]);
    await client.printedText(png(QR.bytes));
    const err = await caught(client.printedText(png(QR.bytes)));
    expect(err.code).toBe('VENDOR_QUOTA');
    expect(err.errorClass).toBe('stop-engine');
    expect(err.message).toMatch(/quota is used up.*100 calls a day/);
    expect(err.message).toContain('101003');
    // Stopped: later calls fail the same way without calling WeChat.
    const before = emu.stats.ocrRequests + emu.stats.qrcodeRequests;
    const again = await caught(client.imgQrcode(png(QR.bytes)));
    expect(again).toBe(err);
    expect(emu.stats.ocrRequests + emu.stats.qrcodeRequests).toBe(before);
  });
});

describe('WeChat client: OCR fixtures', () => {
  it('printedTextOCR answers from a fixture keyed by the sha256 of the bytes when one is given', async () => {
    const sha = createHash('sha256').update(QR.bytes).digest('hex');
    const pos = { left_top: { x: 10, y: 20 }, right_top: { x: 200, y: 20 }, right_bottom: { x: 200, y: 40 }, left_bottom: { x: 10, y: 40 } };
    const { client } = await setup({ ocrFixtures: { [sha]: [{ text: '腾讯', pos }, { text: '微信团队' }] } });
    const res = await client.printedText(png(QR.bytes));
    expect(res.items.map((i) => i.text)).toEqual(['腾讯', '微信团队']);
    expect(res.items[0]!.pos).toEqual(pos);
  });
});

describe('WeChat client: every documented error path', () => {
  it('40164 (IP not whitelisted) stops the engine with one clear message', async () => {
    const { client, emu } = await setup({ ipWhitelisted: false });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => client.imgQrcode(png(QR.bytes))));
    const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as ScanError) : null));
    expect(errors.every((e) => e?.code === 'VENDOR_AUTH' && e.errorClass === 'stop-engine')).toBe(true);
    expect(new Set(errors.map((e) => e!.message)).size).toBe(1);
    expect(errors[0]!.message).toMatch(/IP address \(127\.0\.0\.1\).*whitelist/);
    expect(emu.stats.qrcodeRequests).toBe(0);
  });

  it('invalid AppID (40013) and AppSecret (40125) stop the engine and say what to fix', async () => {
    emu = await startWeChatEmulator(APP);
    const badSecret = new WeChatClient({ credentials: staticCredentials({ wechat: { ...APP, appSecret: 'aaaabbbbccccddddeeeeffff00001111' } }), baseUrl: emu.url });
    const e1 = await caught(badSecret.imgQrcode(png(QR.bytes)));
    expect(e1).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(e1.message).toMatch(/AppSecret/);
    expect(errorText(e1)).not.toContain('aaaabbbbccccddddeeeeffff00001111');

    const badId = new WeChatClient({ credentials: staticCredentials({ wechat: { ...APP, appId: 'wx0000000000000000' } }), baseUrl: emu.url });
    const e2 = await caught(badId.imgQrcode(png(QR.bytes)));
    expect(e2).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(e2.message).toMatch(/AppID/);

    const none = new WeChatClient({ credentials: staticCredentials({}), baseUrl: emu.url });
    const e3 = await caught(none.imgQrcode(png(QR.bytes)));
    expect(e3).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(e3.message).toMatch(/not set up/);
    expect(emu.stats.qrcodeRequests).toBe(0);
  });

  it('101002 (not an image WeChat reads) and 40006 (2 MB or more) are final for the item only', async () => {
    const { client } = await setup();
    const webp = sample('zxing-cpp/qrcode-2/#1132.webp');
    const e1 = await caught(client.imgQrcode({ data: webp.bytes, format: 'jpeg' }));
    expect(e1).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    expect(e1.message).toContain('101002');
    const truncated = QR.bytes.subarray(0, 600);
    const e2 = await caught(client.imgQrcode(png(truncated)));
    expect(e2).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    const big = Buffer.concat([QR.bytes, Buffer.alloc(2 * 1024 * 1024)]);
    const e3 = await caught(client.imgQrcode(png(big)));
    expect(e3).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    expect(e3.message).toContain('40006');
    // The engine is not stopped: the next image works.
    expect((await client.imgQrcode(png(QR.bytes))).code_results[0]!.data).toBe(QR.expected);
  });

  it('-1, HTTP 502, dropped connections and timeouts are retried until the call succeeds', async () => {
    const { client, emu } = await setup({}, { timeoutMs: 1_000 });
    const retries: string[] = [];
    const c2 = new WeChatClient({
      credentials: staticCredentials({ wechat: APP }),
      baseUrl: emu.url,
      timeoutMs: 1_000,
      retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20 },
      onEvent: (e) => e.type === 'retry' && retries.push(e.code),
    });
    void client;
    await c2.imgQrcode(png(QR.bytes)); // token first
    for (const f of ['server-error', 'http-5xx', 'reset', 'timeout'] as const) emu.faults.inject(f);
    const res = await c2.imgQrcode(png(QR.bytes));
    expect(res.code_results[0]!.data).toBe(QR.expected);
    expect(emu.faults.served).toEqual(['server-error', 'http-5xx', 'reset', 'timeout']);
    // In order (a busy machine may add a slow answer's TIMEOUT in between).
    expect(inOrder(retries, ['VENDOR_SERVER', 'VENDOR_SERVER', 'NETWORK', 'TIMEOUT'])).toBe(true);
  });

  it('a fault that outlasts the retries ends final for the item (not a stop)', async () => {
    const { client, emu } = await setup();
    await client.imgQrcode(png(QR.bytes));
    emu.faults.inject('server-error', 10);
    const err = await caught(client.imgQrcode(png(QR.bytes)));
    expect(err).toMatchObject({ code: 'VENDOR_SERVER', errorClass: 'final' });
    expect(err.message).toMatch(/gave up after 4 attempts/);
  });

  it('with 10% injected faults every request ends done or final, and no message holds a secret', async () => {
    const { client, emu } = await setup({ faults: { rate: 0.1, seed: 20261121, randomKinds: ['server-error', 'http-5xx', 'token-expired', 'reset', 'timeout'] } }, { timeoutMs: 1_000 });
    const images = [QR, DM, PDF417, EAN13];
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => client.imgQrcode(png(images[i % 4]!.bytes))));
    let done = 0;
    for (const [i, o] of outcomes.entries()) {
      if (o.status === 'fulfilled') {
        done++;
        expect(o.value.code_results[0]!.data).toBe(images[i % 4]!.expected);
      } else {
        expect(o.reason).toBeInstanceOf(ScanError);
        expect((o.reason as ScanError).errorClass).toBe('final');
        const text = errorText(o.reason);
        expect(text).not.toContain(APP.appSecret);
        for (const t of emu.stats.issuedTokens) expect(text).not.toContain(t);
      }
    }
    expect(emu.faults.served.length).toBeGreaterThan(0);
    expect(done).toBeGreaterThanOrEqual(36);
    expect(client.caller.stopped).toBeNull();
  });

  it('testConnection asks for the stable token (replacing nobody\'s) and reports auth problems', async () => {
    const { client, emu } = await setup();
    await client.testConnection();
    expect(emu.stats.stableTokenRequests).toBe(1);
    expect(emu.stats.tokenRequests).toBe(0);
    emu.setWhitelisted(false);
    const err = await caught(client.testConnection());
    expect(err.code).toBe('VENDOR_AUTH');
    // A failed test does not latch the engine.
    expect(client.caller.stopped).toBeNull();
  });
});
