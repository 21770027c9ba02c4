import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineRegistry } from '../../electron/core/engines/registry';
import { tencentEndpoint } from '../../electron/core/settings/endpoints';
import { defaultVendorSettings, VendorSettingsStore, vendorSettingsPath } from '../../electron/core/settings';

/** The non-secret vendor settings file: defaults, validation, atomic saves, endpoint overrides. */
describe('vendor settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lives beside the database; a missing file means the documented defaults', () => {
    const file = vendorSettingsPath(join(dir, 'a', 'scandesk.db'));
    expect(file).toBe(join(dir, 'a', 'vendor-settings.json'));
    const s = new VendorSettingsStore(file, {});
    expect(s.get()).toEqual(defaultVendorSettings());
    expect(s.get()).toMatchObject({ tencent: { region: 'ap-guangzhou', concurrency: 8 }, wechat: { concurrency: 2 }, alioss: { keepUploads: false, prefix: 'scandesk-tmp' } });
    expect(s.problem).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('saves a change atomically (merged, validated, no temporary file left) and reads it back', () => {
    const file = join(dir, 'b', 'vendor-settings.json');
    const s = new VendorSettingsStore(file, {});
    s.update({ alioss: { bucket: 'my-scans', region: 'cn-shanghai', rateLimits: { PutObject: 3 } } });
    s.update({ alioss: { keepUploads: true }, tencent: { region: 'ap-beijing' } });
    const again = new VendorSettingsStore(file, {}).get();
    expect(again.alioss).toMatchObject({ bucket: 'my-scans', region: 'cn-shanghai', keepUploads: true, rateLimits: { PutObject: 3 } });
    expect(again.tencent.region).toBe('ap-beijing');
    expect(readdirSync(join(dir, 'b'))).toEqual(['vendor-settings.json']);
    s.update({ alioss: { bucket: null } });
    expect(new VendorSettingsStore(file, {}).get().alioss.bucket).toBeUndefined();
  });

  it('refuses secrets and bad values, naming the field, and leaves the file as it was', () => {
    const file = join(dir, 'c', 'vendor-settings.json');
    const s = new VendorSettingsStore(file, {});
    s.update({ wechat: { concurrency: 3 } });
    const before = readFileSync(file, 'utf8');
    expect(() => s.update({ tencent: { secretKey: 'sk-should-never-be-here' } as never })).toThrow(/tencent: Unrecognized key: "secretKey"/);
    expect(() => s.update({ wechat: { concurrency: 0 } })).toThrow(/wechat.concurrency/);
    expect(() => s.update({ alioss: { endpoint: 'https://key:secret@oss.example.com' } })).toThrow(/alioss.endpoint/);
    expect(() => s.update({ tencent: { region: 'ap-shanghai' as never } })).toThrow(/tencent.region/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(before).not.toContain('sk-should-never-be-here');
  });

  it('a damaged file gives defaults and says why (the app still starts)', () => {
    const file = join(dir, 'd.json');
    writeFileSync(file, '{"tencent": {"region": "mars-1"}');
    const s = new VendorSettingsStore(file, {});
    expect(s.get()).toEqual(defaultVendorSettings());
    expect(s.problem).toMatch(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ tencent: { region: 'mars-1' } }));
    const t = new VendorSettingsStore(file, {});
    expect(t.get()).toEqual(defaultVendorSettings());
    expect(t.problem).toMatch(/tencent.region/);
  });

  it('endpoint variables override for this process only, and a bad one names the variable', () => {
    const file = join(dir, 'e', 'vendor-settings.json');
    const env = { SCANDESK_WECHAT_BASE_URL: 'http://127.0.0.1:4567', SCANDESK_ALIOSS_ENDPOINT: 'http://127.0.0.1:4568' };
    const s = new VendorSettingsStore(file, env);
    s.update({ wechat: { concurrency: 4 } });
    expect(s.get().wechat).toMatchObject({ baseUrl: 'http://127.0.0.1:4567', concurrency: 4 });
    expect(s.get().alioss.endpoint).toBe('http://127.0.0.1:4568');
    expect(readFileSync(file, 'utf8')).not.toContain('4567');
    expect(() => new VendorSettingsStore(file, { SCANDESK_TENCENT_ENDPOINT: 'ftp://x' }).get()).toThrow(/SCANDESK_TENCENT_ENDPOINT/);
  });

  it('a Tencent endpoint naming an IP is called there while signing for the real host', () => {
    expect(tencentEndpoint('http://127.0.0.1:8123')).toEqual({ endpoint: 'ocr.tencentcloudapi.com:8123', protocol: 'http://', resolveTo: '127.0.0.1' });
    expect(tencentEndpoint('https://ocr.ap-beijing.tencentcloudapi.com')).toEqual({ endpoint: 'ocr.ap-beijing.tencentcloudapi.com', protocol: 'https://' });
    expect(tencentEndpoint(undefined)).toBeUndefined();
  });

  it('the registry follows the settings: vendor concurrency read live, all four engines by default', async () => {
    const s = new VendorSettingsStore(join(dir, 'f', 'vendor-settings.json'), {});
    const registry = createEngineRegistry({ settings: s, local: { size: 1 } });
    try {
      expect(registry.engines.map((e) => [e.id, e.tasks])).toEqual([
        ['local', ['codes']],
        ['tencent', ['codes', 'idcard']],
        ['wechat', ['codes', 'text']],
        ['alioss', ['codes']],
      ]);
      expect(registry.get('wechat')!.concurrency).toBe(2);
      s.update({ wechat: { concurrency: 5 } });
      expect(registry.get('wechat')!.concurrency).toBe(5);
    } finally {
      await registry.close();
    }
  });
});
