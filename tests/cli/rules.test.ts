import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../documents/support';
import { runCli, type CliResult } from './helpers';

/**
 * `scandesk scan` with review rules (issue 9) on real photos: two EAN-13 pages that pass (their
 * codes accepted by --auto-accept) and a QR page whose symbology the batch does not expect
 * (flagged, left for review), in one run of the real CLI; then the same batch judged again by
 * a rules file.
 */
let tmp: string;
let run: CliResult;
const EAN_A = sample('ean13-1/1.png');
const EAN_B = sample('ean13-1/2.png');
const QR = sample('qrcode-2/1.png');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-cli-rules-'));
  run = await runCli([
    'scan',
    EAN_A.path,
    EAN_B.path,
    QR.path,
    '--out',
    join(tmp, 'out.json'),
    '--db',
    join(tmp, 'scan.sqlite'),
    '--jobs',
    '1',
    '--symbologies',
    'EAN-13,Code128',
    '--pattern',
    'EAN-13=^[0-9]{13}$',
    '--gs1',
    '--codes-per-page',
    '1',
    '--auto-accept',
  ]);
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonOut {
  items: Array<{
    path: string;
    rule?: { verdict: string; reasons: string[] };
    detections: Array<{ symbology: string; value: string; review: string; rule?: { verdict: string; reasons: string[] } }>;
  }>;
}

describe('scandesk scan with review rules', { timeout: 120_000 }, () => {
  it('judges every code and page, accepts what passes, flags the rest with the reason', () => {
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    const out = JSON.parse(readFileSync(join(tmp, 'out.json'), 'utf8')) as JsonOut;
    const byPath = new Map(out.items.map((i) => [i.path, i]));
    for (const ean of [EAN_A, EAN_B]) {
      const item = byPath.get(ean.path)!;
      expect(item.rule).toEqual({ verdict: 'pass', reasons: [], breaks: [], codesBreaking: 0 });
      expect(item.detections.map((d) => [d.symbology, d.value, d.review, d.rule?.verdict])).toEqual([['EAN-13', ean.text, 'accepted', 'pass']]);
    }
    const qr = byPath.get(QR.path)!;
    expect(qr.rule).toMatchObject({ verdict: 'break', reasons: ['1 code breaks a rule'] });
    expect(qr.detections).toHaveLength(1);
    expect(qr.detections[0]).toMatchObject({ symbology: 'QRCode', review: 'pending', rule: { verdict: 'break', reasons: ['QRCode is not an expected symbology'] } });
    expect(run.stdout).toContain('rule breaks: 1 page (rule columns of the output say why)');
    expect(run.stdout).toContain(`${QR.path}: QRCode is not an expected symbology`);
  });

  it('judges the same batch again with a rules file, and writes the verdicts into CSV', async () => {
    writeFileSync(join(tmp, 'rules.json'), JSON.stringify({ patterns: { '*': '^X' }, codesPerPage: { min: 2, max: null } }));
    const again = await runCli(['scan', EAN_A.path, EAN_B.path, QR.path, '--out', join(tmp, 'out.csv'), '--db', join(tmp, 'scan.sqlite'), '--rules', join(tmp, 'rules.json')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already finished');
    expect(again.stdout).toContain('rule breaks: 3 pages');
    const rows = parse(readFileSync(join(tmp, 'out.csv'), 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const qrRow = rows.find((r) => r.file === QR.path)!;
    expect(qrRow.rule).toBe('break');
    expect(qrRow.rule_reason).toBe('does not match the pattern ^X');
    expect(qrRow.page_rule).toBe('break');
    expect(qrRow.page_rule_reason).toBe('1 code on the page, expected at least 2; 1 code breaks a rule');
    // Codes already accepted stay accepted: new rules accept, they never take a verdict back.
    expect(rows.find((r) => r.file === EAN_A.path)!.review).toBe('accepted');
  });

  it('refuses rules that cannot run, before scanning', async () => {
    const bad = await runCli(['scan', QR.path, '--out', join(tmp, 'x.json'), '--db', join(tmp, 'x.sqlite'), '--pattern', '^(?=A)']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Review rules: patterns\.\*: .*invalid or unsupported Perl syntax/);
    const count = await runCli(['scan', QR.path, '--out', join(tmp, 'x.json'), '--db', join(tmp, 'x.sqlite'), '--codes-per-page', 'three']);
    expect(count.code).toBe(2);
    expect(count.stderr).toContain('--codes-per-page takes N, MIN-MAX, MIN- or -MAX, not "three".');
    writeFileSync(join(tmp, 'bad.json'), '{"symbologies": ["Barcode9000"]}');
    const file = await runCli(['scan', QR.path, '--out', join(tmp, 'x.json'), '--db', join(tmp, 'x.sqlite'), '--rules', join(tmp, 'bad.json')]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/Review rules: symbologies\.0: /);
    expect(readdirSync(tmp)).not.toContain('x.json');
  });
});
