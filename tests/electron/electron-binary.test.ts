import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installedElectronBinary } from '../../scripts/electron-binary.mjs';

/**
 * `npm start` and the Electron tests find the binary from the electron package's path.txt,
 * never through require('electron'), which since Electron 45 downloads a missing binary.
 */
const root = mkdtempSync(join(tmpdir(), 'scandesk-electron-bin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeRepo(name: string, opts: { pathTxt?: string; binary?: boolean }): string {
  const pkg = join(root, name, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  if (opts.pathTxt !== undefined) writeFileSync(join(pkg, 'path.txt'), opts.pathTxt);
  if (opts.binary) writeFileSync(join(pkg, 'dist', 'electron'), '');
  return join(root, name);
}

describe('installedElectronBinary', () => {
  it('is null when the binary was never fetched (no path.txt), and downloads nothing', () => {
    expect(installedElectronBinary(fakeRepo('fresh', {}))).toBeNull();
  });

  it('is null when path.txt names a binary that is not there', () => {
    expect(installedElectronBinary(fakeRepo('removed', { pathTxt: 'electron' }))).toBeNull();
  });

  it('is the binary in dist/ once fetched', () => {
    const repo = fakeRepo('fetched', { pathTxt: 'electron\n', binary: true });
    expect(installedElectronBinary(repo)).toBe(join(repo, 'node_modules', 'electron', 'dist', 'electron'));
  });
});
