import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boundingBox } from '../../../shared/geometry';
import { ScanError } from '../../../electron/core/errors';
import { AliOssEngine, type AliOssEngineOptions } from '../../../electron/core/vendors/alioss/engine';
import { startOssEmulator, type OssEmulator, type OssEmulatorOptions } from '../../emulators/alioss/server';
import { errorText, SAMPLES, staticCredentials } from '../wechat/helpers';
import { PageFactory, type TestPage } from '../wechat/pages';

const KEYS = { accessKeyId: 'LTAI5tQx7ScanDeskTest01', accessKeySecret: 'k8Jf2VnQ9pL3xR7tY1wZ5bC0dE4gH6mN' };
const BUCKET = 'scandesk-test';
const REGION = 'cn-hangzhou';
const KEY_SHAPE = /^scandesk-tmp\/2026-11-21\/[0-9a-f]{64}\.(png|jpg)$/;

const pages = new PageFactory();
let big: TestPage;
let emu: OssEmulator;

beforeAll(async () => {
  big = await pages.bigPage('oss-big.png');
});
afterAll(() => pages.cleanup());
afterEach(async () => {
  await emu?.close();
});

async function setup(emuOptions: Partial<OssEmulatorOptions> = {}, engineOptions: Partial<AliOssEngineOptions> = {}) {
  emu = await startOssEmulator({ bucket: BUCKET, region: REGION, ...KEYS, ...emuOptions });
  const engine = new AliOssEngine({
    credentials: staticCredentials({ alioss: KEYS }),
    region: 'oss-cn-hangzhou',
    bucket: BUCKET,
    endpoint: emu.endpoint,
    timeoutMs: 20_000,
    rateLimits: { PutObject: 100, ProcessImage: 100, DeleteObject: 100 },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    today: () => new Date('2026-11-21T10:00:00Z'),
    ...engineOptions,
  });
  return { emu, engine };
}

describe('AliOssEngine (prepare → PutObject → image/codes → DeleteObject)', () => {
  it('maps the rectangle back to page pixels after prepare shrank the page, and deletes the upload', async () => {
    const { engine, emu } = await setup({}, { maxUploadBytes: 1_000_000 });
    const res = await engine.recognize(big.req);
    expect(res.scale).toBeLessThan(1);
    expect(res.bytesSent).toBeLessThanOrEqual(1_000_000);
    expect(res.pageWidth).toBe(3000);
    expect(res.requestId).toMatch(/^[0-9A-F]{24}$/);
    expect(res.detections).toHaveLength(1);
    const d = res.detections[0]!;
    expect(d).toMatchObject({ kind: 'code', text: big.expectedText, engine: 'alioss', geometry: { kind: 'rect' } });
    const got = boundingBox(d.geometry)!;
    const want = boundingBox({ kind: 'quad', points: big.corners! })!;
    const tol = 3 / res.scale!;
    expect(Math.abs(got.left - want.left)).toBeLessThan(tol);
    expect(Math.abs(got.top - want.top)).toBeLessThan(tol);
    expect(Math.abs(got.width - want.width)).toBeLessThan(2 * tol);
    expect(Math.abs(got.height - want.height)).toBeLessThan(2 * tol);
    // Uploaded under the clear prefix, then deleted.
    const put = emu.log.find((l) => l.op === 'PutObject')!;
    expect(put.key).toMatch(KEY_SHAPE);
    expect(emu.log.map((l) => l.op)).toEqual(['PutObject', 'ProcessImage', 'DeleteObject']);
    expect(emu.objects.size).toBe(0);
    expect(res.notices).toBeUndefined();
  });

  it('keeps the upload when asked (engine option or per-batch option) and says where', async () => {
    const { engine, emu } = await setup({}, { keepUploads: true });
    const small = pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`);
    const res = await engine.recognize(small);
    expect([...emu.objects.keys()]).toHaveLength(1);
    expect([...emu.objects.keys()][0]).toMatch(KEY_SHAPE);
    expect(res.notices).toEqual([`Uploaded pages are kept in oss://${BUCKET}/scandesk-tmp/ (keepUploads is on).`]);
    // Per-batch option overrides the engine default.
    const other = pages.fromFile(`${SAMPLES}/zxing/datamatrix-1/GUID.png`);
    await engine.recognize({ ...other, options: { keepUploads: false } });
    expect(emu.objects.size).toBe(1);
    await expect(engine.recognize({ ...other, options: { bucket: 'x' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('adds a notice when exactly 5 codes come back (OSS caps at 5), none for fewer', async () => {
    const { engine } = await setup();
    const six = await pages.tiles(6);
    const res6 = await engine.recognize(six.req);
    expect(res6.detections).toHaveLength(5);
    expect(res6.detections.every((d) => d.text === six.expectedText && d.geometry.kind === 'rect')).toBe(true);
    expect(res6.notices?.[0]).toMatch(/at most 5 codes.*may hold more/);
    const three = await pages.tiles(3);
    const res3 = await engine.recognize(three.req);
    expect(res3.detections).toHaveLength(3);
    expect(res3.notices).toBeUndefined();
  });

  it('an auth failure stops the engine with one clear message; nothing is left in the bucket', async () => {
    const wrong = 'WrongSecretWrongSecretWrongSecret';
    const { engine, emu } = await setup({}, { credentials: staticCredentials({ alioss: { ...KEYS, accessKeySecret: wrong } }) });
    const small = pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => engine.recognize(small)));
    const errs = results.map((r) => (r.status === 'rejected' ? (r.reason as ScanError) : null));
    expect(errs.every((e) => e?.code === 'VENDOR_AUTH' && e.errorClass === 'stop-engine')).toBe(true);
    expect(new Set(errs.map((e) => e!.message)).size).toBe(1);
    expect(errorText(errs[0])).not.toContain(wrong);
    expect(emu.log.length).toBeLessThanOrEqual(engine.concurrency);
    expect(emu.objects.size).toBe(0);
  });

  it('with 10% injected faults every page ends done or final, and uploads are cleaned up', async () => {
    const { engine, emu } = await setup({ faults: { rate: 0.1, seed: 42, randomKinds: ['server-error', 'http-5xx', 'rate-limit', 'reset', 'timeout'] } }, { timeoutMs: 1_500 });
    const files = ['qrcode-2/1.png', 'datamatrix-1/GUID.png', 'pdf417-1/01.png', 'code128-1/1.png', 'ean13-1/1.png'].map((f) => pages.fromFile(`${SAMPLES}/zxing/${f}`));
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => engine.recognize(files[i % 5]!)));
    let done = 0;
    let deleteNotices = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        done++;
        expect(r.value.detections).toHaveLength(1);
        deleteNotices += (r.value.notices ?? []).filter((n) => n.startsWith('Could not delete')).length;
      } else {
        expect(r.reason).toBeInstanceOf(ScanError);
        expect((r.reason as ScanError).errorClass).toBe('final');
        expect(errorText(r.reason)).not.toContain(KEYS.accessKeySecret);
      }
    }
    expect(emu.faults.served.length).toBeGreaterThan(0);
    expect(done).toBeGreaterThanOrEqual(16);
    // Whatever was uploaded is gone, except where a delete itself failed (and said so).
    expect(emu.objects.size).toBeLessThanOrEqual(deleteNotices);
    expect(engine.client.caller.stopped).toBeNull();
  });

  it('refuses tasks other than codes', async () => {
    const { engine } = await setup();
    await expect(engine.recognize({ ...big.req, task: 'text' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
