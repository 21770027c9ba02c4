import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExport } from '../../electron/core/export';
import { writeNewFile } from '../../electron/core/export/atomic';
import { DownloadSpool, attachmentHeader } from '../../electron/core/export/downloads';
import { ExportHandles } from '../../electron/core/export/handles';
import { cutToBytes, defaultExportName, MAX_NAME_BYTES } from '../../electron/core/export/names';
import { checkExportFile, checkExportFolder } from '../../electron/core/export/target';
import { onceSource, sampleItems } from './fixtures';

/**
 * Where an export may be written (issue 12 "Exports go where the user chose", issue 9's export
 * items, issue 12 item 8's byte-length names), on a real file system.
 */
let dir: string;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-destination-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export names are cut by bytes, not UTF-16 units', () => {
  const cjk = '发票扫描批次'.repeat(14).slice(0, 80); // 80 characters, 240 bytes

  it('80 Chinese characters make a name that fits, cut between characters', () => {
    const name = defaultExportName(cjk, 12, 'xlsx', new Date(2026, 11, 6, 9, 30, 5));
    expect(bytes(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name).toMatch(/^发票扫描批次(发票扫描批次)*[发票扫描批次]*-12-20261206-093005\.xlsx$/);
    // An emoji of several code points, or a letter with a combining accent, is never split.
    expect(cutToBytes('ab👨‍👩‍👧', 10)).toBe('ab');
    expect(cutToBytes('e\u0301e\u0301', 4)).toBe('e\u0301');
  });

  it('writes such an export on this file system (the name and its temporary file both fit)', async () => {
    const name = defaultExportName(cjk, 12, 'csv');
    const out = await writeExport('csv', join(dir, name), onceSource(sampleItems('/s')));
    expect(basename(out.path)).toBe(name);
    expect(readFileSync(out.path, 'utf8')).toContain('中文二维码内容');
  });

  it('makes any batch name safe for every system', () => {
    expect(defaultExportName('CON', 3, 'csv', new Date(2026, 0, 1))).toBe('CON_-3-20260101-000000.csv');
    expect(defaultExportName('../..\\a:b*?"<>|\u0007', 4, 'json', new Date(2026, 0, 1))).toBe('_.._a_b_______-4-20260101-000000.json');
    expect(defaultExportName('...', 5, 'xlsx', new Date(2026, 0, 1))).toBe('batch-5-20260101-000000.xlsx');
  });
});

describe('folders are never created and must be on this computer', () => {
  it('a missing folder is an error that names it, and nothing is created', async () => {
    const missing = join(dir, 'nonexistent', 'deeper');
    await expect(checkExportFolder(missing)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`${missing} does not exist`) });
    await expect(checkExportFile(join(missing, 'out.csv'), 'csv', { allowUnc: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeExport('csv', join(missing, 'out.csv'), onceSource(sampleItems('/s')))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(dir, 'nonexistent'))).toBe(false);
  });

  it('refuses network paths, relative paths and files where a folder is meant', async () => {
    for (const p of ['\\\\attacker\\share', '//attacker/share', '\\\\?\\C:\\Users']) {
      await expect(checkExportFolder(p), p).rejects.toMatchObject({ message: expect.stringContaining('network path') });
    }
    await expect(checkExportFolder('exports')).rejects.toMatchObject({ message: expect.stringContaining('absolute') });
    writeFileSync(join(dir, 'a-file'), 'x');
    await expect(checkExportFolder(join(dir, 'a-file'))).rejects.toMatchObject({ message: expect.stringContaining('is a file, not a folder') });
  });

  it('a file path must carry the format\'s extension', async () => {
    for (const name of ['startup.bat', 'out.csv.lnk', 'out', 'out.xlsx']) {
      await expect(checkExportFile(join(dir, name), 'csv'), name).rejects.toMatchObject({ message: expect.stringContaining('must be named *.csv') });
    }
    expect(await checkExportFile(join(dir, 'OUT.CSV'), 'csv')).toBe(join(dir, 'OUT.CSV'));
  });
});

describe('a new file never replaces an existing one', () => {
  it('numbers the name when it is taken, leaving the old file as it was', async () => {
    const folder = join(dir, 'keep');
    mkdirSync(folder);
    writeFileSync(join(folder, 'batch.csv'), 'the user\'s own file');
    const first = await writeExport('csv', join(folder, 'batch.csv'), onceSource(sampleItems('/s')), { existing: 'keep' });
    const second = await writeExport('csv', join(folder, 'batch.csv'), onceSource(sampleItems('/s')), { existing: 'keep' });
    expect([basename(first.path), basename(second.path)]).toEqual(['batch (2).csv', 'batch (3).csv']);
    expect(readFileSync(join(folder, 'batch.csv'), 'utf8')).toBe('the user\'s own file');
    expect(readdirSync(folder).sort()).toEqual(['batch (2).csv', 'batch (3).csv', 'batch.csv']); // no temporary file left
  });

  it('a symlink in the way is not followed', async () => {
    const folder = join(dir, 'link');
    mkdirSync(folder);
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(dir, 'elsewhere.csv'), join(folder, 'b.csv'));
    const out = await writeNewFile(folder, 'b.csv', async (tmp) => writeFileSync(tmp, 'x'));
    expect(basename(out.path)).toBe('b (2).csv');
    expect(existsSync(join(dir, 'elsewhere.csv'))).toBe(false);
  });

  it('"replace" is for a file the user chose (save dialog, --out): it replaces it', async () => {
    const target = join(dir, 'chosen.json');
    writeFileSync(target, 'old');
    const out = await writeExport('json', target, onceSource(sampleItems('/s')));
    expect(out.path).toBe(target);
    expect(JSON.parse(readFileSync(target, 'utf8')).items).toHaveLength(5);
  });
});

describe('every format counts the same pages and codes', () => {
  it('XLSX, CSV and JSON of one batch report 5 pages and 10 codes (4 accepted)', async () => {
    for (const acceptedOnly of [false, true]) {
      const counts = [];
      for (const format of ['xlsx', 'csv', 'json'] as const) {
        const out = await writeExport(format, join(dir, `same-${acceptedOnly}.${format}`), onceSource(sampleItems('/s')), { acceptedOnly });
        counts.push([format, out.pages, out.codes]);
      }
      const codes = acceptedOnly ? 4 : 10;
      expect(counts).toEqual([
        ['xlsx', 5, codes],
        ['csv', 5, codes],
        ['json', 5, codes],
      ]);
    }
  });
});

describe('save-dialog handles', () => {
  it('write once, for the format they were chosen for, within their time', () => {
    let now = 1_000;
    const handles = new ExportHandles(60_000, () => now);
    const a = handles.issue('/home/u/a.csv', 'csv');
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(handles.take(a, 'csv')).toBe('/home/u/a.csv');
    expect(() => handles.take(a, 'csv')).toThrow(/already used or has expired/);
    const b = handles.issue('/home/u/b.csv', 'csv');
    expect(() => handles.take(b, 'xlsx')).toThrow(/chosen for a CSV file/);
    expect(() => handles.take(b, 'csv')).toThrow(/already used/); // spent by the wrong try too
    const c = handles.issue('/home/u/c.csv', 'csv');
    now += 60_001;
    expect(() => handles.take(c, 'csv')).toThrow(/expired/);
    expect(() => handles.take('made-up-handle-made-up-handle-xx', 'csv')).toThrow(/already used or has expired/);
  });
});

describe('downloads', () => {
  it('are fetched once and cleaned up; leftovers of a crash go at start', () => {
    const spoolDir = join(dir, 'spool');
    mkdirSync(spoolDir);
    writeFileSync(join(spoolDir, 'left-by-a-crash'), 'old export');
    const spool = new DownloadSpool(spoolDir);
    expect(readdirSync(spoolDir)).toEqual([]);
    const slot = spool.reserve();
    writeFileSync(join(slot.folder, slot.fileName), 'a,b\n');
    spool.offer(slot.id, join(slot.folder, slot.fileName), '三月.csv', 'csv');
    const d = spool.take(slot.id)!;
    expect(d).toMatchObject({ name: '三月.csv', contentType: 'text/csv; charset=utf-8' });
    expect(spool.take(slot.id)).toBeNull();
    d.discard();
    const other = spool.reserve();
    writeFileSync(join(other.folder, other.fileName), 'x');
    spool.offer(other.id, join(other.folder, other.fileName), 'x.csv', 'csv');
    spool.close();
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(attachmentHeader('三月 "x".csv')).toBe(`attachment; filename="__ _x_.csv"; filename*=UTF-8''%E4%B8%89%E6%9C%88%20%22x%22.csv`);
  });
});
