import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { failure } from '../../support/scan-error';
import { SAMPLES, SECRET_ID, SECRET_KEY, engineFor, source } from './support';

const QR = source(`${SAMPLES}/zxing/qrcode-3/01.png`);
const FAST = { defaults: { rateLimits: { QrcodeOCR: 200, IDCardOCR: 200 } } };

/** Every code the seeds document, and what the product must do with it. */
const FINAL: Array<[string, string]> = [
  ['FailedOperation.DownLoadError', 'VENDOR_REJECTED'],
  ['FailedOperation.EmptyImageError', 'VENDOR_REJECTED'],
  ['FailedOperation.ImageBlur', 'VENDOR_REJECTED'],
  ['FailedOperation.ImageDecodeFailed', 'VENDOR_REJECTED'],
  ['FailedOperation.ImageSizeTooLarge', 'IMAGE_TOO_LARGE'],
  ['InvalidParameter.EngineImageDecodeFailed', 'VENDOR_REJECTED'],
  ['InvalidParameterValue.InvalidParameterValueLimit', 'VENDOR_REJECTED'],
  ['LimitExceeded.TooLargeFileError', 'IMAGE_TOO_LARGE'],
  ['FailedOperation.CardSideError', 'VENDOR_REJECTED'],
  ['FailedOperation.IdCardInfoIllegal', 'VENDOR_REJECTED'],
  ['FailedOperation.IdCardTooSmall', 'VENDOR_REJECTED'],
  ['FailedOperation.MultiCardError', 'VENDOR_REJECTED'],
  ['InvalidParameter.ConfigFormatError', 'VENDOR_REJECTED'],
  ['InvalidParameter.InvalidGTINError', 'VENDOR_REJECTED'],
];
const RETRY: Array<[string, string]> = [
  ['RequestLimitExceeded', 'VENDOR_RATE_LIMIT'],
  ['InternalError', 'VENDOR_SERVER'],
  ['FailedOperation.UnKnowError', 'VENDOR_SERVER'],
  ['FailedOperation.OcrFailed', 'VENDOR_SERVER'],
];
const STOP: Array<[string, string]> = [
  ['AuthFailure.SignatureFailure', 'VENDOR_AUTH'],
  ['AuthFailure.SignatureExpire', 'VENDOR_AUTH'],
  ['AuthFailure.SecretIdNotFound', 'VENDOR_AUTH'],
  ['FailedOperation.UnOpenError', 'VENDOR_AUTH'],
  ['ResourcesSoldOut.ChargeStatusException', 'VENDOR_QUOTA'],
  ['ResourceUnavailable.InArrears', 'VENDOR_QUOTA'],
  ['ResourceUnavailable.ResourcePackageRunOut', 'VENDOR_QUOTA'],
  ['InvalidAction', 'VENDOR_UNAVAILABLE'],
  ['ActionOffline', 'VENDOR_UNAVAILABLE'],
];

describe('Tencent error mapping, end to end through the SDK and the emulator', () => {
  let emu: TencentEmulator;
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 200, IDCardOCR: 200 } });
  });
  afterAll(() => emu.close());

  it.each(FINAL)('%s is final for the item (%s), not retried', async (code, expected) => {
    const engine = engineFor(emu, FAST);
    const before = emu.stats.requests.QrcodeOCR ?? 0;
    emu.injectNext({ kind: 'error', code, message: `injected ${code}` });
    const e = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect(e.code).toBe(expected);
    expect(e.errorClass).toBe('final');
    expect(e.message).toContain(code);
    expect((emu.stats.requests.QrcodeOCR ?? 0) - before).toBe(1);
    // The next item goes through: a final error does not stop the engine.
    await expect(engine.recognize({ source: QR, task: 'codes' })).resolves.toMatchObject({ detections: [{ symbology: 'QRCode' }] });
  });

  it.each(RETRY)('%s is retried (%s): once → done; every time → final after 4 attempts', async (code, expected) => {
    const engine = engineFor(emu, FAST);
    emu.injectNext({ kind: 'error', code });
    const ok = await engine.recognize({ source: QR, task: 'codes' });
    expect(ok.detections).toHaveLength(1);
    emu.injectNext(...Array.from({ length: 4 }, () => ({ kind: 'error' as const, code })));
    const e = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect(e.code).toBe(expected);
    expect(e.errorClass).toBe('final');
    expect(e.message).toMatch(/gave up after 4 attempts/);
  });

  it.each(STOP)('%s stops the engine (%s) with one clear message', async (code, expected) => {
    const engine = engineFor(emu, FAST);
    emu.injectNext({ kind: 'error', code });
    const e1 = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect(e1.code).toBe(expected);
    expect(e1.errorClass).toBe('stop-engine');
    const before = emu.stats.requests.QrcodeOCR ?? 0;
    const e2 = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect(e2.message).toBe(e1.message);
    expect(emu.stats.requests.QrcodeOCR ?? 0).toBe(before); // not asked again
  });

  it('HTTP 5xx and a hung request are retried, then final', async () => {
    const engine = engineFor(emu, { ...FAST, timeoutMs: 1500 });
    emu.injectNext({ kind: 'http', status: 502 }, { kind: 'hang' });
    await expect(engine.recognize({ source: QR, task: 'codes' })).resolves.toMatchObject({ detections: [{ symbology: 'QRCode' }] });
    emu.injectNext(...Array.from({ length: 4 }, () => ({ kind: 'http' as const, status: 503 })));
    const e = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect([e.code, e.errorClass]).toEqual(['VENDOR_SERVER', 'final']);
    emu.injectNext(...Array.from({ length: 4 }, () => ({ kind: 'hang' as const })));
    const t = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect([t.code, t.errorClass]).toEqual(['TIMEOUT', 'final']);
  });

  it('real (not injected) refusals: over the service size limit, nothing fits, clock skew', async () => {
    // A service stricter than our budget (the account option says 3 MB, this one takes 1000 bytes).
    const strict = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, maxBase64: { QrcodeOCR: 1000 } });
    try {
      const big = await failure(engineFor(strict).recognize({ source: QR, task: 'codes' }));
      expect([big.code, big.errorClass]).toEqual(['IMAGE_TOO_LARGE', 'final']);
      expect(big.message).toContain('LimitExceeded.TooLargeFileError');
    } finally {
      await strict.close();
    }
    // 16 bytes cannot hold any image: prepare says so before anything is sent.
    const before = emu.stats.requests.QrcodeOCR ?? 0;
    const tiny = await failure(
      engineFor(emu, FAST).recognize({ source: QR, task: 'codes', options: { maxBase64Bytes: { QrcodeOCR: 16 } } }),
    );
    expect(tiny.code).toBe('IMAGE_TOO_LARGE');
    expect(emu.stats.requests.QrcodeOCR ?? 0).toBe(before);
    const skewed = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, maxSkewSeconds: -1 });
    try {
      const s = await failure(engineFor(skewed).recognize({ source: QR, task: 'codes' }));
      expect(s.code).toBe('VENDOR_AUTH');
      expect(s.message).toMatch(/clock/);
    } finally {
      await skewed.close();
    }
  });

  it('a closed service is a NETWORK error (retried, then final); a cancelled call is CANCELLED', async () => {
    const gone = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY } });
    const engine = engineFor(gone, FAST);
    await gone.close();
    const e = await failure(engine.recognize({ source: QR, task: 'codes' }));
    expect(e.code).toBe('NETWORK');
    expect(e.errorClass).toBe('final');
    expect(e.message).toMatch(/ECONNREFUSED/);

    const ac = new AbortController();
    emu.injectNext({ kind: 'hang' });
    const p = engineFor(emu, FAST).recognize({ source: QR, task: 'codes', signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const c = await failure(p);
    expect(c.code).toBe('CANCELLED');
  });
});
