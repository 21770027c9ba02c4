import { afterEach, describe, expect, it } from 'vitest';
import { VendorDescriptionSchema } from '../../shared/contract';
import { VENDOR_IDS } from '../../shared/engines';
import { vendorHandlers } from '../../electron/core/api/vendors';
import { environmentCredentials } from '../../electron/core/credentials/environment';
import { createEngineRegistry, VENDOR_NAMES, VENDOR_TASKS } from '../../electron/core/engines/registry';
import { ScanError } from '../../electron/core/errors';
import { defaultVendorSettings, ENDPOINT_ENV, VendorSettingsStore } from '../../electron/core/settings';
import { describeVendor, VENDORS, type VendorDefinition } from '../../electron/core/vendors';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * "One place per vendor": each vendor's folder describes it once (definition.ts) and the
 * registry, the connection tests, the readiness rule, the settings, the credentials and the
 * settings screen's description all read that definition. These tests change a definition at
 * run time and watch each reader follow.
 */
const restore: Array<() => void> = [];
afterEach(() => {
  while (restore.length) restore.pop()!();
});

/** Replaces one property of a definition for this test. */
function patch<K extends keyof VendorDefinition>(vendor: keyof typeof VENDORS, key: K, value: VendorDefinition[K]): void {
  const d = VENDORS[vendor] as unknown as Record<string, unknown>;
  const old = d[key];
  d[key] = value;
  restore.push(() => (d[key] = old));
}

const fixed = () => defaultVendorSettings();

describe('vendor definitions', () => {
  it('are listed once, under their own ids, in the order of shared VENDOR_IDS', () => {
    expect(Object.keys(VENDORS)).toEqual([...VENDOR_IDS]);
    for (const [id, d] of Object.entries(VENDORS)) expect(d.id).toBe(id);
  });

  it('give the registry its vendor engines, names and tasks', () => {
    const registry = createEngineRegistry({ settings: fixed, include: ['tencent', 'wechat', 'alioss'] });
    expect(registry.engines.map((e) => [e.id, e.tasks])).toEqual(Object.values(VENDORS).map((d) => [d.id, d.tasks]));
    expect(VENDOR_NAMES).toEqual({ tencent: 'Tencent Cloud OCR', wechat: 'WeChat', alioss: 'Alibaba Cloud OSS' });
    expect(VENDOR_TASKS.wechat).toBe(VENDORS.wechat.tasks);
    void registry.close();
  });

  it('build the engine: the registry calls the definition with the vendor\'s own settings', async () => {
    const seen: unknown[] = [];
    patch('wechat', 'createEngine', (ctx) => {
      seen.push(ctx.settings);
      throw new ScanError('VENDOR_UNAVAILABLE', 'built from the definition');
    });
    const registry = createEngineRegistry({ settings: fixed, include: ['wechat'] });
    const err = await registry.get('wechat')!.recognize({ source: { path: '/nowhere.png', page: 1, format: 'png', sha256: 'x' }, task: 'codes' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'built from the definition' });
    expect(seen).toEqual([defaultVendorSettings().wechat]);
    await registry.close();
  });

  it('run the connection test', async () => {
    let called = 0;
    patch('tencent', 'testConnection', async (ctx) => {
      called++;
      expect(ctx.settings).toEqual(defaultVendorSettings().tencent);
      throw new ScanError('VENDOR_AUTH', 'tested by the definition');
    });
    const registry = createEngineRegistry({ settings: fixed, include: [] });
    expect(await registry.testConnection('tencent')).toMatchObject({ ok: false, error: { code: 'VENDOR_AUTH', message: 'tested by the definition' } });
    expect(called).toBe(1);
    await registry.close();
  });

  it('decide readiness: the registry status and the engine list use the definition\'s rule', async () => {
    patch('wechat', 'missing', () => [{ code: 'licence', message: 'WeChat needs a licence (from the definition).' }]);
    const dir = mkdtempSync(join(tmpdir(), 'scandesk-defs-'));
    try {
      const settings = new VendorSettingsStore(join(dir, 'vendor-settings.json'), {});
      const env = { SCANDESK_WECHAT_APPID: 'wx0definitions01', SCANDESK_WECHAT_SECRET: 'definitionsSecret0001' };
      const { ProfileCredentials } = await import('../../electron/core/credentials/environment');
      const registry = createEngineRegistry({ settings, credentials: new ProfileCredentials(undefined, env) });
      const st = await registry.status();
      expect(st.vendors.find((v) => v.vendor === 'wechat')).toMatchObject({ ready: false, missing: [{ code: 'licence' }] });
      const list = await vendorHandlers({ registry, settings, env: {} }).engines(new Set(['local', 'wechat']));
      expect(list.find((e) => e.id === 'wechat')).toMatchObject({ available: false, reason: 'WeChat needs a licence (from the definition).' });
      await registry.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hold the settings schema, the endpoint variable and the credential variables', () => {
    for (const d of Object.values(VENDORS) as VendorDefinition[]) {
      expect((defaultVendorSettings() as Record<string, unknown>)[d.id]).toEqual(d.settings.schema.parse({}));
      expect(ENDPOINT_ENV[d.id]).toBe(d.endpoint.env);
      const value = (f: { key: string; expiry?: boolean }) => (f.expiry ? '2099-01-01T00:00:00.000Z' : `${f.key}-value-0001`);
      const env = Object.fromEntries(d.credentials.map((f) => [f.env, value(f)]));
      expect(environmentCredentials(d.id, env)).toEqual(Object.fromEntries(d.credentials.map((f) => [f.key, value(f)])));
    }
  });

  it('describe themselves to the settings screen in the contract\'s shape, both languages', () => {
    const described = vendorHandlers(undefined).describe();
    expect(described.map((d) => d.id)).toEqual([...VENDOR_IDS]);
    for (const d of described) {
      expect(VendorDescriptionSchema.parse(d)).toEqual(d);
      expect(d.name.en && d.name['zh-CN']).toBeTruthy();
      expect(d.credentials.some((f) => f.secret)).toBe(true);
    }
    patch('alioss', 'label', { en: 'Renamed OSS', 'zh-CN': '改名的 OSS' });
    expect(describeVendor(VENDORS.alioss as unknown as VendorDefinition).name).toEqual({ en: 'Renamed OSS', 'zh-CN': '改名的 OSS' });
  });

  it('check settings changes and credential fields at the boundary, naming the field', () => {
    const h = vendorHandlers(undefined);
    expect(() => h.setSettings({ tencent: { colour: 'red' } })).toThrow(/tencent: Unrecognized key: "colour"|tencent.*colour/);
    expect(() => h.setSettings({ alioss: { rateLimits: { Everything: 1 } } })).toThrow(/alioss\.rateLimits/);
    return expect(h.set('wechat', { appId: 'wx1', secretKey: 'x' })).rejects.toThrow(/fields\.secretKey: is not a wechat credential field/);
  });
});
