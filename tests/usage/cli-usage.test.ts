import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { BIN, CREDS, ROOT, cli, copySamples, startEmulators, type CliRun, type Emulators } from '../integration/support/vendors';

/**
 * Usage on the command line, the way a user meets it: the real `scandesk` with credentials in a
 * real Secret Service and the vendor emulators. Before a batch the CLI says how many pages each
 * vendor gets (stored results not counted) and warns about printedTextOCR's daily quota; on a
 * terminal it asks; the summary says what the batch spent; `scandesk usage` shows the day and
 * the month per account.
 */
let keychain: PrivateKeychain;
let emu: Emulators;
let tmp: string;
let db: string;
let env: Record<string, string | undefined>;

const run = (args: string[], input = ''): Promise<CliRun> => cli(args, env, input);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-usage-cli-'));
  db = join(tmp, 'data', 'cli.sqlite');
  mkdirSync(join(tmp, 'data'), { recursive: true });
  keychain = await startPrivateKeychain();
  emu = await startEmulators();
  env = { ...keychain.env, ...emu.env, DISPLAY: undefined };
  writeFileSync(join(tmp, 'data', 'vendor-settings.json'), JSON.stringify({ tencent: { timeoutMs: 10_000 }, wechat: { timeoutMs: 10_000 } }));
  expect((await run(['credentials', 'set', 'tencent'], JSON.stringify(CREDS.tencent))).code).toBe(0);
  expect((await run(['credentials', 'set', 'wechat'], JSON.stringify(CREDS.wechat))).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  await keychain?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('vendor usage on the command line', () => {
  it('--dry-run says how many pages go to the vendor and sends nothing', async () => {
    const pages = join(tmp, 'p1');
    copySamples(pages, { 'a.png': 'zxing/qrcode-3/01.png', 'b.png': 'zxing/ean13-1/2.png' });
    const before = emu.tencent.stats.requests.QrcodeOCR ?? 0;
    const r = await run(['scan', pages, '--out', join(tmp, 'o1.json'), '--db', db, '--engine', 'tencent', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('This batch sends 2 pages to Tencent Cloud OCR.');
    expect(r.stderr).toContain('Dry run: nothing was scanned or sent.');
    expect(emu.tencent.stats.requests.QrcodeOCR ?? 0).toBe(before);
    expect(existsSync(join(tmp, 'o1.json'))).toBe(false);
  }, 60_000);

  it('says so before the batch, not counting stored results, and the summary shows what it spent', async () => {
    const pages = join(tmp, 'p1');
    const first = await run(['scan', pages, '--out', join(tmp, 'o1.json'), '--db', db, '--engine', 'tencent', '--jobs', '1']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('This batch sends 2 pages to Tencent Cloud OCR.');
    expect(first.stdout).toMatch(/vendor calls:\n {4}Tencent Cloud OCR QrcodeOCR: 2 calls \(2 billable, [\d.]+ [KM]?B sent\)/);

    // One more page beside the two already read: only it is sent.
    copySamples(pages, { 'c.png': 'zxing/ean13-1/3.png' });
    const second = await run(['scan', pages, '--out', join(tmp, 'o2.json'), '--db', db, '--engine', 'tencent', '--fresh']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('This batch sends 1 page to Tencent Cloud OCR (2 more have stored results and are not sent again).');
    expect(second.stdout).toMatch(/Tencent Cloud OCR QrcodeOCR: 1 call \(1 billable/);

    const fallback = await run(['scan', pages, '--out', join(tmp, 'o3.json'), '--db', db, '--fallback', 'wechat', '--dry-run']);
    expect(fallback.stderr).toContain('This batch sends up to 3 pages to WeChat: those the first engine finds nothing on.');
  }, 120_000);

  it('warns when a text batch needs more printedTextOCR calls than are left today', async () => {
    const pages = join(tmp, 'text');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/10.png', 'b.png': 'zxing/ean13-1/2.png' });
    const r = await run(['scan', pages, '--out', join(tmp, 't.json'), '--db', db, '--engine', 'wechat', '--task', 'text']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('Warning');
    // 99 new pages; 98 calls are left today on this account.
    const many = join(tmp, 'many');
    mkdirSync(many);
    const src = join(ROOT, 'resources', 'icons', '16x16.png');
    for (let i = 0; i < 99; i++) writeFileSync(join(many, `p${i}.png`), Buffer.concat([readPng(src), Buffer.from([i])]));
    const dry = await run(['scan', many, '--out', join(tmp, 'm.json'), '--db', db, '--engine', 'wechat', '--task', 'text', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('This batch sends 99 pages to WeChat.');
    expect(dry.stderr).toMatch(
      /Warning: WeChat printedTextOCR allows 100 calls a day on a basic account; 98 are left today on this account and this batch needs 99\. The count resets at midnight China Standard Time \(in \d+ (h \d+ )?min\)/,
    );
  }, 120_000);

  it('asks on a terminal; no sends nothing', () => {
    const pages = join(tmp, 'tty');
    copySamples(pages, { 'a.png': 'zxing/qrcode-2/14.png' });
    const before = emu.tencent.stats.requests.QrcodeOCR ?? 0;
    const cmd = [process.execPath, BIN, 'scan', pages, '--out', join(tmp, 'tty.json'), '--db', db, '--engine', 'tencent'].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env, ...env } as NodeJS.ProcessEnv, input: 'n\n', encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toContain('This batch sends 1 page to Tencent Cloud OCR.');
    expect(out).toContain('Start? [y/N]');
    expect(out).toContain('Not started: nothing was sent.');
    expect(emu.tencent.stats.requests.QrcodeOCR ?? 0).toBe(before);
  }, 90_000);

  it('scandesk usage shows today and this month per vendor, account (masked) and operation', async () => {
    const r = await run(['usage', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Vendor calls today \(\d{4}-\d\d-\d\d\) and this month \(\d{4}-\d\d\), China Standard Time:/);
    expect(r.stdout).toContain(`Tencent Cloud OCR, account AKID…${CREDS.tencent.secretId.slice(-4)}`);
    expect(r.stdout).toMatch(/today:\n {6}QrcodeOCR: 3 calls \(3 billable, [\d.]+ [KM]?B sent\)/);
    expect(r.stdout).toMatch(/printedTextOCR: 2 calls \(2 billable/);
    expect(r.stdout).toMatch(/token: 1 call \(0 billable\)/);
    expect(r.stdout).not.toContain(CREDS.tencent.secretId);
    const json = JSON.parse((await run(['usage', '--db', db, '--json'])).stdout) as { vendors: Array<{ vendor: string }> };
    expect(json.vendors.map((v) => v.vendor).sort()).toEqual(['tencent', 'wechat']);
  }, 60_000);
});

function readPng(p: string): Buffer {
  return execFileSync('cat', [p]);
}
