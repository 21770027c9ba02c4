import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, type RequestName } from '../../shared/contract';
import { createHandlers, type HandlerTable } from '../../electron/core/api';
import { runCredentials } from '../../electron/cli/credentials';
import type { CliIo } from '../../electron/cli/scan';
import { accountName, KEYCHAIN_SERVICE, keytarBackend } from '../../electron/core/credentials';
import { CredentialStore } from '../../electron/core/credentials/store';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { openScanService } from '../../electron/core/service';
import type { Notice, ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore } from '../../electron/core/settings';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { findSecrets } from '../integration/support/find-secrets';
import { closeVendorTest } from '../integration/support/close-vendor-test';
import { BUCKET, CREDS, OSS_REGION, copySamples, emulatorEndpoint, startEmulators, type Emulators } from '../integration/support/vendors';
import { browserDeps } from './support/browser-deps';

/**
 * Issue 12, "Secrets follow their endpoint": through the real handler table (what the renderer
 * can ask), with a real Secret Service and the vendor emulators. The renderer moves each vendor
 * to another server on this machine (a recorder that answers nothing useful and keeps every byte
 * it receives): no key, signature or page may reach it until the keys are typed again for it.
 */
let keychain: PrivateKeychain;
let emu: Emulators;
let dir: string;
let service: ScanService;
let registry: EngineRegistry;
let handlers: HandlerTable;
let elsewhere: Recorder;
const answers: string[] = [];
const SECRETS = { tencent: CREDS.tencent.secretKey, wechat: CREDS.wechat.appSecret, oss: CREDS.alioss.accessKeySecret };

interface Recorder {
  url: string;
  received: Buffer[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request (line, headers, body) and answers 404. */
async function startRecorder(): Promise<Recorder> {
  const received: Buffer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [Buffer.from(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n`)];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks));
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

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

const toEmulators = () => ({
  tencent: { endpoint: emu.env.SCANDESK_TENCENT_ENDPOINT },
  wechat: { baseUrl: emu.env.SCANDESK_WECHAT_BASE_URL },
  alioss: { endpoint: emu.env.SCANDESK_ALIOSS_ENDPOINT, bucket: BUCKET, region: OSS_REGION },
});
const toElsewhere = () => ({ tencent: { endpoint: elsewhere.url }, wechat: { baseUrl: elsewhere.url }, alioss: { endpoint: elsewhere.url } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-endpoint-binding-'));
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
  emu = await startEmulators();
  elsewhere = await startRecorder();
  const settings = new VendorSettingsStore(join(dir, 'vendor-settings.json'), {});
  registry = createEngineRegistry({ settings, include: ['tencent', 'wechat', 'alioss'], retry: { maxAttempts: 1 } });
  service = await openScanService({ dbPath: join(dir, 'binding.db'), engines: registry.engines });
  handlers = createHandlers(service, { ...browserDeps(dir), vendors: { registry, settings, env: {} } });
}, 60_000);

afterAll(async () => {
  await elsewhere?.close();
  await closeVendorTest({ service, registry, emu, keychain, dir });
});

describe('a stored secret is only ever sent to the endpoint it was saved for', () => {
  it('keys saved for the emulators work there', async () => {
    await value('vendorSettings.set', toEmulators());
    for (const vendor of ['tencent', 'wechat', 'alioss'] as const) {
      const st = await value('credentials.set', { vendor, fields: CREDS[vendor] });
      const mine = st.vendors.find((v) => v.vendor === vendor)!;
      expect(mine).toMatchObject({ configured: true, endpointChanged: false });
      expect(mine.savedFor).toBe(emulatorEndpoint(emu, vendor).endpoint);
      expect(await value('credentials.test', { vendor }), vendor).toMatchObject({ ok: true });
    }
  }, 60_000);

  it('moved elsewhere by a settings change, no vendor sends anything there: the screen asks for the keys again', async () => {
    await value('vendorSettings.set', toElsewhere());
    const tests = [];
    for (const vendor of ['tencent', 'wechat', 'alioss'] as const) tests.push(await value('credentials.test', { vendor }));
    // The point: nothing (no AppSecret, no signed request) reached the other server.
    expect(elsewhere.received.map((b) => b.toString('latin1').split('?')[0])).toEqual([]);
    for (const r of tests) {
      expect(r, r.vendor).toMatchObject({ ok: false, error: { code: 'VENDOR_AUTH' } });
      expect(r.error!.message).toContain(`now set to ${elsewhere.url}`);
      expect(r.error!.message).toMatch(/Enter the keys again/);
    }
    const st = await value('credentials.status', {});
    expect(st.vendors.map((v) => [v.vendor, v.configured, v.endpointChanged])).toEqual([
      ['tencent', true, true],
      ['wechat', true, true],
      ['alioss', true, true],
    ]);
    const engines = await value('engines.list', {});
    for (const e of engines) {
      expect(e, e.id).toMatchObject({ available: false });
      expect(e.reason).toMatch(/another endpoint than its keys were saved for/);
    }

    // A batch the renderer starts anyway (engines.list is advice, batches.create is not gated
    // on it): the vendor stops with the same reason, the page never leaves.
    const pages = join(dir, 'pages');
    copySamples(pages, { 'q.png': 'zxing/qrcode-2/10.png' });
    const notices: Notice[] = [];
    service.on('notice', (n) => notices.push(n));
    const created = await value('batches.create', { paths: [pages], plan: { engine: 'wechat', task: 'codes' } });
    const settled = await service.whenSettled(created.batch.id);
    expect(settled.status).toBe('paused');
    expect(notices.map((n) => n.message).join('\n')).toMatch(/saved for http:\/\/127\.0\.0\.1:\d+, and WeChat is now set to/);

    expect(elsewhere.received.map((b) => b.toString('latin1').split('\n')[0])).toEqual([]);
  }, 60_000);

  it('back to the endpoint they were saved for, the keys work again without being typed', async () => {
    await value('vendorSettings.set', toEmulators());
    expect((await value('credentials.status', {})).vendors.every((v) => v.configured && !v.endpointChanged)).toBe(true);
    expect(await value('credentials.test', { vendor: 'wechat' })).toMatchObject({ ok: true });
  });

  it('typed again for the new endpoint, they go there (the user chose it)', async () => {
    await value('vendorSettings.set', { wechat: { baseUrl: elsewhere.url } });
    await value('credentials.set', { vendor: 'wechat', fields: CREDS.wechat });
    expect((await value('credentials.status', {})).vendors[1]).toMatchObject({ savedFor: elsewhere.url, endpointChanged: false });
    await value('credentials.test', { vendor: 'wechat' });
    expect(elsewhere.received.map((b) => b.toString('latin1').split('\n')[0])).toEqual(['POST /cgi-bin/stable_token']);
    // Nothing else answered or logged a key along the way.
    expect(findSecrets({ secrets: SECRETS, texts: { answers: answers.join('\n') } })).toEqual([]);
  });

  it('keys stored before endpoints were bound count as saved for the vendor\'s own service', async () => {
    const store = new CredentialStore();
    await store.set('tencent', CREDS.tencent, { endpoint: 'http://127.0.0.1:1' });
    await keytarBackend().deletePassword(KEYCHAIN_SERVICE, accountName('tencent', 'endpoint'));
    expect(await store.boundEndpoint('tencent')).toBe('https://ocr.tencentcloudapi.com');
    expect((await value('credentials.status', {})).vendors[0]).toMatchObject({ savedFor: 'https://ocr.tencentcloudapi.com', endpointChanged: true });
  });
});

describe('endpoints set from the UI, the file or the environment are https (plain http for this machine only)', () => {
  it('refuses plain http to another machine, names the field, and keeps the file', async () => {
    for (const url of ['http://example.com', 'http://192.168.1.20:8080', 'http://localhost.example.com', 'http://[::ffff:192.168.1.2]', 'ftp://127.0.0.1']) {
      const r = await call('vendorSettings.set', { wechat: { baseUrl: url } });
      expect(r, url).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!r.ok) expect(r.error.message).toMatch(/wechat\.baseUrl: must be an https:\/\/ URL/);
    }
    for (const url of ['https://proxy.example.com', 'http://127.0.0.1:4567', 'http://localhost:4567', 'http://[::1]:4567']) {
      expect((await value('vendorSettings.set', { tencent: { endpoint: url } })).settings.tencent.endpoint, url).toBe(url);
    }
    expect(() => new VendorSettingsStore(join(dir, 'env.json'), { SCANDESK_ALIOSS_ENDPOINT: 'http://10.0.0.5' }).get()).toThrow(/SCANDESK_ALIOSS_ENDPOINT/);
  });
});

describe('the command line binds keys to the endpoint of its profile and environment', () => {
  function io(env: NodeJS.ProcessEnv, input = ''): CliIo & { out: () => string } {
    let text = '';
    const sink = new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) });
    const stdin = new PassThrough();
    stdin.end(input);
    return { stdout: sink, stderr: sink, stdin, env, out: () => text } as unknown as CliIo & { out: () => string };
  }

  it('`credentials set` with an endpoint variable saves for it; `credentials test` elsewhere refuses', async () => {
    const db = join(dir, 'cli', 'cli.db');
    const env = { ...process.env, ...keychain.env, SCANDESK_WECHAT_BASE_URL: emu.env.SCANDESK_WECHAT_BASE_URL };
    const set = io(env, `${CREDS.wechat.appId}\n${CREDS.wechat.appSecret}\n`);
    expect(await runCredentials('set', 'wechat', { db }, set)).toBe(0);
    expect(set.out()).toContain(`for ${new URL(emu.env.SCANDESK_WECHAT_BASE_URL!).origin} only`);
    expect(await runCredentials('test', 'wechat', { db }, io(env))).toBe(0);
    const moved = io({ ...env, SCANDESK_WECHAT_BASE_URL: elsewhere.url });
    const before = elsewhere.received.length;
    expect(await runCredentials('test', 'wechat', { db }, moved)).not.toBe(0);
    expect(moved.out()).toMatch(/VENDOR_AUTH: The WeChat keys in the keychain were saved for/);
    expect(elsewhere.received.length).toBe(before);
  });
});
