import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { AliOssClient, type AliOssClientOptions } from '../../../electron/core/vendors/alioss/client';
import { decodeCodes } from '../../emulators/wechat/decode';
import { startOssEmulator, type OssEmulator, type OssEmulatorOptions } from '../../emulators/alioss/server';
import { failure as caught } from '../../support/scan-error';
import { errorText, inOrder, sample, staticCredentials } from '../wechat/helpers';

const KEYS = { accessKeyId: 'LTAI5tQx7ScanDeskTest01', accessKeySecret: 'k8Jf2VnQ9pL3xR7tY1wZ5bC0dE4gH6mN' };
const BUCKET = 'scandesk-test';
const REGION = 'cn-hangzhou';
const QR = sample('zxing/qrcode-2/1.png');
const EAN13 = sample('zxing/ean13-1/1.png');

let emu: OssEmulator | null = null;
afterEach(async () => {
  await emu?.close();
  emu = null;
});

async function setup(emuOptions: Partial<OssEmulatorOptions> = {}, clientOptions: Partial<AliOssClientOptions> = {}) {
  emu = await startOssEmulator({ bucket: BUCKET, region: REGION, ...KEYS, ...emuOptions });
  const client = new AliOssClient({
    credentials: staticCredentials({ alioss: KEYS }),
    region: REGION,
    bucket: BUCKET,
    endpoint: emu.endpoint,
    timeoutMs: 15_000,
    rateLimits: { PutObject: 200, ProcessImage: 200, DeleteObject: 200 },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    ...clientOptions,
  });
  return { emu, client };
}

describe('OSS client (unchanged ali-oss, signature V4) against the emulator', () => {
  it('uploads, detects codes in the real image (rectangle), deletes', async () => {
    const { client, emu } = await setup();
    const key = 'scandesk-tmp/2026-11-21/qr.png';
    await client.put(key, QR.bytes, 'image/png');
    expect(emu.objects.get(key)?.body.equals(QR.bytes)).toBe(true);
    const res = await client.detectCodes(key);
    expect(res.Codes).toHaveLength(1);
    expect(res.Codes[0]!.Content).toBe(QR.expected);
    const b = res.Codes[0]!.Boundary!;
    expect(b.Width).toBeGreaterThan(100);
    expect(b.Left + b.Width).toBeLessThanOrEqual(404);
    expect(res.RequestId).toMatch(/^[0-9A-F]{24}$/);
    await client.delete(key);
    expect(emu.objects.has(key)).toBe(false);
    // Every request was V4-signed and accepted; the bucket came from the virtual-host name.
    expect(emu.log.map((l) => [l.op, l.status])).toEqual([
      ['PutObject', 200],
      ['ProcessImage', 200],
      ['DeleteObject', 204],
    ]);
  });

  it('keys with spaces, plus signs and non-ASCII characters sign and round-trip', async () => {
    const { client, emu } = await setup();
    const key = 'scandesk-tmp/a b+c/ünï (1).png';
    await client.put(key, QR.bytes, 'image/png');
    expect(emu.objects.has(key)).toBe(true);
    expect((await client.detectCodes(key)).Codes[0]!.Content).toBe(QR.expected);
  });

  it('testConnection does what a batch does under the upload prefix (put, image/codes, delete), not GetBucketInfo', async () => {
    const { client, emu } = await setup();
    await client.testConnection();
    expect(emu.log.map((l) => [l.op, l.status])).toEqual([
      ['PutObject', 200],
      ['ProcessImage', 200],
      ['DeleteObject', 204],
    ]);
    expect(emu.log.every((l) => l.key.startsWith('scandesk-tmp/scandesk-connection-test/'))).toBe(true);
    expect(emu.objects.size).toBe(0);
  });

  it('a wrong secret is SignatureDoesNotMatch → VENDOR_AUTH, stops the engine, never shows the secret', async () => {
    const wrong = 'wrongSecretWrongSecretWrongSecret';
    const { client, emu } = await setup({}, { credentials: staticCredentials({ alioss: { ...KEYS, accessKeySecret: wrong } }) });
    const err = await caught(client.put('scandesk-tmp/x.png', QR.bytes, 'image/png'));
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/signature.*secret is wrong.*region \(cn-hangzhou\)/);
    expect(errorText(err)).not.toContain(wrong);
    expect(emu.log[0]).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // Latched: the next call fails the same way without a request.
    expect(await caught(client.detectCodes('scandesk-tmp/x.png'))).toBe(err);
    expect(emu.log).toHaveLength(1);
  });

  it('unknown AccessKey ID, wrong region, no credentials: VENDOR_AUTH with what to fix', async () => {
    const a = await setup({}, { credentials: staticCredentials({ alioss: { ...KEYS, accessKeyId: 'LTAI5tUnknownKey000001' } }) });
    expect(await caught(a.client.put('k.png', QR.bytes, 'image/png'))).toMatchObject({ code: 'VENDOR_AUTH', message: expect.stringMatching(/AccessKey ID/) });
    await a.emu.close();
    emu = null;
    const b = await setup({}, { region: 'cn-shanghai' });
    expect(await caught(b.client.put('k.png', QR.bytes, 'image/png'))).toMatchObject({ code: 'VENDOR_AUTH', message: expect.stringMatching(/region \(cn-shanghai\)/) });
    const none = new AliOssClient({ credentials: staticCredentials({}), region: REGION, bucket: BUCKET, endpoint: b.emu.endpoint });
    expect(await caught(none.put('k.png', QR.bytes, 'image/png'))).toMatchObject({ code: 'VENDOR_AUTH', message: expect.stringMatching(/not set up/) });
  });

  it('a skewed clock is RequestTimeTooSkewed → VENDOR_AUTH telling the user to check the clock', async () => {
    const { client } = await setup({ clockOffsetMs: 20 * 60_000 });
    const err = await caught(client.put('k.png', QR.bytes, 'image/png'));
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/check your clock/);
  });

  it('a bucket that does not exist stops the engine; a missing key or a non-image is final for the item', async () => {
    const { client, emu } = await setup();
    const other = new AliOssClient({ credentials: staticCredentials({ alioss: KEYS }), region: REGION, bucket: 'no-such-bucket', endpoint: emu.endpoint });
    expect(await caught(other.put('k.png', QR.bytes, 'image/png'))).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'stop-engine' });

    expect(await caught(client.detectCodes('scandesk-tmp/missing.png'))).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    await client.put('scandesk-tmp/not-an-image.png', Buffer.from('this is not an image at all'), 'image/png');
    expect(await caught(client.detectCodes('scandesk-tmp/not-an-image.png'))).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    expect(client.caller.stopped).toBeNull();
  });

  it('5xx, 503 SlowDown, dropped connections and timeouts are retried', async () => {
    const codes: string[] = [];
    const { client, emu } = await setup({}, { timeoutMs: 1_000, retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20 }, onEvent: (e) => e.type === 'retry' && codes.push(e.code) });
    for (const f of ['server-error', 'http-5xx', 'rate-limit', 'reset', 'timeout'] as const) emu.faults.inject(f);
    await client.put('scandesk-tmp/r.png', EAN13.bytes, 'image/png');
    expect(emu.faults.served).toEqual(['server-error', 'http-5xx', 'rate-limit', 'reset', 'timeout']);
    expect(inOrder(codes, ['VENDOR_SERVER', 'VENDOR_SERVER', 'VENDOR_RATE_LIMIT', 'NETWORK', 'TIMEOUT'])).toBe(true);
    expect((await client.detectCodes('scandesk-tmp/r.png')).Codes[0]!.Content).toBe(EAN13.expected);
  });

  it('answers at most 5 codes for a page holding 6', async () => {
    const { client } = await setup();
    const tile = await sharp(QR.bytes).resize(300, 300).png().toBuffer();
    const page = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#ffffff' } })
      .composite([0, 1, 2, 3, 4, 5].map((i) => ({ input: tile, left: 20 + (i % 3) * 330, top: 20 + Math.floor(i / 3) * 340 })))
      .png()
      .toBuffer();
    // The page really holds six readable codes; the cap is the vendor's, not the decoder's.
    expect((await decodeCodes(page, {})).results).toHaveLength(6);
    await client.put('scandesk-tmp/six.png', page, 'image/png');
    const res = await client.detectCodes('scandesk-tmp/six.png');
    expect(res.Codes).toHaveLength(5);
    expect(res.Codes.every((c) => c.Content === QR.expected)).toBe(true);
  });
});
