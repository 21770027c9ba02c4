import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCodes, sniffFormat, warmUp } from './decode';
import { FaultPlan, RateWindow, type Fault, type FaultOptions } from './faults';

/**
 * A local stand-in for api.weixin.qq.com that follows the seed documents (001 imgQrcode,
 * 002 printedTextOCR) and VENDORS.md (token endpoint):
 *
 * - GET /cgi-bin/token checks grant_type, appid (40013), secret (40125) and the IP whitelist
 *   (40164), and issues random tokens that live `tokenTtlSeconds`.
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
 * - Rate limits per operation answer 45009; faults can be queued or drawn at random (seeded).
 */
export interface WeChatEmulatorOptions {
  appId: string;
  appSecret: string;
  tokenTtlSeconds?: number;
  /** false: every token request answers 40164 (caller's IP not whitelisted). */
  ipWhitelisted?: boolean;
  /** Requests per second per operation ('token', 'qrcode', 'ocr'); over it: 45009. */
  rateLimits?: Partial<Record<'token' | 'qrcode' | 'ocr', number>>;
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
  tokenRequests: number;
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
  close(): Promise<void>;
}

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
  const tokens = new Map<string, { expiresAt: number; state: 'ok' | 'expired' | 'invalid' }>();
  let whitelisted = options.ipWhitelisted ?? true;
  let ocrQuota = options.ocrDailyQuota ?? 100;
  const faults = new FaultPlan(options.faults, ['server-error', 'http-5xx', 'timeout', 'rate-limit', 'token-expired']);
  const rates = new RateWindow(options.rateLimits ?? {});
  const stats: WeChatEmulatorStats = { tokenRequests: 0, qrcodeRequests: 0, ocrRequests: 0, byErrcode: {}, uploads: [], issuedTokens: [] };
  const held = new Set<ServerResponse>();

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
        err(res, 45009, 'reach max api daily quota limit');
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
    if (!t || t.state === 'invalid') return err(res, 40001, 'invalid credential, access_token is invalid or not latest'), false;
    if (t.state === 'expired' || Date.now() >= t.expiresAt) return err(res, 42001, 'access_token expired'), false;
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
      if (rates.exceeded('token')) return err(res, 45009, 'reach max api daily quota limit');
      if (url.searchParams.get('grant_type') !== 'client_credential') return err(res, 40002, 'invalid grant_type');
      if (url.searchParams.get('appid') !== options.appId) return err(res, 40013, 'invalid appid');
      if (url.searchParams.get('secret') !== options.appSecret) return err(res, 40125, 'invalid appsecret');
      if (!whitelisted) return err(res, 40164, `invalid ip ${req.socket.remoteAddress ?? '?'} ipv6 ::ffff:127.0.0.1, not in whitelist`);
      const token = randomBytes(48).toString('base64url');
      tokens.set(token, { expiresAt: Date.now() + ttl * 1000, state: 'ok' });
      stats.issuedTokens.push(token);
      return send(res, { access_token: token, expires_in: ttl });
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
    if (rates.exceeded(op)) return err(res, 45009, 'reach max api daily quota limit');
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
      if (ocrQuota <= 0) return err(res, 101003, 'not enough market quota');
      ocrQuota--;
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
    setOcrQuota: (n) => (ocrQuota = n),
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
