import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { vendorSettingsPath } from '../../electron/core/settings/store';
import { startWeChatEmulator, type WeChatEmulator, type WeChatEmulatorOptions } from '../emulators/wechat/server';
import { byName, cli, copySamples, CREDS, readJson, SAMPLES, type CliRun } from './support/vendors';

/**
 * WeChat as a company runs it, through the real CLI: ScanDesk takes the stable token, so the
 * company's own backend keeps its token; 45009 (daily quota) stops WeChat for the batch with
 * one notice saying when the quota resets, the pages wait, and the same command finishes them
 * after the reset; 45011 (per-minute limit) makes the run wait for the next minute and go on.
 * Credentials come from the environment (no keychain needed for this file).
 */
let tmp: string;
let emu: WeChatEmulator | null = null;
const MINUTE = 60_000;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-wechat-cli-'));
});
afterEach(async () => {
  await emu?.close();
  emu = null;
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function start(options: Partial<WeChatEmulatorOptions> = {}): Promise<WeChatEmulator> {
  emu = await startWeChatEmulator({ ...CREDS.wechat, ...options });
  return emu;
}

function scan(e: WeChatEmulator, name: string, pages: string): Promise<CliRun> {
  return cli(['scan', pages, '--out', join(tmp, `${name}.json`), '--db', join(tmp, `${name}.sqlite`), '--jobs', '1', '--engine', 'wechat'], {
    SCANDESK_WECHAT_BASE_URL: e.url,
    SCANDESK_WECHAT_APPID: CREDS.wechat.appId,
    SCANDESK_WECHAT_SECRET: CREDS.wechat.appSecret,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmp, 'no-bus')}`,
    DISPLAY: undefined,
  });
}

function qrPages(dir: string, n: number): string {
  const files = ['zxing/qrcode-2/1.png', 'zxing/qrcode-2/10.png', 'zxing/qrcode-2/12.png', 'zxing/qrcode-2/14.png'];
  copySamples(dir, Object.fromEntries(files.slice(0, n).map((f, i) => [`p${i + 1}.png`, f])));
  return dir;
}

// A vendor's notice is a line of its own starting with the vendor's name ("WeChat: ..."); the
// send estimate before a batch names the vendor mid-line and is not a notice.
const notices = (text: string, vendor: string) => text.split('\n').filter((line) => line.startsWith(`${vendor}: `)).length;

describe('WeChat through the CLI, as a company runs it', () => {
  it('uses the stable token: the company backend\'s own token (GET /cgi-bin/token) keeps working', async () => {
    const e = await start();
    const q = new URLSearchParams({ grant_type: 'client_credential', appid: CREDS.wechat.appId, secret: CREDS.wechat.appSecret });
    const theirs = ((await (await fetch(`${e.url}/cgi-bin/token?${q}`)).json()) as { access_token: string }).access_token;
    const pages = qrPages(join(tmp, 'stable'), 2);
    const r = await scan(e, 'stable', pages);
    expect(r.code, r.stderr).toBe(0);
    expect(e.stats.tokenRequests).toBe(1); // the company's, not ScanDesk's
    expect(e.stats.stableTokenRequests).toBe(1);
    e.setClockOffset(30 * MINUTE);
    const form = new FormData();
    form.append('img', new Blob([readFileSync(join(SAMPLES, 'zxing/qrcode-2/1.png'))], { type: 'image/png' }), 'a.png');
    const answer = (await (await fetch(`${e.url}/cv/img/qrcode?access_token=${theirs}`, { method: 'POST', body: form })).json()) as { errcode: number };
    expect(answer.errcode).toBe(0);
  }, 120_000);

  it('45009: one notice with the reset time, pages wait (WeChat asked once), and the same command finishes after the reset', async () => {
    const e = await start({ dailyLimits: { qrcode: 1 } });
    const pages = qrPages(join(tmp, 'daily'), 3);
    // One request at a time, so "asked once" is exact: with two in flight, the second may be on
    // its way before the first 45009 comes back (it then meets 45009 too, and says nothing new).
    const settings = vendorSettingsPath(join(tmp, 'daily.sqlite'));
    writeFileSync(settings, JSON.stringify({ wechat: { concurrency: 1 } }));
    onTestFinished(() => rmSync(settings, { force: true }));
    const r = await scan(e, 'daily', pages);
    expect(r.code, r.stderr).toBe(0);
    expect(notices(r.stderr, 'WeChat')).toBe(1);
    expect(r.stderr).toMatch(/WeChat: .*daily call quota for imgQrcode is used up; it resets at 00:00 China Standard Time \(16:00 UTC, in /);
    expect(r.stdout).toMatch(/pending: 2/);
    expect(e.stats.byErrcode['45009']).toBe(1);
    expect(e.stats.qrcodeRequests).toBe(2);

    // The next day in China: the quota has rolled over, and the same command resumes.
    const t = e.now();
    const nextChinaDay = (Math.floor((t + 8 * 3_600_000) / 86_400_000) + 1) * 86_400_000 - 8 * 3_600_000;
    e.setClockOffset(nextChinaDay - Date.now() + MINUTE);
    // One call a day: the resumed run gets one page through and stops again, with the same notice.
    const again = await scan(e, 'daily', pages);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/Resuming batch/);
    expect(again.stdout).toMatch(/pending: 1/);
    const items = byName(readJson(join(tmp, 'daily.json')));
    expect(Object.values(items).filter((i) => i.status === 'done')).toHaveLength(2);
  }, 180_000);

  it('45011: the run waits for the next minute and finishes every page', async () => {
    const e = await start({ minuteLimits: { qrcode: 1 } });
    const pages = qrPages(join(tmp, 'minute'), 2);
    // Start early in a minute, so both pages ask within it (the emulator keeps the real clock here).
    while (new Date().getSeconds() >= 40) await new Promise((resolve) => setTimeout(resolve, 500));
    const r = await scan(e, 'minute', pages);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/pending|failed: [1-9]/);
    expect(e.stats.byErrcode['45011']).toBe(1);
    const items = byName(readJson(join(tmp, 'minute.json')));
    expect(Object.values(items).map((i) => i.status)).toEqual(['done', 'done']);
  }, 180_000);
});
