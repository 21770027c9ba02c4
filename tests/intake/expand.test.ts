import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths, type IntakeResult } from '../../electron/core/intake';
import { Z, ZC } from '../fixtures/samples';

const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const PNG = Z + 'qrcode-2/1.png';
const JPEG = ZC + 'qrcode-2/estimate-tilt.jpg';
const WEBP = ZC + 'qrcode-2/6.webp';

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('expandPaths on a real folder tree', () => {
  let root: string;
  let result: IntakeResult;
  const progress: Array<[number, number]> = [];
  const rel = (p: string): string => (p.startsWith(root) ? p.slice(root.length + 1) : p);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'scandesk-intake-'));
    const put = (name: string, from: string): void => copyFileSync(from, join(root, name));
    mkdirSync(join(root, 'b'));
    put('b/scan10.png', PNG);
    put('b/scan2.png', PNG);
    mkdirSync(join(root, 'a/nested'), { recursive: true });
    put('a/nested/deep.jpg', JPEG);
    symlinkSync(root, join(root, 'a/nested/back')); // a loop back to the top
    symlinkSync(join(root, 'b'), join(root, 'b-again')); // the same folder twice
    put('photo 1.jpg', JPEG);
    put('扫描 件 📷 #1 %20.webp', WEBP);
    put('img10.png', PNG);
    put('img2.png', PNG);
    put('IMG3.png', PNG);
    put('actually-png.dat', PNG);
    put('three-pages.tiff', FIX + 'three-pages.tiff');
    put('two-qr.pdf', FIX + 'two-qr.pdf');
    put('locked.pdf', FIX + 'two-qr-encrypted.pdf');
    put('phone.HEIC', FIX + 'qr-photo.heic');
    put('photo.avif', FIX + 'qr-photo.avif');
    put('old.bmp', FIX + 'qr-b.bmp');
    await sharp(PNG).gif().toFile(join(root, 'anim.gif'));
    writeFileSync(join(root, 'corrupt.pdf'), '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\ngarbage without xref\n');
    writeFileSync(join(root, 'fake.jpg'), 'This is a text file that someone renamed to .jpg\n');
    writeFileSync(join(root, 'empty.png'), '');
    writeFileSync(join(root, 'empty.txt'), '');
    writeFileSync(join(root, 'notes.txt'), 'Invoice 2024-05 — 收据 ✓\nline two\n');
    writeFileSync(join(root, 'backup.gz'), gzipSync(Buffer.alloc(1000)));
    // An icon: an image, but not one we read. The user should see it, with the reason.
    writeFileSync(join(root, 'favicon.ico'), Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0x68, 4, 0, 0, 22, 0, 0, 0]));
    symlinkSync(join(root, 'gone.jpg'), join(root, 'broken.jpg'));
    symlinkSync(join(root, 'self.png'), join(root, 'self.png'));
    symlinkSync(join(root, 'photo 1.jpg'), join(root, 'zz-link.jpg')); // the same file twice
    // Hidden and system files: skipped quietly.
    put('.DS_Store', PNG);
    put('._photo 1.jpg', JPEG);
    put('Thumbs.db', PNG);
    put('desktop.ini', PNG);
    mkdirSync(join(root, '__MACOSX'));
    put('__MACOSX/x.png', PNG);
    mkdirSync(join(root, '$RECYCLE.BIN'));
    put('$RECYCLE.BIN/y.png', PNG);
    mkdirSync(join(root, '.hidden'));
    put('.hidden/z.png', PNG);

    result = await expandPaths([root, join(root, 'does-not-exist.png')], { onProgress: (d, t) => progress.push([d, t]) });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists pages in folder order, then natural name order, one item per TIFF/PDF page', () => {
    expect(result.items.map((i) => `${rel(i.path)}#${i.page}/${i.pageCount}`)).toEqual([
      'a/nested/deep.jpg#1/1',
      'b/scan2.png#1/1',
      'b/scan10.png#1/1',
      'actually-png.dat#1/1',
      'anim.gif#1/1',
      'broken.jpg#1/1',
      'corrupt.pdf#1/1',
      'empty.png#1/1',
      'fake.jpg#1/1',
      'favicon.ico#1/1',
      'img2.png#1/1',
      'IMG3.png#1/1',
      'img10.png#1/1',
      'locked.pdf#1/1',
      'old.bmp#1/1',
      'phone.HEIC#1/1',
      'photo 1.jpg#1/1',
      'photo.avif#1/1',
      'self.png#1/1',
      'three-pages.tiff#1/3',
      'three-pages.tiff#2/3',
      'three-pages.tiff#3/3',
      'two-qr.pdf#1/2',
      'two-qr.pdf#2/2',
      '扫描 件 📷 #1 %20.webp#1/1',
      'does-not-exist.png#1/1',
    ]);
  });

  it('sniffs the format from the bytes, not the name', () => {
    const fmt = Object.fromEntries(result.items.map((i) => [rel(i.path), i.format]));
    expect(fmt).toMatchObject({
      'a/nested/deep.jpg': 'jpeg',
      'actually-png.dat': 'png',
      'anim.gif': 'gif',
      'old.bmp': 'bmp',
      'phone.HEIC': 'heif',
      'photo.avif': 'avif',
      'three-pages.tiff': 'tiff',
      'two-qr.pdf': 'pdf',
      '扫描 件 📷 #1 %20.webp': 'webp',
      'fake.jpg': null,
    });
  });

  it('gives each unusable file a specific error and the usable ones none', () => {
    const err = Object.fromEntries(result.items.map((i) => [rel(i.path), i.error?.code ?? null]));
    expect(err).toEqual({
      'a/nested/deep.jpg': null,
      'b/scan2.png': null,
      'b/scan10.png': null,
      'actually-png.dat': null,
      'anim.gif': null,
      'broken.jpg': 'FILE_NOT_FOUND',
      'corrupt.pdf': 'PDF_CORRUPT',
      'empty.png': 'FILE_EMPTY',
      'fake.jpg': 'UNSUPPORTED_FORMAT',
      'favicon.ico': 'UNSUPPORTED_FORMAT',
      'img2.png': null,
      'IMG3.png': null,
      'img10.png': null,
      'locked.pdf': 'PDF_PASSWORD',
      'old.bmp': null,
      'phone.HEIC': null,
      'photo 1.jpg': null,
      'photo.avif': null,
      'self.png': 'FILE_UNREADABLE',
      'three-pages.tiff': null,
      'two-qr.pdf': null,
      '扫描 件 📷 #1 %20.webp': null,
      'does-not-exist.png': 'FILE_NOT_FOUND',
    });
    const msg = (name: string): string => result.items.find((i) => rel(i.path) === name)!.error!.message;
    expect(msg('fake.jpg')).toBe('fake.jpg: not an image or PDF we can read; it looks like plain text.');
    expect(msg('favicon.ico')).toBe('favicon.ico: not an image or PDF we can read; it looks like an image in ICO format (image/x-icon), which is not supported.');
    expect(msg('broken.jpg')).toContain('broken link');
    expect(msg('self.png')).toContain('symbolic link loop');
    expect(msg('locked.pdf')).toContain('password-protected');
    expect(msg('empty.png')).toBe('empty.png: the file is empty (0 bytes).');
  });

  it('hashes every readable image file (sha256 of the bytes) and records its size', () => {
    for (const item of result.items.filter((i) => i.error === null)) {
      expect(item.sha256).toBe(sha(item.path));
      expect(item.size).toBe(readFileSync(item.path).length);
    }
    const locked = result.items.find((i) => rel(i.path) === 'locked.pdf')!;
    expect(locked.sha256).toBe(sha(locked.path));
  });

  it('lists other files as skipped with the reason, hidden/system ones not at all, and stops at link loops', () => {
    const skipped = Object.fromEntries(result.skipped.map((s) => [rel(s.path), s.reason]));
    expect(skipped).toEqual({
      'a/nested/back': `symbolic link loop: leads back to the folder ${root}, which is already being scanned`,
      'b-again': `the same folder as ${join(root, 'b')} (already included)`,
      'backup.gz': 'not an image or PDF: looks like a .gz file (application/gzip)',
      'empty.txt': 'empty file (0 bytes)',
      'notes.txt': 'not an image or PDF: looks like plain text',
      'zz-link.jpg': `the same file as ${join(root, 'photo 1.jpg')} (already included)`,
    });
  });

  it('reports progress per file examined', () => {
    const total = progress[0]![1];
    // Every distinct file listed as an item, plus the files examined and then skipped.
    const examinedSkips = result.skipped.filter((s) => /^(not an image|empty file)/.test(s.reason)).length;
    expect(total).toBe(new Set(result.items.map((i) => i.path)).size + examinedSkips);
    expect(progress.map(([d]) => d)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await expect(expandPaths([root], { signal: ac.signal })).rejects.toThrow('user cancelled');
  });

  it('treats a single file given explicitly like any other, whatever its name', async () => {
    const r = await expandPaths([join(root, 'notes.txt'), join(root, 'two-qr.pdf'), join(root, '.DS_Store')]);
    expect(r.items.map((i) => [rel(i.path), i.page, i.format, i.error?.code ?? null])).toEqual([
      ['notes.txt', 1, null, 'UNSUPPORTED_FORMAT'],
      ['two-qr.pdf', 1, 'pdf', null],
      ['two-qr.pdf', 2, 'pdf', null],
      ['.DS_Store', 1, 'png', null],
    ]);
  });
});
