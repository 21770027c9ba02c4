import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../../electron/core/errors';
import type { VendorEvent } from '../../../electron/core/vendors/common';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { failure } from '../../support/scan-error';
import { SAMPLES, SECRET_ID, SECRET_KEY, StaticCredentials, engineFor, source } from './support';

const QR = source(`${SAMPLES}/zxing/qrcode-3/01.png`);
const FAST = { defaults: { rateLimits: { QrcodeOCR: 200 } } };

/** Every message the engine produced must be free of the test secrets. */
function expectNoSecret(messages: string[]): void {
  for (const m of messages) {
    expect(m).not.toContain(SECRET_KEY);
    expect(m).not.toContain(SECRET_ID);
    expect(m).not.toMatch(/Signature=[0-9a-f]{16}/);
  }
}

describe('TencentEngine under faults', () => {
  let emu: TencentEmulator;
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: 200 } });
  });
  afterAll(() => emu.close());

  it('with 10% of requests failing at random, every item ends done or with a final error', async () => {
    const dir = `${SAMPLES}/zxing/qrcode-2`;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .slice(0, 30)
      .map((f) => `${dir}/${f}`);
    emu.configure({
      randomFaults: {
        p: 0.1,
        seed: 2024,
        kinds: [{ kind: 'error', code: 'InternalError' }, { kind: 'http', status: 503 }, { kind: 'error', code: 'RequestLimitExceeded' }, { kind: 'hang' }],
      },
    });
    const events: VendorEvent[] = [];
    const engine = engineFor(emu, { ...FAST, timeoutMs: 3000, onEvent: (e) => events.push(e) });
    try {
      const outcomes = await Promise.allSettled(files.map((f) => engine.recognize({ source: source(f), task: 'codes' })));
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      for (const f of failed) {
        expect(f.reason).toBeInstanceOf(ScanError);
        expect((f.reason as ScanError).errorClass).toBe('final');
      }
      expect(done.length + failed.length).toBe(files.length);
      // Four attempts against p = 0.1: losing an item needs four faults in a row.
      expect(done.length).toBeGreaterThanOrEqual(files.length - 1);
      expect(events.filter((e) => e.type === 'retry').length).toBeGreaterThan(0);
      expectNoSecret(events.map((e) => e.message));
      expect(Object.keys(emu.stats.errors).length).toBeGreaterThan(0);
    } finally {
      emu.configure({ randomFaults: undefined });
    }
  }, 120_000);

  it('a wrong key stops the engine with one clear message and only the in-flight requests are sent', async () => {
    const creds = new StaticCredentials({ secretId: SECRET_ID, secretKey: 'not-the-key-0000000000000000' });
    const engine = engineFor(emu, { ...FAST, concurrency: 3 }, creds);
    const before = emu.stats.requests.QrcodeOCR ?? 0;
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => engine.recognize({ source: QR, task: 'codes' })));
    const errors = outcomes.map((o) => (o as PromiseRejectedResult).reason as ScanError);
    expect(errors.every((e) => e instanceof ScanError && e.code === 'VENDOR_AUTH' && e.errorClass === 'stop-engine')).toBe(true);
    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    expect(errors[0]!.message).toMatch(/Tencent Cloud OCR.*signature did not match.*SecretKey/);
    expect((emu.stats.requests.QrcodeOCR ?? 0) - before).toBeLessThanOrEqual(3);
    expectNoSecret(errors.map((e) => e.message));
    expect(errors[0]!.message).not.toContain('not-the-key');

    // The user fixes the key: the engine works again without being rebuilt.
    creds.set({ secretId: SECRET_ID, secretKey: SECRET_KEY });
    await expect(engine.recognize({ source: QR, task: 'codes' })).resolves.toMatchObject({ detections: [{ symbology: 'QRCode' }] });
  });

  it('no credentials: VENDOR_AUTH before any request', async () => {
    const before = emu.stats.requests.QrcodeOCR ?? 0;
    const e = await failure(engineFor(emu, FAST, new StaticCredentials(null)).recognize({ source: QR, task: 'codes' }));
    expect(e).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
    expect(e.message).toMatch(/no credentials configured/);
    expect(emu.stats.requests.QrcodeOCR ?? 0).toBe(before);
  });

  it('no secret reaches a message even when the service echoes it', async () => {
    const engine = engineFor(emu, FAST);
    emu.injectNext({ kind: 'error', code: 'FailedOperation.ImageBlur', message: `blurry; key=${SECRET_KEY} id=${SECRET_ID}` });
    const e1 = await failure(engine.recognize({ source: QR, task: 'codes' }));
    const unknownId = await failure(
      engineFor(emu, FAST, new StaticCredentials({ secretId: 'AKIDunknownUnknownUnknown', secretKey: SECRET_KEY })).recognize({
        source: QR,
        task: 'codes',
      }),
    );
    expect(unknownId.code).toBe('VENDOR_AUTH');
    expect(unknownId.message).not.toContain('AKIDunknownUnknownUnknown');
    expectNoSecret([e1.message, unknownId.message, String(e1.stack), JSON.stringify(e1)]);
  });

  it('quota exhausted stops the engine with VENDOR_QUOTA', async () => {
    emu.configure({ quotaError: 'ResourceUnavailable.ResourcePackageRunOut' });
    try {
      const e = await failure(engineFor(emu, FAST).recognize({ source: QR, task: 'codes' }));
      expect(e).toMatchObject({ code: 'VENDOR_QUOTA', errorClass: 'stop-engine' });
      expect(e.message).toMatch(/resource package is used up/);
    } finally {
      emu.configure({ quotaError: null });
    }
  });
});
