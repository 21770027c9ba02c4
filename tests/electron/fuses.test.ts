import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { installedElectronBinary } from '../../scripts/electron-binary.mjs';

/**
 * The fuses a packaged ScanDesk ships with, read back from a binary that electron-builder's own
 * fuse code (the code `npm run dist` runs: generateFuseConfig, then addElectronFuses) has flipped
 * from electron-builder.yml.
 *
 * Packaging cannot run here (it downloads Electron), so the binary is a stand-in: bytes with
 * Electron's fuse sentinel and a V1 wire set to Electron's defaults, which is all @electron/fuses
 * reads or writes. Where the real Electron binary is installed, a copy of it is flipped too.
 */
const repo = resolve(import.meta.dirname, '../..');
const nodeRequire = createRequire(import.meta.url);
const config = load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> };
const { PlatformPackager } = nodeRequire('app-builder-lib') as {
  PlatformPackager: {
    prototype: {
      generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string, unknown>>;
      addElectronFuses(context: { appOutDir: string; electronPlatformName: string }, fuses: Record<string, unknown>): Promise<number>;
    };
  };
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = FuseState.ENABLE;
const OFF = FuseState.DISABLE;
/** Electron 45's defaults, in wire order (FuseV1Options): what an unflipped binary carries. */
const ELECTRON_DEFAULTS = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What packaging does to the Linux executable `<appOutDir>/ScanDesk`. */
async function packageFuses(binary: string): Promise<void> {
  const fuses = await PlatformPackager.prototype.generateFuseConfig(config.electronFuses!);
  const packager = { appInfo: { productFilename: 'ScanDesk' } };
  await PlatformPackager.prototype.addElectronFuses.call(packager, { appOutDir: resolve(binary, '..'), electronPlatformName: 'linux' }, fuses);
}

function standInBinary(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-fuses-'));
  dirs.push(dir);
  // After the sentinel: the wire version (the byte 1), the number of fuses, one byte per fuse.
  const wire = Buffer.from([1, ELECTRON_DEFAULTS.length, ...ELECTRON_DEFAULTS]);
  const filler = Buffer.alloc(64 * 1024, 0xcc);
  writeFileSync(join(dir, 'ScanDesk'), Buffer.concat([filler, Buffer.from(SENTINEL), wire, filler]));
  return join(dir, 'ScanDesk');
}

async function expectShippedFuses(binary: string): Promise<void> {
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
  expect(wire[FuseV1Options.RunAsNode], 'ELECTRON_RUN_AS_NODE ignored').toBe(OFF);
  expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable], 'NODE_OPTIONS ignored').toBe(OFF);
  expect(wire[FuseV1Options.EnableNodeCliInspectArguments], '--inspect ignored').toBe(OFF);
  expect(wire[FuseV1Options.EnableCookieEncryption], 'cookies encrypted').toBe(ON);
  expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], 'ASAR integrity checked').toBe(ON);
  expect(wire[FuseV1Options.OnlyLoadAppFromAsar], 'app only from ASAR').toBe(ON);
  expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges], 'file:// not privileged').toBe(OFF);
}

describe('Electron fuses applied at packaging', () => {
  it('electron-builder.yml names every fuse the app relies on', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("electron-builder's fuse step turns Electron's defaults into ScanDesk's", async () => {
    const binary = standInBinary();
    const before = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    expect(before[FuseV1Options.RunAsNode]).toBe(ON); // the stand-in starts as Electron ships
    await packageFuses(binary);
    await expectShippedFuses(binary);
    // Fuses packaging does not name keep Electron's default.
    const after = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    expect(after[FuseV1Options.WasmTrapHandlers]).toBe(ON);
  });

  const electronBinary = installedElectronBinary(repo);
  it.runIf(electronBinary)('flips the same fuses in a copy of the installed Electron binary (runs where `npm run electron:fetch` installed it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scandesk-fuses-real-'));
    dirs.push(dir);
    const copy = join(dir, 'ScanDesk');
    copyFileSync(electronBinary!, copy);
    await packageFuses(copy);
    await expectShippedFuses(copy);
  });
});
