import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialProvider } from '../../electron/core/credentials/types';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore } from '../../electron/core/settings';
import { accountOf, vendorDay } from '../../electron/core/usage/meter';
import type { OperationUsage, UsageSummary } from '../../shared/usage';
import { findSecrets } from '../integration/support/find-secrets';
import { BUCKET, CREDS, OSS_REGION, copySamples, startEmulators, type Emulators } from '../integration/support/vendors';

/**
 * Every vendor call counted per account, operation and day, in the real SQLite file, while
 * real batches run against the emulators: calls, billable calls, errors, bytes sent; a batch's
 * own spend; OSS image/codes counted for OSS and for IMM; no identifier or secret stored.
 */
let emu: Emulators;
let tmp: string;
let registry: EngineRegistry;
let service: ScanService;

/** The credentials as the keychain would give them (the keychain itself is tested elsewhere). */
const credentials: CredentialProvider = { get: async (v) => ({ ...CREDS[v] }) as never };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-usage-'));
  emu = await startEmulators();
  const settings = new VendorSettingsStore(join(tmp, 'vendor-settings.json'), {});
  settings.update({
    tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT, timeoutMs: 5000 },
    wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL, timeoutMs: 5000 },
    alioss: { endpoint: emu.env.SCANDESK_ALIOSS_ENDPOINT, bucket: BUCKET, region: OSS_REGION, timeoutMs: 5000 },
  });
  registry = createEngineRegistry({ settings, credentials, include: ['local', 'tencent', 'wechat', 'alioss'], retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  service = await openScanService({ dbPath: join(tmp, 'scandesk.db'), engines: registry.engines });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await registry?.close();
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const op = (list: OperationUsage[] | undefined, name: string) => list?.find((o) => o.operation === name);

function account(summary: UsageSummary, vendor: 'tencent' | 'wechat' | 'alioss') {
  const v = summary.vendors.find((x) => x.vendor === vendor);
  expect(v?.accounts).toHaveLength(1);
  return v!.accounts[0]!;
}

describe('vendor usage', () => {
  it('counts Tencent calls: billable answers, "nothing found" (not billed), bytes as base64 sent; the batch shows its spend', async () => {
    const pages = join(tmp, 'tencent');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/10.png', 'b.png': 'zxing/qrcode-2/12.png', 'n.png': 'zxing-cpp/falsepositives-1/#245.png' });
    const before = { bytes: emu.tencent.stats.base64Bytes, ok: emu.tencent.stats.ok.QrcodeOCR ?? 0, requests: emu.tencent.stats.requests.QrcodeOCR ?? 0 };
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'tencent', task: 'codes' } });
    const done = await service.whenSettled(batch.id);
    expect(done.status).toBe('done');

    const a = account(await service.usageSummary(), 'tencent');
    expect(a.label).toBe(`AKID…${CREDS.tencent.secretId.slice(-4)}`);
    const qr = op(a.today, 'QrcodeOCR');
    // What the emulator saw: every request a call, its successful answers billable; the page
    // with no code ("FailedOperation.ImageNoText") is a call that is not billed.
    const ok = (emu.tencent.stats.ok.QrcodeOCR ?? 0) - before.ok;
    expect((emu.tencent.stats.requests.QrcodeOCR ?? 0) - before.requests).toBe(3);
    expect(ok).toBeLessThan(3);
    expect(qr).toMatchObject({ calls: 3, billable: ok, errors: 0 });
    expect(qr!.bytesSent).toBe(emu.tencent.stats.base64Bytes - before.bytes);
    expect(op(a.month, 'QrcodeOCR')).toMatchObject({ calls: 3, billable: ok });

    const spent = await service.batchUsage(batch.id);
    expect(spent.operations).toEqual([{ vendor: 'tencent', operation: 'QrcodeOCR', calls: 3, billable: ok, errors: 0, bytesSent: qr!.bytesSent }]);
  }, 120_000);

  it('counts OSS image/codes twice (OSS and IMM) beside the upload; deletes are calls but free', async () => {
    const pages = join(tmp, 'oss');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/14.png', 'b.png': 'zxing/qrcode-3/01.png' });
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'alioss', task: 'codes' } });
    expect((await service.whenSettled(batch.id)).counts.done).toBe(2);
    const spent = (await service.batchUsage(batch.id)).operations;
    const by = (name: string) => spent.find((o) => o.operation === name);
    expect(by('PutObject')).toMatchObject({ vendor: 'alioss', calls: 2, billable: 2, errors: 0 });
    expect(by('PutObject')!.bytesSent).toBeGreaterThan(1000);
    expect(by('ProcessImage')).toMatchObject({ calls: 2, billable: 2 });
    expect(by('IMM DetectImageCodes')).toMatchObject({ calls: 2, billable: 2, bytesSent: 0 });
    expect(by('DeleteObject')).toMatchObject({ calls: 2, billable: 0 });
    expect(op(account(await service.usageSummary(), 'alioss').today, 'IMM DetectImageCodes')).toMatchObject({ calls: 2, billable: 2 });
  }, 120_000);

  it('warns before a text batch that needs more printedTextOCR calls than are left today', async () => {
    const pages = join(tmp, 'text');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/10.png', 'b.png': 'zxing/qrcode-2/12.png', 'c.png': 'zxing/ean13-1/2.png' });
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'wechat', task: 'text' } });
    expect((await service.whenSettled(batch.id)).counts.done).toBe(3);
    const used = op(account(await service.usageSummary(), 'wechat').today, 'printedTextOCR');
    expect(used).toMatchObject({ calls: 3, billable: 3 });
    // The access_token fetch is a call too (free, but WeChat limits it per day).
    expect((await service.batchUsage(batch.id)).operations.find((o) => o.operation === 'token')).toMatchObject({ calls: 1, billable: 0, errors: 0 });

    // 98 new pages: 97 calls are left today on this account (100 a day on a basic account).
    const many = join(tmp, 'many');
    mkdirSync(many);
    for (let i = 0; i < 98; i++) {
      await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: i, g: 255 - i, b: 7 } } }).png().toFile(join(many, `p${i}.png`));
    }
    const account_ = await registry.usageAccount('wechat');
    expect(account_).toBe(accountOf('wechat', CREDS.wechat.appId).account);
    const est = await service.estimateBatch({ paths: [many], plan: { engine: 'wechat', task: 'text' } }, { account: (v) => registry.usageAccount(v) });
    expect(est.vendors).toEqual([{ vendor: 'wechat', pages: 98, stored: 0, upTo: false }]);
    expect(est.warnings).toEqual([{ vendor: 'wechat', operation: 'printedTextOCR', needed: 98, left: 97, perDay: 100, resetsAt: expect.stringMatching(/T16:00:00\.000Z$/) }]);
    rmSync(join(many, 'p0.png'));
    const fits = await service.estimateBatch({ paths: [many], plan: { engine: 'wechat', task: 'text' } }, { account: (v) => registry.usageAccount(v) });
    expect(fits.warnings).toEqual([]);
    // Codes on WeChat have no such daily quota.
    expect((await service.estimateBatch({ paths: [many], plan: { engine: 'wechat', task: 'codes' } })).warnings).toEqual([]);
  }, 120_000);

  it('counts errors and retries: a failed WeChat call is a call, an error, and not billed', async () => {
    const pages = join(tmp, 'wechat');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/10.png' });
    // The engine holds the access_token of the text batch above: the next two requests are image calls.
    const tokens = emu.wechat.stats.stableTokenRequests;
    emu.wechat.faults.inject('server-error', 2);
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'wechat', task: 'codes' } });
    expect((await service.whenSettled(batch.id)).counts.done).toBe(1);
    const spent = (await service.batchUsage(batch.id)).operations;
    expect(emu.wechat.stats.stableTokenRequests).toBe(tokens);
    expect(spent).toEqual([{ vendor: 'wechat', operation: 'imgQrcode', calls: 3, billable: 1, errors: 2, bytesSent: expect.any(Number) }]);
    // The same file three times (the emulator records the upload it answered).
    expect(spent[0]!.bytesSent).toBe(3 * emu.wechat.stats.uploads.at(-1)!.bytes);
  }, 120_000);

  it('keeps the account history when a batch is deleted; stores no identifier or secret', async () => {
    const first = (await service.listBatches()).find((b) => b.plan.engine === 'tencent')!;
    await service.deleteBatch(first.id);
    await expect(service.batchUsage(first.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(op(account(await service.usageSummary(), 'tencent').today, 'QrcodeOCR')).toMatchObject({ calls: 3 });
    const secrets = Object.fromEntries(Object.values(CREDS).flatMap((c) => Object.entries(c)));
    expect(findSecrets({ secrets, dirs: [tmp], exclude: (p) => p.endsWith('.png') || p.endsWith('.json') })).toEqual([]);
    expect(accountOf('tencent', CREDS.tencent.secretId).account).toMatch(/^[0-9a-f]{16}$/);
  });

  it('says before a batch starts how many pages each vendor gets, not counting stored results', async () => {
    const pages = join(tmp, 'estimate');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/14.png', 'b.png': 'zxing/qrcode-3/01.png', 'c.png': 'zxing/code128-1/1.png' });
    // a and b were sent to OSS above (same bytes): stored; c is new.
    const est = await service.estimateBatch({ paths: [pages], plan: { engine: 'alioss', task: 'codes' } });
    expect(est).toMatchObject({ pages: 3, unreadable: 0, vendors: [{ vendor: 'alioss', pages: 1, stored: 2, upTo: false }], warnings: [] });
    const fallback = await service.estimateBatch({ paths: [pages], plan: { engine: 'local', task: 'codes', fallback: 'tencent' } });
    expect(fallback.vendors).toEqual([{ vendor: 'tencent', pages: 3, stored: 0, upTo: true }]);
    const local = await service.estimateBatch({ paths: [pages], plan: { engine: 'local', task: 'codes' } });
    expect(local.vendors).toEqual([]);
  }, 60_000);

  it('uses the vendors\' day (China Standard Time): 16:00 UTC is already tomorrow', () => {
    expect(vendorDay(Date.UTC(2026, 11, 6, 15, 59))).toBe('2026-12-06');
    expect(vendorDay(Date.UTC(2026, 11, 6, 16, 0))).toBe('2026-12-07');
    expect(readFileSync(join(tmp, 'scandesk.db')).length).toBeGreaterThan(0);
  });
});
