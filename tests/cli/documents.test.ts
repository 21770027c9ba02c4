import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCount, pdfOfImages, sample } from '../documents/support';
import { runCli, type CliResult } from './helpers';

/**
 * `scandesk scan` splitting a scanned stack (a generated PDF of real sample images) into
 * documents with one PDF each, and reconciling it against an expected list, in one run of
 * the real CLI.
 */
let tmp: string;
let run: CliResult;
const SEP_A = sample('ean13-1/1.png');
const SEP_B = sample('ean13-1/2.png');
const PAGES = [SEP_A, sample('qrcode-2/1.png'), sample('qrcode-3/01.png'), SEP_B, sample('datamatrix-1/0123456789.png')];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-cli-docs-'));
  await pdfOfImages(
    PAGES.map((p) => p.path),
    join(tmp, 'stack.pdf'),
  );
  writeFileSync(join(tmp, 'expected.csv'), `Barcode\n${SEP_A.text}\n${SEP_B.text}\n0000000000000\n`);
  run = await runCli([
    'scan',
    join(tmp, 'stack.pdf'),
    '--out',
    join(tmp, 'out.json'),
    '--db',
    join(tmp, 'scan.sqlite'),
    '--jobs',
    '1',
    '--separate-on',
    '^\\d{13}$',
    '--drop-separators',
    '--documents-out',
    join(tmp, 'docs'),
    '--expect',
    join(tmp, 'expected.csv'),
  ]);
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scandesk scan --separate-on --documents-out --expect', { timeout: 120_000 }, () => {
  it('writes one PDF per document, named by its separator code, without the separator sheets', async () => {
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Created the folder ${join(tmp, 'docs')} for the document PDFs.`);
    expect(readdirSync(join(tmp, 'docs')).sort()).toEqual([`${SEP_A.text}.pdf`, `${SEP_B.text}.pdf`]);
    expect(await pageCount(join(tmp, 'docs', `${SEP_A.text}.pdf`))).toBe(2);
    expect(await pageCount(join(tmp, 'docs', `${SEP_B.text}.pdf`))).toBe(1);
  });

  it('adds the documents and the reconciliation to the output, and says so in the summary', () => {
    const out = JSON.parse(readFileSync(join(tmp, 'out.json'), 'utf8')) as {
      items: { document: number }[];
      documents: { key: string; pages: { page: number }[] }[];
      reconciliation: { found: { value: string }[]; missing: { value: string }[]; unexpected: unknown[]; duplicates: unknown[] };
    };
    expect(out.items.map((i) => i.document)).toEqual([1, 1, 1, 2, 2]);
    expect(out.documents.map((d) => [d.key, d.pages.map((p) => p.page)])).toEqual([
      [SEP_A.text, [2, 3]],
      [SEP_B.text, [5]],
    ]);
    expect(out.reconciliation.found.map((v) => v.value).sort()).toEqual([SEP_A.text, SEP_B.text].sort());
    expect(out.reconciliation.missing).toEqual([{ value: '0000000000000', pages: [] }]);
    expect(out.reconciliation.unexpected.length).toBeGreaterThanOrEqual(3);
    expect(run.stdout).toMatch(/documents: 2 \(a new one at each code matching \/\^\\d\{13\}\$\/, separator pages dropped\)/);
    expect(run.stdout).toContain(`PDFs:  2 of 2 written to ${join(tmp, 'docs')}`);
    expect(run.stdout).toContain('expected: 3 values from expected.csv (Barcode)');
    expect(run.stdout).toMatch(/found 2, missing 1, unexpected \d+, duplicates 0/);
    expect(run.stdout).toContain('missing: 0000000000000');
  });

  it('refuses flags that do not go together, and a pattern that does not compile, before scanning', async () => {
    const bad = await runCli(['scan', join(tmp, 'stack.pdf'), '--out', join(tmp, 'x.json'), '--db', join(tmp, 'x.sqlite'), '--drop-separators', '--separate-every', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--drop-separators goes with --separate-on (separator pages carry the code).');
    const regex = await runCli(['scan', join(tmp, 'stack.pdf'), '--out', join(tmp, 'x.json'), '--db', join(tmp, 'x.sqlite'), '--separate-on', '(', '--expect', join(tmp, 'nope.csv')]);
    expect(regex.code).toBe(2);
    expect(regex.stderr).toMatch(/The separator pattern is not a valid regular expression/);
    expect(readdirSync(tmp)).not.toContain('x.json');
  });
});
