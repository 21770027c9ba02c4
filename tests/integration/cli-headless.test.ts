import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets } from './support/find-secrets';
import { BUCKET, CREDENTIAL_ENV, OSS_REGION, byName, cli, copySamples, readJson, startEmulators, type CliRun, type Emulators } from './support/vendors';

/**
 * A headless machine (a server, a `scandesk worker` host) has no keychain: no D-Bus session at
 * all here. The vendor credentials come from environment variables, under the SDKs' own names
 * where they exist, and the real CLI runs a batch on each vendor's emulator with them. Nothing
 * the runs write or print holds a secret, and the keychain is never needed.
 */
let emu: Emulators;
let tmp: string;
let db: string;
let env: Record<string, string | undefined>;
const runs: CliRun[] = [];

async function run(args: string[], extra: Record<string, string | undefined> = {}): Promise<CliRun> {
  const r = await cli(args, { ...env, ...extra });
  runs.push(r);
  return r;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-headless-'));
  mkdirSync(join(tmp, 'data'));
  db = join(tmp, 'data', 'headless.sqlite');
  writeFileSync(join(tmp, 'data', 'vendor-settings.json'), JSON.stringify({ alioss: { bucket: BUCKET, region: OSS_REGION } }));
  emu = await startEmulators();
  // No session bus: a keychain could not be reached even if something tried.
  env = { ...emu.env, ...CREDENTIAL_ENV, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmp, 'no-such-bus')}`, DISPLAY: undefined, HOME: tmp };
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('headless: vendor credentials from environment variables, no keychain', () => {
  it('credentials status shows each vendor configured from the environment (masked id only)', async () => {
    const st = await run(['credentials', 'status']);
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toMatch(/tencent\s+configured\s+AKID…9pV2\s+\(from environment variables\)/);
    expect(st.stdout).toMatch(/wechat\s+configured\s+wx9l…pp01\s+\(from environment variables\)/);
    expect(st.stdout).toMatch(/alioss\s+configured\s+LTAI…Id01\s+\(from environment variables\)/);
  });

  it('tests each connection and scans with each vendor', async () => {
    for (const vendor of ['tencent', 'wechat', 'alioss']) {
      const t = await run(['credentials', 'test', vendor, '--db', db]);
      expect(t.code, `${vendor}: ${t.stdout}${t.stderr}`).toBe(0);
    }
    const pages = join(tmp, 'pages');
    const expected = copySamples(pages, { 'qr.png': 'zxing/qrcode-2/10.png' });
    for (const vendor of ['tencent', 'wechat', 'alioss']) {
      const out = join(tmp, `${vendor}.json`);
      const r = await run(['scan', pages, '--out', out, '--db', db, '--jobs', '1', '--engine', vendor, '--fresh']);
      expect(r.code, r.stderr).toBe(0);
      expect(byName(readJson(out))['qr.png']!.detections).toEqual([expect.objectContaining({ text: expected['qr.png'], engine: vendor })]);
    }
  }, 240_000);

  it('a half-set pair stops that vendor with a message naming the missing variable', async () => {
    const pages = join(tmp, 'half');
    copySamples(pages, { 'dm.png': 'zxing/datamatrix-1/abcd-18x8.png' });
    const r = await run(['scan', pages, '--out', join(tmp, 'half.json'), '--db', db, '--jobs', '1', '--engine', 'wechat'], {
      SCANDESK_WECHAT_SECRET: undefined,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SCANDESK_WECHAT_APPID is set but SCANDESK_WECHAT_SECRET is not/);
    expect(r.stdout).toMatch(/pending: 1/);
  }, 120_000);

  it('no secret in anything written or printed', () => {
    const secrets: Record<string, string> = Object.fromEntries(Object.entries(CREDENTIAL_ENV).filter(([k]) => /SECRET|KEY$/.test(k) && !k.endsWith('KEY_ID')));
    emu.wechat.stats.issuedTokens.forEach((t, i) => (secrets[`wechat.token${i}`] = t));
    const texts = Object.fromEntries(runs.flatMap((r, i) => [[`run ${i} stdout`, r.stdout], [`run ${i} stderr`, r.stderr]]));
    expect(findSecrets({ secrets, texts, dirs: [tmp] })).toEqual([]);
  });
});
