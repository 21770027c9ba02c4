import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, type RequestName } from '../../shared/contract';
import { createHandlers, fileSettingsStore, unavailableDialogs, type HandlerTable } from '../../electron/core/api';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore } from '../../electron/core/settings';
import type { ProfileCredentials } from '../../electron/core/credentials';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { findSecrets } from '../integration/support/find-secrets';
import { closeVendorTest } from '../integration/support/close-vendor-test';
import { BUCKET, CREDS, OSS_REGION, WRONG, copySamples, startEmulators, type Emulators } from '../integration/support/vendors';
import { browserDeps } from './support/browser-deps';

/**
 * The vendor requests through the real handler table: a real Secret Service (private D-Bus +
 * gnome-keyring), the real engine registry and settings file, the vendor emulators. Every
 * answer is checked against its contract output schema, and nothing any request answers,
 * logs or writes holds a secret.
 */
let keychain: PrivateKeychain;
let emu: Emulators;
let dir: string;
let service: ScanService;
let registry: EngineRegistry;
let handlers: HandlerTable;
const logged: string[] = [];
const answers: string[] = [];
const SECRETS = {
  tencentKey: CREDS.tencent.secretKey,
  tencentId: CREDS.tencent.secretId,
  wechat: CREDS.wechat.appSecret,
  oss: CREDS.alioss.accessKeySecret,
  ossId: CREDS.alioss.accessKeyId,
  wrongWechat: WRONG.wechat,
  proxyPassword: 'proxyPassIPCcanary42',
};

async function call<N extends RequestName>(name: N, input: unknown) {
  const r = await handlers[name](input);
  answers.push(JSON.stringify(r));
  if (r.ok) expect(requests[name].output.safeParse(r.value).success, `${name} output matches the contract`).toBe(true);
  return r;
}

async function value<N extends RequestName>(name: N, input: unknown) {
  const r = await call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-ipc-vendors-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  emu = await startEmulators();
  const settings = new VendorSettingsStore(join(dir, 'vendor-settings.json'), {});
  registry = createEngineRegistry({ settings, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  service = await openScanService({ dbPath: join(dir, 'ipc.db'), engines: registry.engines });
  handlers = createHandlers(service, {
    ...browserDeps(dir),
    vendors: { registry, settings, env: {} },
    log: (m, e) => logged.push(`${m} ${e instanceof Error ? (e.stack ?? e.message) : String(e ?? '')}`),
  });
}, 60_000);

afterAll(() => closeVendorTest({ service, registry, emu, keychain, dir }));

describe('vendor requests over a real keychain', () => {
  it('status starts empty; set stores in the keychain and answers the masked id only', async () => {
    const st = await value('credentials.status', {});
    expect(st).toEqual({
      available: true,
      error: null,
      vendors: [
        { vendor: 'tencent', configured: false, maskedId: null, savedFor: null, endpointChanged: false },
        { vendor: 'wechat', configured: false, maskedId: null, savedFor: null, endpointChanged: false },
        { vendor: 'alioss', configured: false, maskedId: null, savedFor: null, endpointChanged: false },
      ],
      proxy: { configured: false, proxy: null },
    });
    const after = await value('credentials.set', { vendor: 'tencent', fields: CREDS.tencent });
    // Saved for the endpoint in effect: Tencent's own service (no endpoint set yet).
    expect(after.vendors[0]).toEqual({ vendor: 'tencent', configured: true, maskedId: 'AKID…9pV2', source: 'keychain', savedFor: 'https://ocr.tencentcloudapi.com', endpointChanged: false });
    // Really in the keychain: a second reader sees it.
    expect(await registry.credentials.get('tencent')).toEqual(CREDS.tencent);
  });

  it('the proxy sign-in goes to the keychain for the proxy set in Settings; only "saved, for which proxy" comes back', async () => {
    const proxy = 'http://proxy.example.com:3128';
    await value('vendorSettings.set', { network: { proxy: 'none' } });
    const nothing = await call('credentials.setProxy', { username: 'scan.desk', password: SECRETS.proxyPassword });
    expect(nothing.ok ? null : nothing.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/no proxy to sign in to/) });
    expect((await value('vendorSettings.set', { network: { proxy } })).settings.network).toEqual({ proxy });
    const st = await value('credentials.setProxy', { username: 'scan.desk', password: SECRETS.proxyPassword });
    expect(st.proxy).toEqual({ configured: true, proxy });
    // In the keychain, for that proxy only.
    const store = (registry.credentials as ProfileCredentials).store;
    expect(await store.proxy.get(proxy)).toEqual({ username: 'scan.desk', password: SECRETS.proxyPassword });
    expect(await store.proxy.get('http://proxy.example.com:8080')).toBeNull();
    // A user or password in the proxy address itself is refused (it would land in the settings file).
    const inUrl = await call('vendorSettings.set', { network: { proxy: `http://scan.desk:${SECRETS.proxyPassword}@proxy.example.com:3128` } });
    expect(inUrl.ok ? null : inUrl.error.message).toMatch(/network\.proxy.*without user, password or path/);
    expect((await value('credentials.deleteProxy', {})).proxy).toEqual({ configured: false, proxy: null });
    await value('vendorSettings.set', { network: { proxy: null } });
  });

  it('a bad credential input names the field and never quotes the value', async () => {
    const long = `${CREDS.wechat.appSecret}${'z'.repeat(600)}`;
    for (const fields of [
      { appId: CREDS.wechat.appId, appSecret: long },
      { appId: CREDS.wechat.appId, appSecret: `${CREDS.wechat.appSecret}\n` + 'x' },
      { appId: CREDS.wechat.appId, secretKey: CREDS.wechat.appSecret },
    ]) {
      const r = await call('credentials.set', { vendor: 'wechat', fields });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT');
        expect(r.error.message).toMatch(/fields/);
        expect(r.error.message).not.toContain(CREDS.wechat.appSecret);
      }
    }
    expect((await value('credentials.status', {})).vendors[1]).toMatchObject({ vendor: 'wechat', configured: false });
  });

  it('engines.list says which engines can take a batch, and why not', async () => {
    const list = await value('engines.list', {});
    expect(list.map((e) => [e.id, e.available, e.configured])).toEqual([
      ['local', true, true],
      ['tencent', true, true],
      ['wechat', false, false],
      ['alioss', false, false],
    ]);
    expect(list.find((e) => e.id === 'wechat')!.reason).toMatch(/no credentials/);
    expect(list.find((e) => e.id === 'tencent')!.tasks).toEqual(['codes', 'idcard']);
  });

  it('vendor settings: partial changes saved to the file, bad values named, secrets refused', async () => {
    const s = await value('vendorSettings.set', {
      wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL, timeoutMs: 5000 },
      alioss: { endpoint: emu.env.SCANDESK_ALIOSS_ENDPOINT, bucket: BUCKET, region: OSS_REGION },
      tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT, rateLimits: { QrcodeOCR: 20 } },
    });
    expect(s.settings.wechat).toMatchObject({ baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL, timeoutMs: 5000, concurrency: 2 });
    expect(s.settings.alioss).toMatchObject({ bucket: BUCKET, region: OSS_REGION });
    expect(s.problem).toBeNull();
    expect(JSON.parse(readFileSync(join(dir, 'vendor-settings.json'), 'utf8'))).toMatchObject({ tencent: { rateLimits: { QrcodeOCR: 20 } } });

    const bad = await call('vendorSettings.set', { tencent: { concurrency: 0 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/tencent\.concurrency/);
    const secret = await call('vendorSettings.set', { alioss: { accessKeySecret: CREDS.alioss.accessKeySecret } });
    expect(secret).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!secret.ok) expect(secret.error.message).not.toContain(CREDS.alioss.accessKeySecret);
    // null clears back to the default.
    const cleared = await value('vendorSettings.set', { tencent: { rateLimits: { QrcodeOCR: null } } });
    expect(cleared.settings.tencent.rateLimits).toEqual({});
  });

  it('credentials.test: ok with the right secret, VENDOR_AUTH with a wrong one (no secret in the answer)', async () => {
    // Tencent's keys were saved before its endpoint moved to the emulator: asked for again.
    expect((await value('credentials.status', {})).vendors[0]).toMatchObject({ configured: true, endpointChanged: true });
    expect(await value('credentials.test', { vendor: 'tencent' })).toMatchObject({ ok: false, error: { code: 'VENDOR_AUTH' } });
    await value('credentials.set', { vendor: 'tencent', fields: CREDS.tencent });
    await value('credentials.set', { vendor: 'wechat', fields: { appId: CREDS.wechat.appId, appSecret: WRONG.wechat } });
    const bad = await value('credentials.test', { vendor: 'wechat' });
    expect(bad).toMatchObject({ vendor: 'wechat', ok: false, error: { code: 'VENDOR_AUTH' } });
    await value('credentials.set', { vendor: 'wechat', fields: CREDS.wechat });
    await value('credentials.set', { vendor: 'alioss', fields: CREDS.alioss });
    for (const vendor of ['tencent', 'wechat', 'alioss'] as const) {
      const r = await value('credentials.test', { vendor });
      expect(r, vendor).toMatchObject({ vendor, ok: true, error: null });
    }
    expect((await value('engines.list', {})).every((e) => e.available)).toBe(true);
  }, 60_000);

  it('batches.rerun runs a finished batch again with another engine; the code both read is one, found by both', async () => {
    const pages = join(dir, 'pages');
    mkdirSync(pages, { recursive: true });
    const expected = copySamples(pages, { 'q.png': 'zxing/qrcode-2/10.png' });
    const created = await value('batches.create', { paths: [pages], plan: { engine: 'local', task: 'codes' } });
    await service.whenSettled(created.batch.id);
    const running = await value('batches.rerun', { batchId: created.batch.id, plan: { engine: 'wechat', task: 'codes' } });
    expect(running.plan).toMatchObject({ engine: 'wechat', task: 'codes' });
    await service.whenSettled(created.batch.id);
    const item = (await service.listItems(created.batch.id)).items[0]!;
    const d = (await service.getItem(item.id)).detections;
    expect(d.map((x) => [x.engine, x.text, x.foundBy])).toEqual([['local', expected['q.png'], ['local', 'wechat']]]);
    const refused = await call('batches.rerun', { batchId: created.batch.id, plan: { engine: 'alioss', task: 'text' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }, 60_000);

  it('credentials.delete removes them from the keychain', async () => {
    const st = await value('credentials.delete', { vendor: 'alioss' });
    expect(st.vendors[2]).toEqual({ vendor: 'alioss', configured: false, maskedId: null, savedFor: null, endpointChanged: false });
    expect(await registry.credentials.get('alioss')).toBeNull();
  });

  it('no answer, log line or file of the profile holds a secret', () => {
    expect(answers.length).toBeGreaterThan(10);
    const hits = findSecrets({ secrets: SECRETS, dirs: [dir], texts: { answers: answers.join('\n'), log: logged.join('\n') } });
    expect(hits).toEqual([]);
  });
});

describe('without cloud vendors', () => {
  it('status says so, engines.list offers local only, and changes are refused clearly', async () => {
    const bare = createHandlers(service, {
      transport: 'browser',
      app: { name: 'ScanDesk', version: '0', dataDir: dir },
      settings: fileSettingsStore(join(dir, 'settings2.json')),
      dialogs: unavailableDialogs(),
      exports: { remembered: new RememberedFolder(join(dir, 'export-folder.json'), () => dir) },
    });
    const st = await bare['credentials.status']({});
    expect(st).toMatchObject({ ok: true, value: { available: false, error: { code: 'VENDOR_UNAVAILABLE' } } });
    const list = await bare['engines.list']({});
    expect(list.ok && list.value.filter((e) => e.available).map((e) => e.id)).toEqual(['local']);
    expect(await bare['credentials.set']({ vendor: 'tencent', fields: CREDS.tencent })).toMatchObject({
      ok: false,
      error: { code: 'VENDOR_UNAVAILABLE' },
    });
  });
});
