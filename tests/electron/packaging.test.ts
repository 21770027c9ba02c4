import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

/**
 * The packaging config is checked by electron-builder's own schema validator (packaging itself
 * needs the internet), and against what the app loads at run time.
 */
const repo = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): Record<string, unknown> };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(c: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = yaml.load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation, and a broken copy does not', async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...structuredClone(config), asarUnpackk: [] }, new DebugLogger(false))).rejects.toThrow();
  });

  it('targets nsis, dmg, AppImage and deb as ScanDesk', () => {
    expect(config.productName).toBe('ScanDesk');
    const text = JSON.stringify(config);
    for (const target of ['nsis', 'dmg', 'AppImage', 'deb']) expect(text).toContain(`"${target}"`);
  });

  it('unpacks every native module and run-time-loaded asset', () => {
    const unpack = (config.asarUnpack as string[]).join('\n');
    for (const native of ['better-sqlite3', 'sharp', 'keytar', '@napi-rs', '@img', 'zxing-wasm', '@embedpdf/pdfium', '@undecaf/zbar-wasm', 'pdfjs-dist', 'libheif-js']) {
      expect(unpack, native).toContain(`node_modules/${native}`);
    }
  });

  it('has the icons it names (1024 px master, Linux size set)', async () => {
    expect((await sharp(join(repo, 'resources/icon.png')).metadata()).width).toBe(1024);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const file = join(repo, `resources/icons/${size}x${size}.png`);
      expect(existsSync(file), file).toBe(true);
      expect((await sharp(file).metadata()).width).toBe(size);
    }
  });
});
