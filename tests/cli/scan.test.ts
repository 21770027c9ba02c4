import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySamples, logLines, runCli, type CliResult } from './helpers';

/**
 * The real CLI, spawned as a child process, on real images plus the bad files people drop
 * into folders: a zero-byte file, a text file named .jpg, a broken symlink.
 */
let tmp: string;
let input: string;
let expected: Map<string, string | null>;
let first: CliResult;
const decodeLog = () => join(tmp, 'decodes.log');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-cli-'));
  input = join(tmp, '扫描件');
  mkdirSync(join(input, 'sub'), { recursive: true });
  expected = copySamples(input, [
    { from: 'zxing/ean13-1/1.png', to: 'ean13.png' },
    { from: 'zxing/code128-1/1.png', to: 'sub/code128.png' },
    { from: 'zxing/qrcode-2/10.png', to: '二维码.png' },
  ]);
  writeFileSync(join(input, 'empty.jpg'), '');
  writeFileSync(join(input, 'notes.jpg'), 'this is a text file, not a JPEG\n');
  symlinkSync(join(tmp, 'does-not-exist.png'), join(input, 'gone.png'));
  first = await runCli(['scan', input, '--out', join(tmp, 'out', 'results.xlsx'), '--db', join(tmp, 'scan.sqlite'), '--jobs', '1'], {
    SCANDESK_DECODE_LOG: decodeLog(),
  });
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cellText(v: ExcelJS.CellValue): string {
  if (v && typeof v === 'object' && 'text' in v) return String(v.text);
  return v === null || v === undefined ? '' : String(v);
}

describe('scandesk scan', () => {
  it('exits 0 although some files are bad, and writes the XLSX', () => {
    expect(first.stderr).not.toMatch(/^error:/m);
    expect(first.code).toBe(0);
    expect(existsSync(join(tmp, 'out', 'results.xlsx'))).toBe(true);
  });

  it('finds the codes of the real images', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(tmp, 'out', 'results.xlsx'));
    const det = wb.getWorksheet('Detections')!;
    const found = new Map<string, string[]>();
    det.eachRow((row, n) => {
      if (n === 1) return;
      const file = cellText(row.getCell(2).value);
      found.set(file, [...(found.get(file) ?? []), cellText(row.getCell(7).value)]);
    });
    for (const [file, text] of expected) {
      // XML (hence XLSX) stores line ends as LF; the CSV and JSON keep them exactly.
      expect(found.get(file), file).toContain(text!.replace(/\r\n?/g, '\n'));
    }
  });

  it('lists every file on the Pages sheet, bad ones with their reason', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(tmp, 'out', 'results.xlsx'));
    const pages = new Map<string, { status: string; code: string }>();
    wb.getWorksheet('Pages')!.eachRow((row, n) => {
      if (n > 1) pages.set(cellText(row.getCell(1).value), { status: cellText(row.getCell(3).value), code: cellText(row.getCell(6).value) });
    });
    for (const file of expected.keys()) expect(pages.get(file)?.status, file).toBe('done');
    expect(pages.get(join(input, 'empty.jpg'))).toEqual({ status: 'failed', code: 'FILE_EMPTY' });
    expect(pages.get(join(input, 'gone.png'))).toEqual({ status: 'failed', code: 'FILE_NOT_FOUND' });
    expect(pages.get(join(input, 'notes.jpg'))?.code).toBe('UNSUPPORTED_FORMAT');
    expect(['failed', 'skipped']).toContain(pages.get(join(input, 'notes.jpg'))?.status);
  });

  it('prints a summary with failures grouped by error code', () => {
    expect(first.stdout).toMatch(/pages: +6/);
    expect(first.stdout).toMatch(/done: +3/);
    expect(first.stdout).toMatch(/FILE_EMPTY \(1\)/);
    expect(first.stdout).toMatch(/FILE_NOT_FOUND \(1\)/);
    expect(first.stdout).toContain(join(input, 'empty.jpg'));
    expect(first.stdout).toContain(`output:  ${join(tmp, 'out', 'results.xlsx')}`);
    expect(first.stdout).toMatch(/time: +\d/);
  });

  it('writes plain progress lines when not on a terminal', () => {
    const all = first.stdout + first.stderr;
    expect(all).not.toContain('\r');
    expect(all).not.toContain('\u001b[');
    expect(first.stderr).toMatch(/^progress: \d+\/6 pages/m);
  });

  it('re-exports a finished batch as CSV and JSON without decoding again', async () => {
    const before = logLines(decodeLog()).length;
    expect(before).toBe(3);
    const csvRun = await runCli(['scan', input, '--out', join(tmp, 'results.csv'), '--db', join(tmp, 'scan.sqlite')], {
      SCANDESK_DECODE_LOG: decodeLog(),
    });
    expect(csvRun.code).toBe(0);
    expect(csvRun.stderr).toContain('already finished');
    const buf = readFileSync(join(tmp, 'results.csv'));
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(buf, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.file === join(input, 'ean13.png'))?.value).toBe(expected.get(join(input, 'ean13.png')));
    expect(rows.find((r) => r.file === join(input, 'empty.jpg'))?.error_code).toBe('FILE_EMPTY');

    const jsonRun = await runCli(['scan', input, '--out', join(tmp, 'results.json'), '--db', join(tmp, 'scan.sqlite')], {
      SCANDESK_DECODE_LOG: decodeLog(),
    });
    expect(jsonRun.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(tmp, 'results.json'), 'utf8'));
    expect(Object.keys(doc)).toEqual(['items']);
    const qr = doc.items.find((i: { path: string }) => i.path === join(input, '二维码.png'));
    expect(qr.status).toBe('done');
    expect(qr.detections.map((d: { text: string }) => d.text)).toContain(expected.get(join(input, '二维码.png')));
    expect(qr.detections[0].geometry.kind).toBe('quad');
    expect(qr.detections[0].geometry.points).toHaveLength(4);
    expect(logLines(decodeLog()).length).toBe(before);
  }, 120_000);
});

describe('scandesk scan: run failures and bad arguments', () => {
  it('rejects an unknown output extension', async () => {
    const r = await runCli(['scan', tmpdir(), '--out', join(tmp, 'results.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must end in .xlsx, .csv or .json');
  });

  it('requires --out and at least one path', async () => {
    const noOut = await runCli(['scan', tmpdir()]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '-o, --out <file>'");
    const noPath = await runCli(['scan', '--out', join(tmp, 'x.csv')]);
    expect(noPath.code).toBe(2);
    expect(noPath.stderr).toContain("missing required argument 'paths'");
  });

  it('rejects bad --jobs, --engine and unknown options', async () => {
    const cases = [['--jobs', '0'], ['--jobs', 'many'], ['--engine', 'nope'], ['--frobnicate']];
    const results = await Promise.all(cases.map((args) => runCli(['scan', tmpdir(), '--out', join(tmp, 'x.csv'), ...args])));
    results.forEach((r, i) => {
      expect(r.code, cases[i]!.join(' ')).toBe(2);
      expect(r.stderr, cases[i]!.join(' ')).toMatch(/^error: /m);
    });
  });

  it('rejects a task the engine cannot do', async () => {
    const r = await runCli(['scan', input, '--out', join(tmp, 'x.csv'), '--db', join(tmp, 'other.sqlite'), '--task', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The local engine cannot do the "text" task');
  });

  it('fails with exit 1 when the output cannot be written', async () => {
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, 'x');
    const r = await runCli(['scan', input, '--out', join(blocker, 'r.xlsx'), '--db', join(tmp, 'other.sqlite')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cannot write the output');
    const folder = join(tmp, 'folder.xlsx');
    mkdirSync(folder);
    const r2 = await runCli(['scan', input, '--out', folder, '--db', join(tmp, 'other.sqlite')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('it is a folder');
  });

  it('fails with exit 1 when the database cannot be opened', async () => {
    const dir = join(tmp, 'db-is-a-dir');
    mkdirSync(dir);
    const r = await runCli(['scan', input, '--out', join(tmp, 'r2.csv'), '--db', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cannot open the database');
  });

  it('does not scan its own database and output when they sit in the scanned folder', async () => {
    const dir = join(tmp, 'self');
    mkdirSync(dir);
    copySamples(dir, [{ from: 'zxing/ean13-1/1.png', to: 'a.png' }]);
    const args = ['scan', dir, '--out', join(dir, 'r.json'), '--db', join(dir, 'db.sqlite'), '--jobs', '1'];
    expect((await runCli(args)).code).toBe(0);
    const again = await runCli([...args, '--fresh']);
    expect(again.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(doc.items.map((i: { path: string }) => i.path)).toEqual([join(dir, 'a.png')]);
  }, 120_000);

  it('keeps its default database in the per-user data folder', async () => {
    const home = join(tmp, 'home');
    const r = await runCli(['scan', join(input, 'ean13.png'), '--out', join(tmp, 'one.json'), '--jobs', '1'], {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(home, 'data', 'scandesk', 'cli.sqlite'))).toBe(true);
  }, 120_000);
});

describe('scandesk --help', () => {
  it('documents every option of scan', async () => {
    const r = await runCli(['scan', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--out <file>', '--db <file>', '--jobs <n>', '--engine <id>', '--task <task>', '--name <name>', '--fresh', '--help']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('.xlsx, .csv or');
    expect(r.stdout).toMatch(/resume/i);
    expect(r.stdout).toMatch(/Exit status/);
  });

  it('lists the scan command at the top level', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scan [options] <paths...>');
    expect(r.stdout).toContain('scandesk scan --help');
  });
});
