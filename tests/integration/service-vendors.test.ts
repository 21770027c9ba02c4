import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../electron/core/credentials/store';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { openScanService } from '../../electron/core/service';
import type { Notice, ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore } from '../../electron/core/settings';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { filesSearched, findSecrets } from './support/find-secrets';
import { BUCKET, CREDS, OSS_REGION, WRONG, copySamples, emulatorEndpoint, startEmulators, type Emulators } from './support/vendors';

/**
 * The engine registry inside the ScanService, the way the desktop app uses it: settings from
 * the profile's file, credentials from a real Secret Service, vendor emulators with faults.
 */
let keychain: PrivateKeychain;
let emu: Emulators;
let tmp: string;
let store: CredentialStore;

const PAGES: Record<string, string> = {
  'q1.png': 'zxing/qrcode-2/10.png',
  'q2.png': 'zxing/qrcode-2/12.png',
  'q3.png': 'zxing/qrcode-2/14.png',
  'q4.png': 'zxing/qrcode-3/01.png',
  'e1.png': 'zxing/ean13-1/2.png',
  'e2.png': 'zxing/ean13-1/3.png',
  'c1.png': 'zxing/code128-1/1.png',
  'd1.png': 'zxing/datamatrix-1/abcd-18x8.png',
  'n1.png': 'zxing-cpp/falsepositives-1/#245.png',
  'n2.webp': 'zxing-cpp/falsepositives-1/01.webp',
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-vendors-service-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  store = new CredentialStore();
  emu = await startEmulators();
  for (const v of ['tencent', 'wechat', 'alioss'] as const) await store.set(v, CREDS[v] as never, emulatorEndpoint(emu, v));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  await keychain?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function settingsFile(name: string): VendorSettingsStore {
  const s = new VendorSettingsStore(join(tmp, name, 'vendor-settings.json'), {});
  s.update({
    tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT, timeoutMs: 2000 },
    wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL, timeoutMs: 2000 },
    alioss: { endpoint: emu.env.SCANDESK_ALIOSS_ENDPOINT, bucket: BUCKET, region: OSS_REGION, timeoutMs: 2000 },
  });
  return s;
}

async function open(name: string, registry: EngineRegistry): Promise<ScanService> {
  mkdirSync(join(tmp, name), { recursive: true });
  return openScanService({ dbPath: join(tmp, name, 'scandesk.db'), engines: registry.engines, backoff: { baseMs: 50, maxMs: 400 } });
}

describe('vendor engines from the registry, inside the ScanService', () => {
  it('with 10% faults in every emulator, every page ends done or with a final error; no batch is stuck', async () => {
    emu.tencent.configure({
      randomFaults: { p: 0.1, seed: 7, kinds: [{ kind: 'error', code: 'InternalError' }, { kind: 'http', status: 502 }, { kind: 'error', code: 'RequestLimitExceeded' }, { kind: 'hang' }] },
    });
    emu.wechat.faults.setRandom({ rate: 0.1, seed: 11 });
    emu.oss.faults.setRandom({ rate: 0.1, seed: 13 });
    const settings = settingsFile('faults');
    const registry = createEngineRegistry({ settings, credentials: store, include: ['tencent', 'wechat', 'alioss'], retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    const service = await open('faults', registry);
    const pages = join(tmp, 'faults', 'pages');
    copySamples(pages, PAGES);
    try {
      const batches = await Promise.all(
        (['tencent', 'wechat', 'alioss'] as const).map((engine) => service.createBatch({ paths: [pages], plan: { engine, task: 'codes' } })),
      );
      const settled = await Promise.all(batches.map((b) => service.whenSettled(b.batch.id)));
      for (const b of settled) {
        expect(b.status, b.plan.engine).toBe('done');
        expect(b.counts.total).toBe(10);
        expect(b.counts.done + b.counts.failed, b.plan.engine).toBe(10);
        expect(b.counts.done, b.plan.engine).toBeGreaterThanOrEqual(7);
        const failed = (await service.listItems(b.id, { filter: 'errors' })).items;
        // A page that failed ran out of retries on a transient fault, and says so.
        for (const it of failed) {
          expect(['VENDOR_SERVER', 'VENDOR_RATE_LIMIT', 'NETWORK', 'TIMEOUT', 'VENDOR_AUTH']).toContain(it.error?.code);
          expect(it.error?.message).toMatch(/gave up after \d+ attempts/);
        }
      }
    } finally {
      await service.close();
      await registry.close();
      emu.tencent.configure({ randomFaults: { p: 0, seed: 1, kinds: [] } });
      emu.wechat.faults.setRandom({ rate: 0 });
      emu.oss.faults.setRandom({ rate: 0 });
    }
    // Faults were really served, and retried (more requests than pages).
    expect(Object.keys(emu.tencent.stats.errors).length).toBeGreaterThan(0);
    expect(emu.wechat.faults.served.length).toBeGreaterThan(0);
    expect(emu.oss.faults.served.length).toBeGreaterThan(0);
    expect(emu.tencent.stats.requests.QrcodeOCR).toBeGreaterThan(10);
    const raw = new Database(join(tmp, 'faults', 'scandesk.db'), { readonly: true });
    const open_ = raw.prepare(`SELECT count(*) AS n FROM jobs WHERE status NOT IN ('done','failed')`).get() as { n: number };
    const items = raw.prepare(`SELECT count(*) AS n FROM items WHERE status NOT IN ('done','failed')`).get() as { n: number };
    raw.close();
    expect(open_.n).toBe(0);
    expect(items.n).toBe(0);
  }, 240_000);

  it('a wrong secret pauses the batch with one notice; saving the right one and resuming finishes it', async () => {
    await store.set('wechat', { appId: CREDS.wechat.appId, appSecret: WRONG.wechat }, emulatorEndpoint(emu, 'wechat'));
    const settings = settingsFile('auth');
    const registry = createEngineRegistry({ settings, credentials: store, include: ['wechat'] });
    const service = await open('auth', registry);
    const notices: Notice[] = [];
    service.on('notice', (n) => notices.push(n));
    const pages = join(tmp, 'auth', 'pages');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/10.png', 'b.png': 'zxing/qrcode-2/12.png', 'c.png': 'zxing/qrcode-2/14.png' });
    try {
      const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'wechat', task: 'codes' } });
      const paused = await service.whenSettled(batch.id);
      expect(paused.status).toBe('paused');
      expect(paused.counts.pending).toBe(3);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ engine: 'wechat', message: expect.stringMatching(/AppSecret/) });
      expect(notices[0]!.message).not.toContain(WRONG.wechat);

      // The settings screen's flow: save the right secret, then resume. Without invalidating,
      // the engine's stop latch (and cached token) would refuse for a while yet.
      await registry.setCredentials('wechat', CREDS.wechat);
      await service.resume(batch.id);
      const done = await service.whenSettled(batch.id);
      expect(done.status).toBe('done');
      expect(done.counts).toMatchObject({ done: 3, failed: 0, pending: 0 });
      expect(done.counts.codes).toBeGreaterThan(0);
      expect((await registry.testConnection('wechat')).ok).toBe(true);

      // While the service is open its WAL and shared-memory files exist: none of them, nor the
      // notices (what the renderer is told), holds a secret or the tokens the emulator issued.
      const secrets: Record<string, string> = { wrong: WRONG.wechat, right: CREDS.wechat.appSecret };
      emu.wechat.stats.issuedTokens.forEach((t, i) => (secrets[`token${i}`] = t));
      const dir = join(tmp, 'auth');
      const written = filesSearched({ dirs: [dir] }).map((f) => f.slice(dir.length + 1));
      expect(written).toEqual(expect.arrayContaining(['scandesk.db', 'scandesk.db-wal', 'scandesk.db-shm', 'vendor-settings.json']));
      expect(findSecrets({ secrets, dirs: [dir], texts: { notices: JSON.stringify(notices) } })).toEqual([]);
    } finally {
      await service.close();
      await registry.close();
    }
  }, 120_000);

  it('quota used up: the vendor stops for the batch with one notice, local pages go on', async () => {
    emu.tencent.configure({ quotaError: 'ResourceUnavailable.InArrears' });
    const settings = settingsFile('quota');
    const registry = createEngineRegistry({ settings, credentials: store, include: ['local', 'tencent'], local: { size: 1 } });
    const service = await open('quota', registry);
    const notices: Notice[] = [];
    service.on('notice', (n) => notices.push(n));
    const pages = join(tmp, 'quota', 'pages');
    copySamples(pages, { 'a.png': 'zxing/qrcode-3/01.png', 'n1.png': 'zxing-cpp/falsepositives-1/07.webp', 'n2.png': 'zxing-cpp/falsepositives-1/08.webp' });
    const before = emu.tencent.stats.requests.QrcodeOCR ?? 0;
    try {
      const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'local', task: 'codes', fallback: 'tencent' } });
      const s = await service.whenSettled(batch.id);
      expect(s.status).toBe('paused');
      expect(s.counts).toMatchObject({ done: 1, pending: 2, codes: 1 });
      expect(notices).toEqual([{ batchId: batch.id, engine: 'tencent', message: expect.stringMatching(/arrears/) }]);
      // The stop is latched: the second page was not sent after the first was refused.
      expect((emu.tencent.stats.requests.QrcodeOCR ?? 0) - before).toBeLessThanOrEqual(2);
    } finally {
      emu.tencent.configure({ quotaError: null });
      await service.close();
      await registry.close();
    }
  }, 120_000);

  it('a settings change applies at the next page (the endpoint moved), and OSS without a bucket says what to set', async () => {
    const settings = settingsFile('moved');
    settings.update({ tencent: { endpoint: 'http://127.0.0.1:9' } }); // nothing listens there
    const registry = createEngineRegistry({ settings, credentials: store, include: ['tencent', 'alioss'], retry: { maxAttempts: 1 } });
    const service = await open('moved', registry);
    const pages = join(tmp, 'moved', 'pages');
    copySamples(pages, { 'a.png': 'zxing/qrcode-3/01.png' });
    try {
      // The keys were saved for the emulator: they do not follow the endpoint elsewhere.
      const moved = await registry.testConnection('tencent');
      expect(moved.error).toMatchObject({ code: 'VENDOR_AUTH' });
      expect(moved.error!.message).toContain('now set to http://127.0.0.1:9');
      settings.update({ tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT } });
      expect(await registry.testConnection('tencent')).toMatchObject({ ok: true });
      const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'tencent', task: 'codes' } });
      expect((await service.whenSettled(batch.id)).counts).toMatchObject({ done: 1, codes: 1 });

      const ready = await registry.status();
      expect(ready.keychain).toEqual({ available: true, error: null, proxy: { configured: false, proxy: null } });
      expect(ready.vendors.map((v) => [v.vendor, v.ready, v.credentials.maskedId])).toEqual([
        ['tencent', true, 'AKID…9pV2'],
        ['wechat', true, 'wx9l…pp01'],
        ['alioss', true, 'LTAI…Id01'],
      ]);
      expect(JSON.stringify(ready)).not.toContain(CREDS.tencent.secretKey);

      settings.update({ alioss: { bucket: null } });
      expect((await registry.status()).vendors[2]).toMatchObject({ vendor: 'alioss', ready: false, missing: [{ code: 'bucket', message: expect.stringMatching(/needs a bucket/) }] });
      const notices: Notice[] = [];
      service.on('notice', (n) => notices.push(n));
      const oss = await service.createBatch({ paths: [pages], plan: { engine: 'alioss', task: 'codes' } });
      const s = await service.whenSettled(oss.batch.id);
      expect(s.status).toBe('paused');
      expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/not set up: enter the bucket and its region/)]);
    } finally {
      await service.close();
      await registry.close();
    }
  }, 120_000);

  it('fallback plan options reach only the vendor they belong to', async () => {
    const settings = settingsFile('options');
    const registry = createEngineRegistry({ settings, credentials: store, include: ['local', 'alioss'], local: { size: 1 } });
    const service = await open('options', registry);
    const pages = join(tmp, 'options', 'pages');
    copySamples(pages, { 'n.png': 'zxing-cpp/falsepositives-1/#570.png' });
    const puts = emu.oss.log.filter((l) => l.op === 'PutObject').length;
    try {
      // enrichWithProductData is a Tencent option: OSS (strict about its options) must not see it.
      const { batch } = await service.createBatch({
        paths: [pages],
        plan: { engine: 'local', task: 'codes', fallback: 'alioss', options: { keepUploads: true, enrichWithProductData: true } },
      });
      const s = await service.whenSettled(batch.id);
      expect(s.counts).toMatchObject({ done: 1, failed: 0 });
      expect(emu.oss.log.filter((l) => l.op === 'PutObject').length - puts).toBe(1);
      expect([...emu.oss.objects.keys()].filter((k) => k.startsWith('scandesk-tmp/'))).toHaveLength(1); // kept
    } finally {
      await service.close();
      await registry.close();
    }
  }, 120_000);
});
