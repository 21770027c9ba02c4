import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCodes, sniffFormat, warmUp } from './decode';
import { FaultPlan, type Fault, type FaultOptions } from './faults';

/**
 * A local stand-in for api.weixin.qq.com that follows the seed documents (001 imgQrcode,
 * 002 printedTextOCR) and WeChat's token pages:
 *
 * - Two independent families of access tokens, as WeChat keeps them:
 *   - GET /cgi-bin/token (getAccessToken) issues a new token each time; every older one of this
 *     family keeps working for 5 minutes, then answers 40001 ("not latest").
 *   - POST /cgi-bin/stable_token (getStableAccessToken, JSON body) in normal mode answers the
 *     current stable token while more than 5 minutes of it remain (the same token to every
 *     caller), else a new one (the old one lives to its own expiry); with force_refresh the
 *     current one is invalidated at once and a new one issued, at most 20 times a day and not
 *     twice within 30 s (a second force within 30 s answers the current token unchanged).
 *   Neither family touches the other. Both check grant_type (40002), appid (40013), the secret
 *   (`wrongSecretErrcode`, 40125 by default; real accounts also answer 40001) and the IP
 *   whitelist (40164).
 * - POST /cv/img/qrcode and /cv/ocr/comm take multipart field `img`: missing token 41001,
 *   unknown/replaced token 40001, expired 42001; a file of 2 MB or more 40006 (WeChat's general
 *   "invalid media size": the seed states the limit, not the code); anything but JPEG/PNG or
 *   undecodable bytes 101002; img_url 101000 (this emulator downloads nothing).
 * - imgQrcode REALLY decodes the image (zxing-wasm) and answers {type_name, data, pos} with
 *   `pos` only for QR_CODE and DATA_MATRIX (seed 001 §4: barcodes and PDF417 come without it).
 * - printedTextOCR: there is no OCR engine here. The emulator answers with one text line per
 *   code it decodes in the image (the code's content as the line's text, the code's corners as
 *   the line's quad), or with `ocrFixtures[sha256 of the bytes]` when a test provides one.
 *   That exercises the wire shape, positions and quota without pretending to read print.
 *   A daily quota (default 100, seed 002) answers 101003 once used up.
 * - Call limits with real counters on the emulator's clock (`now`, movable with
 *   setClockOffset): `dailyLimits` per API answer 45009 once a day's calls are used up (the
 *   day is China's, UTC+8, as WeChat counts it; the counter rolls over at 00:00 there), and
 *   `minuteLimits` answer 45011 within a clock minute once used up (rolls over at the next
 *   minute). A refused call does not count.
 * - Faults can be queued or drawn at random (seeded).
 */
export type WeChatApi = 'token' | 'stable_token' | 'qrcode' | 'ocr';

export interface WeChatEmulatorOptions {
  appId: string;
  appSecret: string;
  tokenTtlSeconds?: number;
  /** false: every token request answers 40164 (caller's IP not whitelisted). */
  ipWhitelisted?: boolean;
  /** Calls per China day per API; over it: 45009 (daily quota). */
  dailyLimits?: Partial<Record<WeChatApi, number>>;
  /** Calls per clock minute per API; over it: 45011 (frequency limit). */
  minuteLimits?: Partial<Record<WeChatApi, number>>;
  /** What a wrong AppSecret gets at the token endpoints: 40125 (invalid appsecret) or 40001. */
  wrongSecretErrcode?: 40125 | 40001;
  ocrDailyQuota?: number;
  ocrFixtures?: Record<string, Array<{ text: string; pos?: WxPos }>>;
  faults?: FaultOptions;
  /** The file size limit (default 2 MB: a file must be smaller). */
  maxFileBytes?: number;
}

export interface WxPoint {
  x: number;
  y: number;
}
export interface WxPos {
  left_top: WxPoint;
  right_top: WxPoint;
  right_bottom: WxPoint;
  left_bottom: WxPoint;
}

export interface WeChatEmulatorStats {
  /** GET /cgi-bin/token requests (each one replaces the previous token of that family). */
  tokenRequests: number;
  /** POST /cgi-bin/stable_token requests, and how many of them asked for force_refresh. */
  stableTokenRequests: number;
  forcedRefreshes: number;
  qrcodeRequests: number;
  ocrRequests: number;
  /** Requests answered with each errcode (0 = success; 'http' = a bare HTTP failure). */
  byErrcode: Record<string, number>;
  /** Bytes of every `img` received on cv/* (to check what the client sent). */
  uploads: Array<{ path: string; bytes: number; format: string; filename: string | null; contentType: string | null }>;
  /** Every access_token issued (tests check none leaks into a message). */
  issuedTokens: string[];
}

export interface WeChatEmulator {
  url: string;
  stats: WeChatEmulatorStats;
  faults: FaultPlan;
  /** Every token issued so far now answers 42001. */
  expireTokens(): void;
  /** Every token issued so far now answers 40001 (as after an AppSecret reset). */
  invalidateTokens(): void;
  setWhitelisted(value: boolean): void;
  setOcrQuota(remaining: number): void;
  /** Moves the emulator's clock (token lifetimes, daily and minute counters) by `ms` from real time. */
  setClockOffset(ms: number): void;
  /** The emulator's clock. */
  now(): number;
  /** Calls of an API counted in the current China day / clock minute. */
  used(api: WeChatApi): { today: number; thisMinute: number };
  close(): Promise<void>;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** WeChat counts days in China Standard Time (UTC+8). */
const CHINA_OFFSET = 8 * 3_600_000;
const chinaDay = (t: number): number => Math.floor((t + CHINA_OFFSET) / DAY);
const clockMinute = (t: number): number => Math.floor(t / MINUTE);
/** A token of the old /cgi-bin/token family keeps working this long after a newer one is issued. */
const CLASSIC_GRACE_MS = 5 * MINUTE;
/** In normal mode, stable_token renews a token with less than this left. */
const STABLE_RENEW_MS = 5 * MINUTE;

const POS_TYPES = new Set(['QR_CODE', 'DATA_MATRIX']);

/** zxing-wasm format → the type_name WeChat reports (ZXing's Java BarcodeFormat names). */
const TYPE_NAMES: Record<string, string> = {
  QRCode: 'QR_CODE',
  DataMatrix: 'DATA_MATRIX',
  PDF417: 'PDF_417',
  EAN13: 'EAN_13',
  EAN8: 'EAN_8',
  UPCA: 'UPC_A',
  UPCE: 'UPC_E',
  Code128: 'CODE_128',
  Code39: 'CODE_39',
  Code93: 'CODE_93',
  Codabar: 'CODABAR',
  ITF: 'ITF',
};

export async function startWeChatEmulator(options: WeChatEmulatorOptions): Promise<WeChatEmulator> {
  const ttl = options.tokenTtlSeconds ?? 7200;
  const maxFile = options.maxFileBytes ?? 2 * 1024 * 1024;
  /** Every token issued, of either family: `invalidAt` is when it stops working (replaced or forced out). */
  const tokens = new Map<string, { family: 'classic' | 'stable'; expiresAt: number; invalidAt: number | null; state: 'ok' | 'expired' | 'invalid' }>();
  let stable: string | null = null;
  const forced = { day: -1, count: 0, lastAt: -Infinity };
  let whitelisted = options.ipWhitelisted ?? true;
  let clockOffset = 0;
  const now = (): number => Date.now() + clockOffset;
  const ocrDaily = { day: chinaDay(now()), left: options.ocrDailyQuota ?? 100 };
  const counters = new Map<WeChatApi, { day: number; today: number; minute: number; thisMinute: number }>();
  const faults = new FaultPlan(options.faults, ['server-error', 'http-5xx', 'timeout', 'token-expired']);
  const stats: WeChatEmulatorStats = {
    tokenRequests: 0,
    stableTokenRequests: 0,
    forcedRefreshes: 0,
    qrcodeRequests: 0,
    ocrRequests: 0,
    byErrcode: {},
    uploads: [],
    issuedTokens: [],
  };
  const held = new Set<ServerResponse>();

  /** The API's counters, rolled over to the current day and minute. */
  const counter = (api: WeChatApi) => {
    const t = now();
    const c = counters.get(api) ?? { day: chinaDay(t), today: 0, minute: clockMinute(t), thisMinute: 0 };
    if (c.day !== chinaDay(t)) Object.assign(c, { day: chinaDay(t), today: 0 });
    if (c.minute !== clockMinute(t)) Object.assign(c, { minute: clockMinute(t), thisMinute: 0 });
    counters.set(api, c);
    return c;
  };
  /** Counts one call of `api`, or answers 45009/45011 (and counts nothing) when a limit is used up. */
  const overLimit = (res: ServerResponse, api: WeChatApi): boolean => {
    const c = counter(api);
    const daily = options.dailyLimits?.[api];
    if (daily !== undefined && c.today >= daily) return err(res, 45009, 'reach max api daily quota limit'), true;
    const perMinute = options.minuteLimits?.[api];
    if (perMinute !== undefined && c.thisMinute >= perMinute) return err(res, 45011, 'api minute-quota reach limit  mustslower  retry next minute'), true;
    c.today++;
    c.thisMinute++;
    return false;
  };
  const issue = (family: 'classic' | 'stable'): string => {
    const token = randomBytes(48).toString('base64url');
    tokens.set(token, { family, expiresAt: now() + ttl * 1000, invalidAt: null, state: 'ok' });
    stats.issuedTokens.push(token);
    return token;
  };
  /** The token endpoints' shared checks; true when the request has been answered. */
  const refuseCredentials = (res: ServerResponse, req: IncomingMessage, grant: unknown, appid: unknown, secret: unknown): boolean => {
    if (grant !== 'client_credential') return err(res, 40002, 'invalid grant_type'), true;
    if (appid !== options.appId) return err(res, 40013, 'invalid appid'), true;
    if (secret !== options.appSecret) {
      const code = options.wrongSecretErrcode ?? 40125;
      return err(res, code, code === 40001 ? 'invalid credential, access_token is invalid or not latest' : 'invalid appsecret'), true;
    }
    if (!whitelisted) return err(res, 40164, `invalid ip ${req.socket.remoteAddress ?? '?'} ipv6 ::ffff:127.0.0.1, not in whitelist`), true;
    return false;
  };

  const send = (res: ServerResponse, body: Record<string, unknown>): void => {
    const code = String(body.errcode ?? 0);
    stats.byErrcode[code] = (stats.byErrcode[code] ?? 0) + 1;
    // WeChat answers errors with HTTP 200 and a JSON body; so do we.
    res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
    res.end(JSON.stringify(body));
  };
  const err = (res: ServerResponse, errcode: number, errmsg: string): void =>
    send(res, { errcode, errmsg: `${errmsg} rid: ${randomBytes(6).toString('hex')}` });

  /** Applies a drawn fault; true when the request has been dealt with. */
  const applyFault = (fault: Fault | null, res: ServerResponse, req: IncomingMessage, path: string): boolean => {
    switch (fault) {
      case null:
      case 'quota':
        return fault === 'quota' && path === '/cv/ocr/comm' ? (err(res, 101003, 'not enough market quota'), true) : false;
      case 'server-error':
        err(res, -1, 'system error');
        return true;
      case 'http-5xx':
        stats.byErrcode.http = (stats.byErrcode.http ?? 0) + 1;
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return true;
      case 'timeout':
        held.add(res);
        res.on('close', () => held.delete(res));
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'rate-limit':
        err(res, 45011, 'api minute-quota reach limit  mustslower  retry next minute');
        return true;
      case 'token-expired':
        if (path === '/cgi-bin/token') return false;
        err(res, 42001, 'access_token expired');
        return true;
    }
  };

  const checkToken = (res: ServerResponse, token: string | null): boolean => {
    if (!token) return err(res, 41001, 'access_token missing'), false;
    const t = tokens.get(token);
    if (!t || t.state === 'invalid' || (t.invalidAt !== null && now() >= t.invalidAt)) {
      return err(res, 40001, 'invalid credential, access_token is invalid or not latest'), false;
    }
    if (t.state === 'expired' || now() >= t.expiresAt) return err(res, 42001, 'access_token expired'), false;
    return true;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((e: unknown) => {
        if (!res.headersSent) err(res, -1, `system error (${String(e)})`);
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;

    if (path === '/cgi-bin/token' && req.method === 'GET') {
      stats.tokenRequests++;
      if (applyFault(faults.next(), res, req, path)) return;
      const q = url.searchParams;
      if (refuseCredentials(res, req, q.get('grant_type'), q.get('appid'), q.get('secret'))) return;
      if (overLimit(res, 'token')) return;
      // A new token of this family: every older one keeps working 5 more minutes, no longer.
      for (const t of tokens.values()) if (t.family === 'classic' && t.invalidAt === null) t.invalidAt = now() + CLASSIC_GRACE_MS;
      return send(res, { access_token: issue('classic'), expires_in: ttl });
    }

    if (path === '/cgi-bin/stable_token' && req.method === 'POST') {
      stats.stableTokenRequests++;
      if (applyFault(faults.next(), res, req, path)) return;
      let params: Record<string, unknown>;
      try {
        params = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return err(res, 47001, 'data format error');
      }
      if (refuseCredentials(res, req, params.grant_type, params.appid, params.secret)) return;
      if (overLimit(res, 'stable_token')) return;
      const current = stable ? tokens.get(stable) : undefined;
      const alive = current && current.state === 'ok' && current.invalidAt === null && now() < current.expiresAt;
      if (params.force_refresh === true) {
        stats.forcedRefreshes++;
        // Not twice within 30 s: the second answers the current token unchanged.
        if (alive && now() - forced.lastAt < 30_000) return send(res, { access_token: stable, expires_in: Math.floor((current.expiresAt - now()) / 1000) });
        if (forced.day !== chinaDay(now())) Object.assign(forced, { day: chinaDay(now()), count: 0 });
        if (forced.count >= 20) return err(res, 45009, 'reach max api daily quota limit');
        forced.count++;
        forced.lastAt = now();
        if (current) current.invalidAt = now();
      } else if (alive && current.expiresAt - now() > STABLE_RENEW_MS) {
        return send(res, { access_token: stable, expires_in: Math.floor((current.expiresAt - now()) / 1000) });
      }
      stable = issue('stable');
      return send(res, { access_token: stable, expires_in: ttl });
    }

    const op = path === '/cv/img/qrcode' ? 'qrcode' : path === '/cv/ocr/comm' ? 'ocr' : null;
    if (!op || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 48001, errmsg: 'api unauthorized' }));
      return;
    }
    if (op === 'qrcode') stats.qrcodeRequests++;
    else stats.ocrRequests++;
    if (!checkToken(res, url.searchParams.get('access_token'))) return;
    if (applyFault(faults.next(), res, req, path)) return;
    if (overLimit(res, op)) return;
    if (url.searchParams.has('img_url')) return err(res, 101000, 'invalid image url');

    const ctype = req.headers['content-type'] ?? '';
    if (!ctype.startsWith('multipart/form-data')) return err(res, 41005, 'media data missing');
    let form: FormData;
    try {
      form = await new Request('http://emulator/', { method: 'POST', headers: { 'content-type': ctype }, body }).formData();
    } catch {
      return err(res, 41005, 'media data missing');
    }
    const img = form.get('img');
    if (!img || typeof img === 'string') return err(res, 41005, 'media data missing');
    const bytes = Buffer.from(await img.arrayBuffer());
    const format = sniffFormat(bytes);
    stats.uploads.push({ path, bytes: bytes.length, format, filename: img.name || null, contentType: img.type || null });
    if (bytes.length >= maxFile) return err(res, 40006, 'invalid media size');
    if (format !== 'jpeg' && format !== 'png') return err(res, 101002, op === 'ocr' ? 'decode image failed' : 'invalid image data');

    if (op === 'ocr') {
      if (ocrDaily.day !== chinaDay(now())) Object.assign(ocrDaily, { day: chinaDay(now()), left: options.ocrDailyQuota ?? 100 });
      if (ocrDaily.left <= 0) return err(res, 101003, 'not enough market quota');
      ocrDaily.left--;
    }

    let decoded;
    try {
      decoded = await decodeCodes(bytes, {
        formats: op === 'ocr' ? [] : ['QRCode', 'DataMatrix', 'PDF417', 'EAN13', 'EAN8', 'UPCA', 'UPCE', 'Code128', 'Code39', 'Code93', 'Codabar', 'ITF'],
      });
    } catch {
      return err(res, 101002, op === 'ocr' ? 'decode image failed' : 'invalid image data');
    }
    const img_size = { w: decoded.width, h: decoded.height };

    if (op === 'qrcode') {
      const code_results = decoded.results.map((r) => {
        const type_name = TYPE_NAMES[r.format] ?? r.format.toUpperCase();
        return POS_TYPES.has(type_name) ? { type_name, data: r.text, pos: toPos(r.position) } : { type_name, data: r.text };
      });
      return send(res, { errcode: 0, errmsg: 'ok', code_results, img_size });
    }

    const sha = createHash('sha256').update(bytes).digest('hex');
    const fixture = options.ocrFixtures?.[sha];
    const items = fixture
      ? fixture.map((l) => ({ text: l.text, pos: l.pos ?? toPos(null) }))
      : decoded.results.map((r) => ({ text: r.text, pos: toPos(r.position) }));
    return send(res, { errcode: 0, errmsg: 'ok', items, img_size });
  }

  await warmUp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    faults,
    expireTokens: () => tokens.forEach((t) => (t.state = t.state === 'ok' ? 'expired' : t.state)),
    invalidateTokens: () => tokens.forEach((t) => (t.state = 'invalid')),
    setWhitelisted: (v) => (whitelisted = v),
    setOcrQuota: (n) => (ocrDaily.left = n),
    setClockOffset: (ms) => (clockOffset = ms),
    now,
    used: (api) => {
      const c = counter(api);
      return { today: c.today, thisMinute: c.thisMinute };
    },
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type ZxPosition = { topLeft: WxPoint; topRight: WxPoint; bottomRight: WxPoint; bottomLeft: WxPoint };

function toPos(p: ZxPosition | null): WxPos {
  const pt = (q: WxPoint | undefined) => ({ x: Math.round(q?.x ?? 0), y: Math.round(q?.y ?? 0) });
  return { left_top: pt(p?.topLeft), right_top: pt(p?.topRight), right_bottom: pt(p?.bottomRight), left_bottom: pt(p?.bottomLeft) };
}
