import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { filesSearched, findSecrets } from './support/find-secrets';
import {
  BUCKET,
  CARD,
  CREDS,
  OSS_REGION,
  WRONG,
  byName,
  cardPage,
  cli,
  copySamples,
  readJson,
  startEmulators,
  type CliRun,
  type Emulators,
} from './support/vendors';
import { sheetRows } from './support/xlsx';

/**
 * The cloud vendors end to end, the way a user drives them: the real `scandesk` CLI as a
 * child process, credentials stored through `scandesk credentials set` in a real Secret
 * Service (private D-Bus + gnome-keyring), the three vendor emulators (which check signatures
 * and really decode the images), real sample images, and the exports read back. The last test
 * searches everything these runs wrote and printed for the secrets.
 */
let keychain: PrivateKeychain;
let emu: Emulators;
let tmp: string;
let data: string;
let db: string;
const runs: CliRun[] = [];
let env: Record<string, string | undefined>;

async function run(args: string[], input = '', extraEnv: Record<string, string | undefined> = {}): Promise<CliRun> {
  const r = await cli(args, { ...env, ...extraEnv }, input);
  runs.push(r);
  return r;
}

function scan(pages: string, out: string, ...flags: string[]): Promise<CliRun> {
  return run(['scan', pages, '--out', join(tmp, 'out', out), '--db', db, '--jobs', '1', ...flags]);
}

const count = (text: string, needle: string) => text.split(needle).length - 1;
// A vendor's notice is a line of its own starting with the vendor's name ("WeChat: ..."); the
// send estimate before a batch names the vendor mid-line and is not a notice.
const notices = (text: string, vendor: string) => text.split('\n').filter((line) => line.startsWith(`${vendor}: `)).length;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-vendors-cli-'));
  data = join(tmp, 'data');
  db = join(data, 'cli.sqlite');
  mkdirSync(data, { recursive: true });
  keychain = await startPrivateKeychain();
  emu = await startEmulators();
  env = { ...keychain.env, ...emu.env, DISPLAY: undefined, SCANDESK_DECODE_LOG: join(data, 'decodes.log') };
  // Non-secret settings beside the database: shorter timeouts than the defaults for the test.
  writeFileSync(
    join(data, 'vendor-settings.json'),
    JSON.stringify({ tencent: { timeoutMs: 10_000 }, wechat: { timeoutMs: 10_000 }, alioss: { timeoutMs: 10_000 } }),
  );
}, 60_000);

afterAll(async () => {
  await emu?.close();
  await keychain?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('scandesk with cloud vendors (CLI, real keychain, emulators)', () => {
  it('stores credentials from stdin, shows them masked, and tests each connection', async () => {
    const t = await run(['credentials', 'set', 'tencent'], `${CREDS.tencent.secretId}\n${CREDS.tencent.secretKey}\n`);
    expect(t.code, t.stderr).toBe(0);
    const w = await run(['credentials', 'set', 'wechat'], JSON.stringify(CREDS.wechat));
    expect(w.code, w.stderr).toBe(0);
    const a = await run(['credentials', 'set', 'alioss'], `${CREDS.alioss.accessKeyId}\r\n${CREDS.alioss.accessKeySecret}\r\n`);
    expect(a.code, a.stderr).toBe(0);
    const bad = await run(['credentials', 'set', 'wechat'], 'only-one-line\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected 2 lines/);
    expect(bad.stderr).not.toContain('only-one-line');

    const st = await run(['credentials', 'status']);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/tencent\s+configured\s+AKID…9pV2/);
    expect(st.stdout).toMatch(/wechat\s+configured/);
    expect(st.stdout).toMatch(/alioss\s+configured\s+LTAI…Id01/);

    for (const [vendor, flags] of [
      ['tencent', []],
      ['wechat', []],
      ['alioss', ['--bucket', BUCKET, '--region', OSS_REGION]],
    ] as const) {
      const r = await run(['credentials', 'test', vendor, '--db', db, ...flags]);
      expect(r.code, `${vendor}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/connection OK/);
    }
    expect(emu.tencent.stats.requests.QrcodeOCR).toBe(1);
    expect(emu.wechat.stats.stableTokenRequests).toBe(1);
    // OSS: what a batch needs (put, image/codes, delete), not GetBucketInfo.
    expect(emu.oss.log.map((l) => [l.op, l.status])).toEqual([['PutObject', 200], ['ProcessImage', 200], ['DeleteObject', 204]]);
  }, 240_000);

  it('Tencent QrcodeOCR + QueryBarCode with product data: codes, geometry and products stored, engine named in the export', async () => {
    emu.tencent.configure({ queryBarCode: { mode: 'online', products: { '8413000065504': { ProductName: 'Galletas de prueba', BrandName: 'ScanDesk' } } } });
    const pages = join(tmp, 'tencent-codes');
    const expected = copySamples(pages, { 'qr.png': 'zxing/qrcode-3/01.png', 'ean.png': 'zxing/ean13-1/1.png', 'none.png': 'zxing-cpp/falsepositives-1/#245.png' });
    const before = { ocr: emu.tencent.stats.requests.QrcodeOCR ?? 0, bar: emu.tencent.stats.requests.QueryBarCode ?? 0 };
    const r = await scan(pages, 'tencent.json', '--engine', 'tencent', '--product-data');
    expect(r.code, r.stderr).toBe(0);
    expect(emu.tencent.stats.requests.QrcodeOCR! - before.ocr).toBe(3);
    expect(emu.tencent.stats.requests.QueryBarCode! - before.bar).toBe(1);
    const items = byName(readJson(join(tmp, 'out', 'tencent.json')));
    expect(items['qr.png']!.detections).toEqual([expect.objectContaining({ symbology: 'QRCode', text: expected['qr.png'], engine: 'tencent', geometry: expect.objectContaining({ kind: 'quad' }) })]);
    expect(items['ean.png']!.detections).toEqual([expect.objectContaining({ symbology: 'EAN-13', text: '8413000065504', engine: 'tencent' })]);
    expect(items['none.png']).toMatchObject({ status: 'done', detections: [] });
    const raw = new Database(db, { readonly: true });
    const extra = raw.prepare(`SELECT extra_json FROM detections WHERE engine = 'tencent' AND text = '8413000065504'`).get() as { extra_json: string };
    raw.close();
    expect(JSON.parse(extra.extra_json)).toMatchObject({ product: { ProductName: 'Galletas de prueba', BrandName: 'ScanDesk' } });
  }, 180_000);

  it('QueryBarCode offline: said once, codes kept, the batch goes on', async () => {
    emu.tencent.configure({ queryBarCode: { mode: 'offline' } });
    const pages = join(tmp, 'tencent-offline');
    copySamples(pages, { 'e1.png': 'zxing/ean13-1/2.png', 'e2.png': 'zxing/ean13-1/3.png', 'e3.png': 'zxing/ean13-1/12.png', 'q.png': 'zxing/qrcode-2/10.png' });
    const r = await scan(pages, 'offline.json', '--engine', 'tencent', '--product-data');
    expect(r.code, r.stderr).toBe(0);
    expect(count(r.stderr, 'product data lookup is unavailable')).toBe(1);
    expect(r.stdout).toMatch(/notices:\n\s+Tencent Cloud OCR: VENDOR_UNAVAILABLE: product data lookup is unavailable/);
    const exp = readJson(join(tmp, 'out', 'offline.json'));
    expect(exp.items.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(exp.items.filter((i) => i.detections.some((d) => d.symbology === 'EAN-13' && d.engine === 'tencent'))).toHaveLength(3);
  }, 180_000);

  it('Tencent IDCardOCR: the card fields in the XLSX, named by field and engine', async () => {
    const pages = join(tmp, 'cards');
    mkdirSync(pages);
    await cardPage(join(pages, 'card-front.png'));
    copySamples(pages, { 'not-a-card.png': 'zxing-cpp/falsepositives-1/#245.png' });
    const r = await scan(pages, 'cards.xlsx', '--engine', 'tencent', '--task', 'idcard', '--card-side', 'FRONT');
    expect(r.code, r.stderr).toBe(0);
    const rows = await sheetRows(join(tmp, 'out', 'cards.xlsx'), 'Detections');
    const fields = Object.fromEntries(rows.filter((row) => row.File!.endsWith('card-front.png')).map((row) => [row.Field, row]));
    for (const [name, value] of Object.entries(CARD.fields)) {
      if (name === 'IdNum') continue; // stored as decoded, shown as the vendor answered
      expect(fields[name], name).toMatchObject({ Value: value, Engine: 'tencent', Kind: 'field' });
    }
    expect(fields.IdNum).toMatchObject({ Engine: 'tencent' });
    const pagesSheet = await sheetRows(join(tmp, 'out', 'cards.xlsx'), 'Pages');
    // The sample without a card is too small to be one: a clear error for that page, the batch goes on.
    expect(pagesSheet.map((p) => [p.File!.split('/').pop(), p.Status, p['Error code']])).toEqual([
      ['card-front.png', 'done', ''],
      ['not-a-card.png', 'failed', 'VENDOR_REJECTED'],
    ]);
    expect(pagesSheet[1]!['Error message']).toMatch(/too small/);
  }, 180_000);

  it('WeChat imgQrcode and printedTextOCR: codes and text lines in the JSON, engine wechat', async () => {
    const pages = join(tmp, 'wechat');
    const expected = copySamples(pages, { 'qr.png': 'zxing/qrcode-2/10.png', 'dm.png': 'zxing/datamatrix-1/abcd-18x8.png', 'none.png': 'zxing-cpp/falsepositives-1/#570.png' });
    const codes = await scan(pages, 'wechat-codes.json', '--engine', 'wechat');
    expect(codes.code, codes.stderr).toBe(0);
    const c = byName(readJson(join(tmp, 'out', 'wechat-codes.json')));
    expect(c['qr.png']!.detections).toEqual([expect.objectContaining({ kind: 'code', symbology: 'QRCode', text: expected['qr.png'], engine: 'wechat' })]);
    expect(c['dm.png']!.detections).toEqual([expect.objectContaining({ symbology: 'DataMatrix', text: expected['dm.png'], engine: 'wechat' })]);
    expect(c['none.png']).toMatchObject({ status: 'done', detections: [] });
    expect(emu.wechat.stats.qrcodeRequests).toBe(3);

    const text = await scan(pages, 'wechat-text.json', '--engine', 'wechat', '--task', 'text');
    expect(text.code, text.stderr).toBe(0);
    const t = byName(readJson(join(tmp, 'out', 'wechat-text.json')));
    // The emulator "prints" each code's content as a line of text (it has no OCR of its own).
    expect(t['qr.png']!.detections).toEqual([expect.objectContaining({ kind: 'text', text: expected['qr.png'], engine: 'wechat' })]);
    expect(emu.wechat.stats.ocrRequests).toBe(3);
  }, 180_000);

  it('Alibaba Cloud OSS image/codes: codes with rectangles in the XLSX, uploads deleted', async () => {
    const pages = join(tmp, 'oss');
    const expected = copySamples(pages, { 'qr.png': 'zxing/qrcode-2/2.png', 'code128.png': 'zxing/code128-1/1.png' });
    // The connection test above wrote (and deleted) its own probe object: count this scan's calls.
    const ops = (op: string) => emu.oss.log.filter((l) => l.op === op).length;
    const putsBefore = ops('PutObject');
    const processedBefore = ops('ProcessImage');
    const r = await scan(pages, 'oss.xlsx', '--engine', 'alioss', '--bucket', BUCKET, '--region', OSS_REGION);
    expect(r.code, r.stderr).toBe(0);
    const rows = await sheetRows(join(tmp, 'out', 'oss.xlsx'), 'Detections');
    for (const [file, text] of Object.entries(expected)) {
      const row = rows.find((x) => x.File!.endsWith(file));
      expect(row, file).toMatchObject({ Engine: 'alioss', 'Decoded value': text!.replace(/\r\n?/g, '\n') });
    }
    expect(ops('PutObject') - putsBefore).toBe(2);
    expect(ops('ProcessImage') - processedBefore).toBe(2);
    expect(emu.oss.objects.size).toBe(0);
  }, 180_000);

  it('fallback: local first, Tencent only for the pages local found nothing on; a second run sends nothing', async () => {
    const pages = join(tmp, 'fallback');
    const expected = copySamples(pages, {
      'a-qr.png': 'zxing/qrcode-2/12.png',
      'b-ean.png': 'zxing/ean13-1/13.png',
      'c-none.png': 'zxing-cpp/falsepositives-1/01.webp',
      'd-none.png': 'zxing-cpp/falsepositives-1/02.webp',
    });
    const before = emu.tencent.stats.requests.QrcodeOCR ?? 0;
    const r = await scan(pages, 'fallback.json', '--engine', 'local', '--fallback', 'tencent');
    expect(r.code, r.stderr).toBe(0);
    expect(emu.tencent.stats.requests.QrcodeOCR! - before).toBe(2);
    const items = byName(readJson(join(tmp, 'out', 'fallback.json')));
    expect(items['a-qr.png']!.detections.map((d) => [d.engine, d.text])).toEqual([['local', expected['a-qr.png']]]);
    expect(items['b-ean.png']!.detections.map((d) => d.engine)).toEqual(['local']);
    expect(items['c-none.png']).toMatchObject({ status: 'done', detections: [] });

    // Same pages, new batch: every result is already stored (sha256 + engine + task + options).
    const again = await scan(pages, 'fallback-again.json', '--engine', 'local', '--fallback', 'tencent', '--fresh');
    expect(again.code, again.stderr).toBe(0);
    expect(emu.tencent.stats.requests.QrcodeOCR! - before).toBe(2);
    expect(again.stdout).toMatch(/decoded in this run: 0/);
    expect(readJson(join(tmp, 'out', 'fallback-again.json'))).toEqual(readJson(join(tmp, 'out', 'fallback.json')));

    const wechatBefore = emu.wechat.stats.qrcodeRequests;
    const w = await scan(join(tmp, 'wechat'), 'wechat-again.json', '--engine', 'wechat', '--fresh');
    expect(w.code, w.stderr).toBe(0);
    expect(emu.wechat.stats.qrcodeRequests).toBe(wechatBefore);
  }, 240_000);

  it('a wrong secret stops that vendor with one notice; local pages go on; the right one resumes', async () => {
    const pages = join(tmp, 'wrong');
    copySamples(pages, {
      'a-qr.png': 'zxing/qrcode-2/14.png',
      'b-none.png': 'zxing-cpp/falsepositives-1/05.webp',
      'c-none.png': 'zxing-cpp/falsepositives-1/09.webp',
    });
    const set = await run(['credentials', 'set', 'wechat'], `${CREDS.wechat.appId}\n${WRONG.wechat}\n`);
    expect(set.code).toBe(0);
    const tokenBefore = emu.wechat.stats.stableTokenRequests;
    const r = await scan(pages, 'wrong.json', '--engine', 'local', '--fallback', 'wechat');
    expect(r.code, r.stderr).toBe(0);
    expect(notices(r.stderr, 'WeChat')).toBe(1);
    expect(r.stderr).toMatch(/WeChat: .*AppSecret/);
    expect(r.stderr).toMatch(/command line: scandesk credentials set wechat/);
    expect(r.stderr, r.stderr).toMatch(/Paused after 1 of 3 pages/);
    expect(r.stdout, r.stdout).toMatch(/pending: 2/);
    expect(emu.wechat.stats.stableTokenRequests - tokenBefore).toBeLessThanOrEqual(2);
    const exp = byName(readJson(join(tmp, 'out', 'wrong.json')));
    expect(exp['a-qr.png']).toMatchObject({ status: 'done' });
    expect(exp['b-none.png']!.status).toBe('pending');

    // Tencent and OSS refuse a wrong key the same way (and their messages are searched below).
    await run(['credentials', 'set', 'tencent'], `${CREDS.tencent.secretId}\n${WRONG.tencent}\n`);
    const t = await scan(pages, 'wrong-tencent.json', '--engine', 'tencent');
    expect(notices(t.stderr, 'Tencent Cloud OCR')).toBe(1);
    expect(t.stdout).toMatch(/pending: 3/);
    // Told not to wait for a stopped vendor: the same batch resumes, stops again, and finishes
    // with its pages failed for the reason, in the output.
    const tf = await scan(pages, 'wrong-tencent-finished.json', '--engine', 'tencent', '--finish-without-stopped');
    expect(tf.code, tf.stderr).toBe(0);
    expect(tf.stderr).toMatch(/Resuming batch/);
    expect(tf.stderr).not.toMatch(/Paused after/);
    expect(tf.stdout).not.toMatch(/pending: /);
    const finished = readJson(join(tmp, 'out', 'wrong-tencent-finished.json')).items;
    expect(finished.map((i) => [i.status, i.error?.code])).toEqual([
      ['failed', 'VENDOR_AUTH'],
      ['failed', 'VENDOR_AUTH'],
      ['failed', 'VENDOR_AUTH'],
    ]);
    await run(['credentials', 'set', 'alioss'], `${CREDS.alioss.accessKeyId}\n${WRONG.alioss}\n`);
    const o = await scan(pages, 'wrong-oss.json', '--engine', 'alioss', '--bucket', BUCKET, '--region', OSS_REGION);
    expect(notices(o.stderr, 'Alibaba Cloud OSS')).toBe(1);
    expect(o.stdout).toMatch(/pending: 3/);
    const ot = await run(['credentials', 'test', 'alioss', '--db', db, '--bucket', BUCKET, '--region', OSS_REGION]);
    expect(ot.code).toBe(1);
    expect(ot.stdout).toMatch(/VENDOR_AUTH/);

    for (const v of ['tencent', 'wechat', 'alioss'] as const) {
      const fields = Object.values(CREDS[v]).join('\n');
      expect((await run(['credentials', 'set', v], fields)).code).toBe(0);
    }
    const resumed = await scan(pages, 'wrong.json', '--engine', 'local', '--fallback', 'wechat');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming batch/);
    expect(readJson(join(tmp, 'out', 'wrong.json')).items.map((i) => i.status)).toEqual(['done', 'done', 'done']);
  }, 300_000);

  it('without a keychain, vendor pages stop with KEYCHAIN_UNAVAILABLE (what to do is said) and local decoding works', async () => {
    const pages = join(tmp, 'no-keychain');
    copySamples(pages, { 'a-qr.png': 'zxing/qrcode-2/10.png', 'b-none.png': 'zxing-cpp/falsepositives-1/06.webp' });
    const r = await cli(
      ['scan', pages, '--out', join(tmp, 'out', 'nokeychain.json'), '--db', db, '--jobs', '1', '--fallback', 'tencent'],
      { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmp, 'no-such-bus')}` },
    );
    runs.push(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Tencent Cloud OCR: .*keychain/i);
    expect(r.stderr).toMatch(/Local decoding keeps working/);
    expect(r.stderr).not.toMatch(/scandesk credentials set/); // storing credentials would not help here
    const exp = byName(readJson(join(tmp, 'out', 'nokeychain.json')));
    expect(exp['a-qr.png']).toMatchObject({ status: 'done', detections: [expect.objectContaining({ engine: 'local' })] });
    expect(exp['b-none.png']!.status).toBe('pending');
  }, 180_000);

  it('no secret in anything the runs wrote or printed (DB, WAL, settings, exports, logs, stdout, stderr)', () => {
    const secrets: Record<string, string> = {
      'tencent.secretKey': CREDS.tencent.secretKey,
      'tencent.secretId': CREDS.tencent.secretId,
      'wechat.appSecret': CREDS.wechat.appSecret,
      'alioss.accessKeySecret': CREDS.alioss.accessKeySecret,
      'alioss.accessKeyId': CREDS.alioss.accessKeyId,
      'wrong.tencent': WRONG.tencent,
      'wrong.wechat': WRONG.wechat,
      'wrong.alioss': WRONG.alioss,
    };
    emu.wechat.stats.issuedTokens.forEach((t, i) => (secrets[`wechat.token${i}`] = t));
    const texts: Record<string, string> = {};
    runs.forEach((r, i) => {
      texts[`run ${i} (${r.args.slice(0, 3).join(' ')}) stdout`] = r.stdout;
      texts[`run ${i} (${r.args.slice(0, 3).join(' ')}) stderr`] = r.stderr;
    });
    const search = { dirs: [tmp], exclude: (p: string) => p.startsWith(keychain.root) };
    const files = filesSearched(search).map((f) => f.slice(tmp.length + 1));
    // The search covered what the app writes: database, settings, run registry, decode log, every export.
    for (const f of ['data/cli.sqlite', 'data/vendor-settings.json', 'data/cli.sqlite.cli-runs.json', 'data/decodes.log', 'out/tencent.json', 'out/cards.xlsx', 'out/oss.xlsx', 'out/wrong.json']) {
      expect(files).toContain(f);
    }
    expect(existsSync(db)).toBe(true);
    expect(readFileSync(db).length).toBeGreaterThan(0);
    expect(runs.length).toBeGreaterThan(20);
    expect(findSecrets({ secrets, texts, ...search })).toEqual([]);
  });
});
