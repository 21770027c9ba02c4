import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathsFromArgv } from '../../electron/main/argv';

const dir = mkdtempSync(join(tmpdir(), 'scandesk-argv-'));
mkdirSync(join(dir, 'scans'));
writeFileSync(join(dir, 'a.png'), 'x');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paths from the command line', () => {
  it('takes existing files and folders, resolved against the working directory', () => {
    const argv = ['/opt/ScanDesk/scandesk', '--allow-file-access', 'a.png', join(dir, 'scans'), 'missing.png', '--', '-odd-name'];
    expect(pathsFromArgv(argv, dir, true)).toEqual([join(dir, 'a.png'), join(dir, 'scans')]);
  });

  it('skips the app path Electron was started with when unpackaged', () => {
    expect(pathsFromArgv(['/usr/bin/electron', '.', 'a.png'], dir, false)).toEqual([join(dir, 'a.png')]);
    expect(pathsFromArgv(['/usr/bin/electron', dir], dir, false)).toEqual([]);
  });

  it('ignores duplicates and NUL bytes', () => {
    expect(pathsFromArgv(['x', 'a.png', join(dir, 'a.png'), 'a\0.png'], dir, true)).toEqual([join(dir, 'a.png')]);
  });
});
