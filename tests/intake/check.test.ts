/**
 * The new-batch dialog's look at paths before a batch exists (checkPaths) and typed-path
 * completion (completePath), on a real folder tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { checkPaths, completePath } from '../../electron/core/intake';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-check-'));
  mkdirSync(join(dir, 'Scans', 'March'), { recursive: true });
  mkdirSync(join(dir, 'Screens'));
  for (const f of ['a.png', 'b.JPG', 'March/c.pdf']) writeFileSync(join(dir, 'Scans', f), 'x');
  for (const f of ['notes.txt', 'March/d.docx', '.DS_Store', 'Thumbs.db']) writeFileSync(join(dir, 'Scans', f), 'x');
  writeFileSync(join(dir, 'scan.tif'), 'x');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkPaths', () => {
  it('counts a folder tree by name (hidden and system files aside), and names a missing path like intake', async () => {
    const [folder, file, missing] = await checkPaths([join(dir, 'Scans'), join(dir, 'scan.tif'), join(dir, 'Scnas')]);
    expect(folder).toMatchObject({ kind: 'folder', images: 3, others: 2, capped: false, error: null });
    expect(file).toMatchObject({ kind: 'file', images: 1, others: 0, error: null });
    expect(missing).toMatchObject({ kind: null, error: { code: 'FILE_NOT_FOUND' } });
    expect(missing!.error!.message).toContain('no such file or folder');
  });

  it('stops counting a huge tree at its limit and says so', async () => {
    const [r] = await checkPaths([join(dir, 'Scans')], 3);
    expect(r).toMatchObject({ kind: 'folder', capped: true });
    expect(r!.images + r!.others).toBeLessThanOrEqual(3);
  });
});

describe('completePath', () => {
  it('lists folders first (going on into them), then image files, by prefix and case-insensitively', async () => {
    expect(await completePath(join(dir, 'sc'))).toEqual([
      { path: join(dir, 'Scans') + sep, folder: true },
      { path: join(dir, 'Screens') + sep, folder: true },
      { path: join(dir, 'scan.tif'), folder: false },
    ]);
    expect((await completePath(join(dir, 'Scans') + sep)).map((e) => e.path)).toEqual([
      join(dir, 'Scans', 'March') + sep,
      join(dir, 'Scans', 'a.png'),
      join(dir, 'Scans', 'b.JPG'),
    ]);
    expect(await completePath(join(dir, 'nowhere', 'x'))).toEqual([]);
  });
});
