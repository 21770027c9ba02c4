import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCount, pdfOfImages, sample } from '../documents/support';
import { startPostgres, type PgCluster } from '../support/postgres';
import { runCli } from './helpers';

/**
 * Documents and reconciliation of a batch on a shared PostgreSQL queue, through the real CLI:
 * the separation rule and the expected list are stored with the batch in the queue, the export
 * carries both, and the document PDFs are written from the queue's blob store (by checksum),
 * not from the submitting desk's paths: the input folder is moved away before they are written.
 */
let tmp: string;
let cluster: PgCluster;
const SEP_A = sample('ean13-1/1.png');
const SEP_B = sample('ean13-1/2.png');
const QR_1 = sample('qrcode-2/1.png');
const QR_2 = sample('qrcode-3/01.png');
const DM = sample('datamatrix-1/0123456789.png');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pg-docs-'));
  cluster = await startPostgres();
  // In intake order: a scanned stack (separator A, two pages), separator B's sheet, one page.
  mkdirSync(join(tmp, 'in'));
  await pdfOfImages([SEP_A.path, QR_1.path, QR_2.path], join(tmp, 'in', 'a-stack.pdf'));
  copyFileSync(SEP_B.path, join(tmp, 'in', 'b-separator.png'));
  copyFileSync(DM.path, join(tmp, 'in', 'c-page.png'));
  mkdirSync(join(tmp, 'blobs'));
  writeFileSync(join(tmp, 'expected.csv'), `Barcode\n${SEP_A.text}\n${SEP_B.text}\n0000000000000\n`);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('scandesk scan --queue with documents and an expected list', { timeout: 180_000 }, () => {
  it('stores both with the shared batch, exports them, and writes the PDFs from the blob store', async () => {
    const url = await cluster.createDatabase();
    const init = await runCli(['queue', 'init', url, '--blobs', join(tmp, 'blobs')]);
    expect(init.code, init.stderr).toBe(0);
    const flags = ['--queue', url, '--db', join(tmp, 'profile.sqlite'), '--jobs', '1', '--separate-on', '^\\d{13}$', '--drop-separators', '--expect', join(tmp, 'expected.csv')];

    const first = await runCli(['scan', join(tmp, 'in'), '--out', join(tmp, 'first.json'), ...flags]);
    expect(first.stderr).not.toMatch(/^error:/m);
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(tmp, 'first.json'), 'utf8')) as {
      items: { path: string; page: number; document: number }[];
      documents: { key: string; pages: { page: number }[] }[];
      reconciliation: { found: { value: string }[]; missing: { value: string }[] };
    };
    expect(out.items.map((i) => [i.path.split('/').pop(), i.page, i.document])).toEqual([
      ['a-stack.pdf', 1, 1],
      ['a-stack.pdf', 2, 1],
      ['a-stack.pdf', 3, 1],
      ['b-separator.png', 1, 2],
      ['c-page.png', 1, 2],
    ]);
    expect(out.documents.map((d) => d.key)).toEqual([SEP_A.text, SEP_B.text]);
    expect(out.reconciliation.found.map((v) => v.value).sort()).toEqual([SEP_A.text, SEP_B.text].sort());
    expect(out.reconciliation.missing.map((v) => v.value)).toEqual(['0000000000000']);
    expect(first.stdout).toContain('expected: 3 values from expected.csv (Barcode)');

    // The desk's files are gone: the same command exports the finished batch again and writes
    // each document from the queue's copies, checked against the checksums.
    renameSync(join(tmp, 'in'), join(tmp, 'moved'));
    const again = await runCli(['scan', join(tmp, 'in'), '--out', join(tmp, 'again.json'), '--documents-out', join(tmp, 'docs'), ...flags]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already finished');
    expect(readdirSync(join(tmp, 'docs')).sort()).toEqual([`${SEP_A.text}.pdf`, `${SEP_B.text}.pdf`]);
    expect(await pageCount(join(tmp, 'docs', `${SEP_A.text}.pdf`))).toBe(2);
    expect(await pageCount(join(tmp, 'docs', `${SEP_B.text}.pdf`))).toBe(1);
    expect(again.stdout).toContain(`PDFs:  2 of 2 written to ${join(tmp, 'docs')}`);

    // A copy that no longer matches its checksum is refused for its document, named by the page's own file.
    const sha = createHash('sha256').update(readFileSync(join(tmp, 'moved', 'c-page.png'))).digest('hex');
    writeFileSync(join(tmp, 'blobs', sha.slice(0, 2), sha), 'not the scanned page');
    const bad = await runCli(['scan', join(tmp, 'in'), '--out', join(tmp, 'bad.json'), '--documents-out', join(tmp, 'docs2'), ...flags]);
    expect(bad.code, bad.stderr).toBe(0);
    expect(bad.stdout).toContain(`PDFs:  1 of 2 written to ${join(tmp, 'docs2')}`);
    expect(bad.stdout).toMatch(/document 2 .*c-page\.png: the file changed since the batch read it/);
    expect(readdirSync(join(tmp, 'docs2'))).toEqual([`${SEP_A.text}.pdf`]);
  });

  it('keeps the rule and the list of a batch submitted for the workers, and refuses --documents-out there', async () => {
    const url = await cluster.createDatabase();
    expect((await runCli(['queue', 'init', url, '--blobs', join(tmp, 'blobs')])).code).toBe(0);
    mkdirSync(join(tmp, 'one'));
    copyFileSync(SEP_B.path, join(tmp, 'one', 'sheet.png'));
    const common = ['--queue', url, '--db', join(tmp, 'profile2.sqlite'), '--separate-every', '1', '--expect', join(tmp, 'expected.csv')];
    const refused = await runCli(['scan', join(tmp, 'one'), '--submit-only', '--documents-out', join(tmp, 'docs3'), ...common]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--documents-out');
    const sub = await runCli(['scan', join(tmp, 'one'), '--submit-only', ...common]);
    expect(sub.code, sub.stderr).toBe(0);
    const id = Number(/Batch (\d+) is in/.exec(sub.stdout)?.[1]);
    const pg = (await import('pg')).default;
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      expect((await db.query(`SELECT rule_json FROM batch_separation WHERE batch_id = $1`, [id])).rows.map((r) => JSON.parse(r.rule_json))).toEqual([
        { kind: 'every', pages: 1 },
      ]);
      expect((await db.query(`SELECT value FROM batch_expected WHERE batch_id = $1 ORDER BY ord`, [id])).rows.map((r) => r.value)).toEqual([
        SEP_A.text,
        SEP_B.text,
        '0000000000000',
      ]);
    } finally {
      await db.end();
    }
  });
});
