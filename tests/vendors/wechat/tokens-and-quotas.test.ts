import { afterEach, describe, expect, it } from 'vitest';
import { ScanError } from '../../../electron/core/errors';
import { WeChatClient, type WeChatClientOptions } from '../../../electron/core/vendors/wechat/client';
import { AccessTokenCache } from '../../../electron/core/vendors/wechat/token';
import { startWeChatEmulator, type WeChatEmulator, type WeChatEmulatorOptions } from '../../emulators/wechat/server';
import { failure as caught } from '../../support/scan-error';
import { sample, staticCredentials } from './helpers';

/**
 * Issue 8, WeChat: ScanDesk uses the stable token (POST /cgi-bin/stable_token), so a company's
 * own WeChat backend keeps its token whatever ScanDesk does; 45009 is the daily quota (the
 * vendor stops with one message saying when it resets, nothing is retried in a loop); 45011 is
 * the per-minute limit (wait for the next minute, then go on). The emulator keeps both token
 * families and real counters on its own clock, which the tests move; the client reads the
 * same clock.
 */
const APP = { appId: 'wx5f3e2a1b9c8d7e6f', appSecret: '7c2b9e4d1a8f6e3b5c0d9a2f4e6b8c1d' };
const QR = sample('zxing/qrcode-2/1.png');
const png = { data: QR.bytes, format: 'png' as const };
const MINUTE = 60_000;

let emu: WeChatEmulator | null = null;
afterEach(async () => {
  await emu?.close();
  emu = null;
});

async function start(options: Partial<WeChatEmulatorOptions> = {}): Promise<WeChatEmulator> {
  emu = await startWeChatEmulator({ ...APP, ...options });
  return emu;
}

function client(e: WeChatEmulator, extra: Partial<WeChatClientOptions> = {}): WeChatClient {
  return new WeChatClient({
    credentials: staticCredentials({ wechat: APP }),
    baseUrl: e.url,
    timeoutMs: 20_000,
    rateLimits: { qrcode: 200, ocr: 200 },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    now: () => e.now(),
    ...extra,
  });
}

/** The company's own backend: fetches a token from the old endpoint and calls an API with it. */
async function companyToken(e: WeChatEmulator): Promise<string> {
  const q = new URLSearchParams({ grant_type: 'client_credential', appid: APP.appId, secret: APP.appSecret });
  const body = (await (await fetch(`${e.url}/cgi-bin/token?${q}`)).json()) as { access_token: string };
  return body.access_token;
}

async function companyCall(e: WeChatEmulator, token: string): Promise<number> {
  const form = new FormData();
  form.append('img', new Blob([QR.bytes], { type: 'image/png' }), 'page.png');
  const body = (await (await fetch(`${e.url}/cv/img/qrcode?access_token=${encodeURIComponent(token)}`, { method: 'POST', body: form })).json()) as { errcode: number };
  return body.errcode;
}

/** Sets the emulator's clock (and so the client's) to `at` (ms since the epoch). */
function setClock(e: WeChatEmulator, at: number): void {
  e.setClockOffset(0);
  e.setClockOffset(at - e.now());
}

describe('stable_token: ScanDesk never replaces the company\'s token', () => {
  it('the app, the CLI and a connection test share one stable token; the company backend\'s token keeps working', async () => {
    const e = await start();
    const theirs = await companyToken(e);
    const app = client(e);
    const cli = client(e);
    await app.imgQrcode(png);
    await cli.imgQrcode(png);
    await client(e).testConnection();
    // Every holder got the same stable token, and nothing went to the old endpoint.
    expect(new Set([app.tokens.peek(), cli.tokens.peek()]).size).toBe(1);
    expect(e.stats.tokenRequests).toBe(1); // the company's own fetch
    expect(e.stats.stableTokenRequests).toBe(3);
    expect(e.stats.forcedRefreshes).toBe(0);
    // Long after any grace period, the company's token still works.
    setClock(e, e.now() + 30 * MINUTE);
    expect(await companyCall(e, theirs)).toBe(0);
  });

  it('what ScanDesk did before (GET /cgi-bin/token) really breaks the company\'s token after 5 minutes', async () => {
    const e = await start();
    const theirs = await companyToken(e);
    await companyToken(e); // another fetch from the old endpoint, as the old ScanDesk made
    expect(await companyCall(e, theirs)).toBe(0); // the 5-minute grace
    setClock(e, e.now() + 5 * MINUTE + 1000);
    expect(await companyCall(e, theirs)).toBe(40001);
  });

  it('a token another holder forced out is replaced by a normal fetch: ScanDesk forces nothing itself', async () => {
    const e = await start();
    const c = client(e);
    await c.imgQrcode(png);
    const before = c.tokens.peek();
    // Someone else forces a refresh (e.g. after a leak): the old stable token dies at once.
    const forced = await fetch(`${e.url}/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', appid: APP.appId, secret: APP.appSecret, force_refresh: true }),
    });
    expect(((await forced.json()) as { access_token: string }).access_token).not.toBe(before);
    const res = await c.imgQrcode(png);
    expect(res.code_results[0]!.data).toBe(QR.expected);
    expect(e.stats.byErrcode['40001']).toBe(1);
    expect(c.tokens.forcedFetches).toBe(0);
    expect(e.stats.forcedRefreshes).toBe(1); // only the other holder's
  });

  it('the token endpoint\'s 40001 or 40125 both say the AppSecret is wrong', async () => {
    for (const wrongSecretErrcode of [40125, 40001] as const) {
      const e = await start({ wrongSecretErrcode });
      const bad = new WeChatClient({ credentials: staticCredentials({ wechat: { ...APP, appSecret: 'ffffeeeeddddccccbbbbaaaa99998888' } }), baseUrl: e.url });
      const err = await caught(bad.imgQrcode(png));
      expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
      expect(err.message).toMatch(/WeChat rejected the AppSecret.*errcode (40125|40001)/);
      expect(err.message).not.toMatch(/another program/);
      expect(err.message).not.toContain('ffffeeeeddddccccbbbbaaaa99998888');
      await e.close();
      emu = null;
    }
  });
});

describe('AccessTokenCache: a forced refresh only when a refused token comes back unchanged', () => {
  it('normal fetch first; forced only if it hands back the refused token; concurrent refusals share one', async () => {
    const issued = ['T1', 'T1', 'T2'];
    const calls: boolean[] = [];
    const cache = new AccessTokenCache(async (force) => {
      calls.push(force);
      return { token: issued.shift()!, expiresInSeconds: 7200 };
    });
    expect(await cache.get()).toBe('T1');
    // T1 refused by an API, and WeChat's normal mode still answers T1: then, and only then, force.
    const [a, b] = await Promise.all([cache.replace('T1'), cache.replace('T1')]);
    expect([a, b]).toEqual(['T2', 'T2']);
    expect(calls).toEqual([false, false, true]);
    // A refusal of a token already replaced costs nothing.
    expect(await cache.replace('T1')).toBe('T2');
    expect(calls).toHaveLength(3);
  });
});

describe('45009 is the daily quota: one stop, says when it resets, never retried in a loop', () => {
  it('stops the vendor at the quota, answers later calls without asking WeChat, and works after 00:00 China time', async () => {
    const e = await start({ dailyLimits: { qrcode: 2 } });
    // 23:50 in China (15:50 UTC): the quota resets in 10 minutes.
    setClock(e, Date.UTC(2026, 11, 6, 15, 50, 0));
    const c = client(e);
    await c.imgQrcode(png);
    await c.imgQrcode(png);
    const err = await caught(c.imgQrcode(png));
    expect(err).toMatchObject({ code: 'VENDOR_QUOTA', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/daily call quota for imgQrcode is used up; it resets at 00:00 China Standard Time \(16:00 UTC, in 10 min\)/);
    expect(err.message).toContain('errcode 45009');
    const asked = e.stats.qrcodeRequests;
    // Every later page gets the same answer at once: WeChat is not asked again before the reset.
    for (let i = 0; i < 5; i++) expect(await caught(c.imgQrcode(png))).toBe(err);
    expect(e.stats.qrcodeRequests).toBe(asked);
    expect(e.stats.byErrcode['45009']).toBe(1);
    expect(e.used('qrcode').today).toBe(2);

    // After midnight in China the counter has rolled over: the same account works again.
    setClock(e, Date.UTC(2026, 11, 6, 16, 0, 30));
    c.caller.resetStop();
    expect((await c.imgQrcode(png)).code_results[0]!.data).toBe(QR.expected);
    expect(e.used('qrcode').today).toBe(1);
  });

  it('the token endpoint\'s own daily quota stops the vendor the same way', async () => {
    const e = await start({ dailyLimits: { stable_token: 1 } });
    await client(e).testConnection();
    const err = await caught(client(e).imgQrcode(png));
    expect(err).toMatchObject({ code: 'VENDOR_QUOTA', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/daily call quota for token is used up; it resets at 00:00 China Standard Time/);
  });
});

describe('45011 is the per-minute limit: wait for the next minute, then go on', () => {
  it('waits for the minute to roll over (all calls of the operation wait), then every call succeeds', async () => {
    const e = await start({ minuteLimits: { qrcode: 3 } });
    // Half a minute in: three calls use the minute's allowance.
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;
    setClock(e, minute + 30_000);
    const c = client(e, { concurrency: 1 });
    for (let i = 0; i < 3; i++) await c.imgQrcode(png);
    expect(e.used('qrcode').thisMinute).toBe(3);
    // Eight seconds before the minute ends, two more pages arrive.
    setClock(e, minute + 52_000);
    const retries: Array<{ code: string; delayMs: number }> = [];
    const c2 = client(e, { concurrency: 1, onEvent: (ev) => ev.type === 'retry' && retries.push({ code: ev.code, delayMs: ev.delayMs }) });
    const results = await Promise.all([c2.imgQrcode(png), c2.imgQrcode(png)]);
    expect(results.map((r) => r.code_results[0]!.data)).toEqual([QR.expected, QR.expected]);
    // One 45011: the first page waited for the next minute, and the second waited with it
    // instead of asking again.
    expect(e.stats.byErrcode['45011']).toBe(1);
    expect(retries.map((r) => r.code)).toEqual(['VENDOR_RATE_LIMIT']);
    // The wait is the rest of the minute (at most 8 s), plus a 1 s margin, on the shared clock.
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1_000);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(9_000);
    // Both went through in the next minute.
    expect(e.used('qrcode').thisMinute).toBe(2);
    expect(c2.caller.stopped).toBeNull();
  }, 60_000);
});

describe('errors carry no secret', () => {
  it('quota and rate messages never hold the AppSecret or a token', async () => {
    const e = await start({ dailyLimits: { qrcode: 0 } });
    const c = client(e);
    const err = await caught(c.imgQrcode(png));
    expect(err).toBeInstanceOf(ScanError);
    expect(err.message).not.toContain(APP.appSecret);
    for (const t of e.stats.issuedTokens) expect(err.message).not.toContain(t);
  });
});
