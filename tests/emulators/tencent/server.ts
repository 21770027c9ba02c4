import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseTc3Authorization, signaturesEqual, tc3Date, tc3Sign } from '../../../electron/core/vendors/tencent/tc3-sign';
import { seeded } from '../common/seeded';
import { idCardOcr, qrcodeOcr, queryBarCode } from './actions';
import { TcError } from './errors';
import type { EmulatorOptions, EmulatorStats, Fault } from './types';

export const TENCENT_OCR_HOST = 'ocr.tencentcloudapi.com';
const VERSION = '2018-11-19';
const ACTIONS: Record<string, typeof qrcodeOcr> = {
  QrcodeOCR: qrcodeOcr,
  IDCardOCR: idCardOcr,
  QueryBarCode: queryBarCode,
};
const DEFAULT_RATES: Record<string, number> = { QrcodeOCR: 5, IDCardOCR: 20, QueryBarCode: 5 };

export interface TencentEmulator {
  port: number;
  /** What a client puts in its endpoint: the real host name with the emulator's port. */
  endpoint: string;
  stats: EmulatorStats;
  /** Faults to apply to the next requests, in order (after signature checks). */
  injectNext(...faults: Fault[]): void;
  /** Change options live (cards, queryBarCode mode, quotaError, randomFaults, rate limits). */
  configure(patch: Partial<EmulatorOptions>): void;
  resetStats(): void;
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A local Tencent Cloud OCR (API 3.0) that follows the documents: TC3 signature verification,
 * clock-skew and unknown-key errors, rate limits per action, size and format limits with the
 * documented codes, real decoding of the images it is sent, and faults on request.
 */
export async function startTencentEmulator(initial: EmulatorOptions): Promise<TencentEmulator> {
  let options: EmulatorOptions = { ...initial };
  let random = seeded(options.randomFaults?.seed ?? 1);
  const queued: Fault[] = [];
  const buckets = new Map<string, Bucket>();
  const sockets = new Set<Socket>();
  const emptyStats = (): EmulatorStats => ({ requests: {}, ok: {}, errors: {}, arrivals: [], base64Bytes: 0, lastParams: {}, lastRegion: {}, tokens: [] });
  let stats = emptyStats();
  const bump = (m: Record<string, number>, k: string): void => {
    m[k] = (m[k] ?? 0) + 1;
  };

  /** When each request's answer may leave (options.latencyMs after it arrived). */
  const due = new WeakMap<ServerResponse, number>();
  const send = (res: ServerResponse, body: Record<string, unknown>): void => {
    const text = JSON.stringify({ Response: { ...body, RequestId: randomUUID() } });
    const write = () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(text);
    };
    const wait = (due.get(res) ?? 0) - performance.now();
    if (wait > 0) setTimeout(write, wait);
    else write();
  };
  const sendError = (res: ServerResponse, code: string, message: string): void => {
    bump(stats.errors, code);
    send(res, { Error: { Code: code, Message: message } });
  };

  const takeToken = (key: string, rate: number): boolean => {
    const now = performance.now();
    const b = buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  /** Returns true when the fault consumed the request. */
  const applyFault = (res: ServerResponse, fault: Fault): boolean => {
    if (fault.kind === 'hang') {
      bump(stats.errors, 'hang');
      return true; // never answer; the socket is destroyed on close()
    }
    if (fault.kind === 'http') {
      bump(stats.errors, `HTTP ${fault.status}`);
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' });
      res.end('upstream error');
      return true;
    }
    sendError(res, fault.code, fault.message ?? `Injected ${fault.code}.`);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    stats.arrivals.push(performance.now());
    if (options.latencyMs) due.set(res, performance.now() + options.latencyMs);
    const action = String(req.headers['x-tc-action'] ?? '');
    bump(stats.requests, action || '(none)');
    if (req.method !== 'POST') return sendError(res, 'UnsupportedProtocol', 'Only POST is emulated.');

    // 1. Authentication, exactly as the signature document describes.
    const auth = parseTc3Authorization(req.headers.authorization);
    if (!auth) return sendError(res, 'AuthFailure.InvalidAuthorization', 'Authorization header is missing or malformed.');
    const temporary = options.temporary?.[auth.secretId];
    const secretKey = options.accounts[auth.secretId] ?? temporary?.secretKey;
    if (secretKey === undefined) return sendError(res, 'AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp)) return sendError(res, 'MissingParameter', 'X-TC-Timestamp is required.');
    const skew = Math.abs(Date.now() / 1000 - timestamp);
    if (skew > (options.maxSkewSeconds ?? 300)) {
      return sendError(res, 'AuthFailure.SignatureExpire', 'Signature expired: the request timestamp is more than 5 minutes off.');
    }
    const hostHeader = String(req.headers.host ?? '');
    const host = hostHeader.replace(/:\d+$/, ''); // the SDK signs URL.hostname, sends URL.host
    const expected = tc3Sign({
      secretId: auth.secretId,
      secretKey,
      service: host.split('.')[0] ?? '',
      host,
      timestamp,
      payload: body,
      contentType: String(req.headers['content-type'] ?? ''),
      method: req.method,
      path: (req.url ?? '/').split('?')[0],
      query: (req.url ?? '/').split('?')[1] ?? '',
    });
    if (
      auth.date !== tc3Date(timestamp) ||
      auth.service !== 'ocr' ||
      auth.signedHeaders.join(';') !== 'content-type;host' ||
      !signaturesEqual(auth.signature, expected.signature)
    ) {
      return sendError(res, 'AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    if (req.headers['x-tc-version'] !== VERSION) return sendError(res, 'NoSuchVersion', 'The API version does not exist.');
    // Temporary keys: the session token travels as X-TC-Token (not signed) and ends at its expiry.
    if (temporary) {
      stats.tokens.push(String(req.headers['x-tc-token'] ?? ''));
      if (req.headers['x-tc-token'] !== temporary.token) return sendError(res, 'AuthFailure.TokenFailure', 'The provided token is invalid.');
      if (Date.now() >= temporary.expiresAt) return sendError(res, 'AuthFailure.TokenFailure', 'The provided token has expired.');
    }

    // 2. Account state, rate limit, injected faults.
    if (options.quotaError) return sendError(res, options.quotaError, 'Account quota or billing problem (injected).');
    const handler = ACTIONS[action];
    if (!handler) return sendError(res, 'InvalidAction', `The action ${action} does not exist.`);
    const rate = options.rateLimits?.[action] ?? DEFAULT_RATES[action] ?? 20;
    if (!takeToken(`${auth.secretId}/${action}`, rate)) {
      return sendError(res, 'RequestLimitExceeded', 'Your current request frequency has reached the limit.');
    }
    const next = queued.shift();
    if (next && applyFault(res, next)) return;
    const rf = options.randomFaults;
    if (rf && rf.p > 0 && rf.kinds.length > 0 && random() < rf.p) {
      const fault = rf.kinds[Math.floor(random() * rf.kinds.length)]!;
      if (applyFault(res, fault)) return;
    }

    // 3. The action itself.
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return sendError(res, 'InvalidParameter', 'The request body is not valid JSON.');
    }
    if (typeof params.ImageBase64 === 'string') stats.base64Bytes += params.ImageBase64.length;
    const region = req.headers['x-tc-region'] === undefined ? undefined : String(req.headers['x-tc-region']);
    const { ImageBase64: _image, ...shown } = params;
    stats.lastParams[action] = shown;
    stats.lastRegion[action] = region;
    try {
      const answer = await handler(params, { region, options });
      bump(stats.ok, action);
      send(res, answer);
    } catch (err) {
      if (err instanceof TcError) return sendError(res, err.code, err.message);
      return sendError(res, 'InternalError', `Internal error: ${(err as Error).message}`);
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 'InternalError', String(err));
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    endpoint: `${TENCENT_OCR_HOST}:${port}`,
    get stats() {
      return stats;
    },
    injectNext: (...faults) => void queued.push(...faults),
    configure: (patch) => {
      options = { ...options, ...patch };
      if (patch.randomFaults) random = seeded(patch.randomFaults.seed);
      if (patch.rateLimits) buckets.clear();
    },
    resetStats: () => {
      stats = emptyStats();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
