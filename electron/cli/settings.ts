import { resolve } from 'node:path';
import { ScanError } from '../core/errors';
import { VendorSettingsStore, vendorSettingsPath, type VendorSettingsPatch } from '../core/settings';
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { defaultDbPath } from './paths';
import type { CliIo } from './scan';

export interface SettingsOptions {
  db?: string;
}

/**
 * `scandesk settings show | set <key> <value>`: the non-secret vendor settings beside the
 * database (vendor-settings.json). Keys are dotted paths (alioss.bucket,
 * tencent.rateLimits.QrcodeOCR); values are read as JSON when they parse (numbers, true,
 * false, null to clear) and as text otherwise. Credentials are refused: they belong in the
 * keychain (scandesk credentials set).
 */
export function runSettings(action: string, key: string | undefined, value: string | undefined, o: SettingsOptions, io: CliIo): number {
  const store = new VendorSettingsStore(vendorSettingsPath(resolve(o.db ?? defaultDbPath(io.env))), io.env);
  try {
    if (action === 'show') {
      io.stdout.write(`# ${store.file}${store.problem ? `\n# ${store.problem}` : ''}\n${JSON.stringify(store.get(), null, 2)}\n`);
      return EXIT_OK;
    }
    if (action !== 'set') throw new UsageError(`Unknown action "${action}": use show or set.`);
    if (!key || value === undefined) throw new UsageError('Usage: scandesk settings set <vendor.key> <value>');
    const path = key.split('.');
    if (path.length < 2 || path.some((p) => p === '')) throw new UsageError(`"${key}" is not a setting: use vendor.key, e.g. alioss.bucket.`);
    if (/secret|password|token|accesskey/i.test(key)) {
      throw new UsageError('Credentials are not settings: store them with "scandesk credentials set <vendor>".');
    }
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // plain text
    }
    const patch = path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), parsed) as VendorSettingsPatch;
    const next = store.update(patch);
    const shown = path.reduce<unknown>((o2, k) => (o2 && typeof o2 === 'object' ? (o2 as Record<string, unknown>)[k] : undefined), next);
    io.stdout.write(`${key} = ${JSON.stringify(shown) ?? '(default)'}  (saved in ${store.file})\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ScanError && err.code === 'INVALID_INPUT') {
      io.stderr.write(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
