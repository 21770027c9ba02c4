import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import {
  parseOssV4Authorization,
  parseOssV4Timestamp,
  signOssV4,
} from '../../../electron/core/vendors/alioss/sign-v4';
import { decodeCodes, warmUp } from '../wechat/decode';
import { FaultPlan, RateWindow, type FaultOptions } from '../wechat/faults';

/**
 * A local stand-in for one OSS bucket that follows seed 003 and VENDORS.md:
 *
 * - Every request must be signed with V4 (OSS4-HMAC-SHA256); the emulator recomputes the
 *   signature with the product's signer (itself checked against Alibaba's vector and ali-oss)
 *   from what arrived on the wire. No signature: 403 AccessDenied (no anonymous access);
 *   unknown AccessKey ID: 403 InvalidAccessKeyId; wrong signature or signing region: 403
 *   SignatureDoesNotMatch (with the expected CanonicalRequest, as OSS does); x-oss-date more
 *   than 15 minutes from the emulator's clock: 403 RequestTimeTooSkewed.
 * - The bucket comes from the Host header's first label (ali-oss pointed at an IP endpoint
 *   still sends `<bucket>.<region>.aliyuncs.com`), or from the path when Host is an IP.
 * - PutObject stores bodies in memory (Content-MD5 checked), GetObject/HeadObject/DeleteObject,
 *   GetBucketInfo (?bucketInfo) and ListObjects (max-keys).
 * - GET <key>?x-oss-process=image/codes REALLY decodes the stored image (zxing-wasm) and answers
 *   {RequestId, Codes:[{Content, Boundary:{Left,Top,Width,Height}}]}, at most 5 codes. Not an
 *   image: 400 InvalidArgument; missing key: 404 NoSuchKey; other process values: 400.
 * - Keys as a company hands them out: the main key has every permission; `keys` adds RAM users
 *   whose policy allows some actions only (`allow`, optionally under a key `prefix`: anything
 *   else is 403 AccessDenied "You are forbidden to <action>"; image/codes needs oss:GetObject,
 *   oss:ProcessImm and imm:DetectImageCodes), and STS keys whose x-oss-security-token must match
 *   (else 403 InvalidAccessKeyId "The security token you provided is invalid.", EC
 *   0002-00000008) until their expiry (then 403 SecurityTokenExpired, EC 0002-00000007).
 * - A bucket in another region than the endpoint (`bucketRegion`): every request gets 403
 *   AccessDenied with <Endpoint>oss-<bucketRegion>.aliyuncs.com</Endpoint>, as OSS answers.
 * - Faults: 500 InternalError, bare 502, 503 SlowDown (rate limit), held requests, dropped
 *   connections; queued or a seeded random fraction. Per-operation rate limits answer 503.
 */
/** The RAM actions a key may be granted (what OSS checks each request against). */
export type OssAction =
  | 'oss:PutObject'
  | 'oss:GetObject'
  | 'oss:DeleteObject'
  | 'oss:GetBucketInfo'
  | 'oss:ListObjects'
  | 'oss:ProcessImm'
  | 'imm:DetectImageCodes';

export interface OssKey {
  accessKeySecret: string;
  /** STS keys: the security token every request must carry (x-oss-security-token), and until when. */
  securityToken?: string;
  expiresAt?: number;
  /** What the key's RAM policy allows (default: everything). */
  allow?: readonly OssAction[];
  /** The policy's resource: only keys under this prefix (default: the whole bucket). */
  prefix?: string;
}

export interface OssEmulatorOptions {
  bucket: string;
  /** The region of the endpoint this emulator stands in for, e.g. 'cn-hangzhou' (the signing region). */
  region: string;
  /**
   * Where the bucket really is (default `region`). When it differs, every request gets 403
   * AccessDenied with an <Endpoint> naming the bucket's own endpoint, as OSS answers a request
   * sent to another region's endpoint.
   */
  bucketRegion?: string;
  /** The main key (every permission). */
  accessKeyId: string;
  accessKeySecret: string;
  /** More keys: least-privilege RAM users, STS temporary keys. */
  keys?: Record<string, OssKey>;
  /** The emulator's clock minus the real one (to simulate a client with a wrong clock). */
  clockOffsetMs?: number;
  maxSkewMs?: number;
  rateLimits?: Partial<Record<'PutObject' | 'GetObject' | 'DeleteObject' | 'ProcessImage', number>>;
  faults?: FaultOptions;
  maxCodes?: number;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
}

export interface OssEmulator {
  /** http://127.0.0.1:PORT — give it to ali-oss as `endpoint`. */
  endpoint: string;
  objects: Map<string, StoredObject>;
  faults: FaultPlan;
  /** Method, path, status and error code of every request, in order. */
  log: Array<{ method: string; key: string; op: string; status: number; code?: string }>;
  /** The x-oss-security-token of every request signed with an STS key ('' when it had none). */
  tokensSeen: string[];
  /** Operations to hold unanswered (logged with code 'held'), e.g. 'ProcessImage': a run caught mid-page. */
  hold: Set<string>;
  setClockOffset(ms: number): void;
  close(): Promise<void>;
}

export async function startOssEmulator(options: OssEmulatorOptions): Promise<OssEmulator> {
  const objects = new Map<string, StoredObject>();
  const hold = new Set<string>();
  const faults = new FaultPlan(options.faults, ['server-error', 'http-5xx', 'rate-limit', 'timeout', 'reset']);
  const rates = new RateWindow(options.rateLimits ?? {});
  const log: OssEmulator['log'] = [];
  const tokensSeen: string[] = [];
  const held = new Set<ServerResponse>();
  let clockOffset = options.clockOffsetMs ?? 0;
  const maxSkew = options.maxSkewMs ?? 15 * 60_000;
  const maxCodes = options.maxCodes ?? 5;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((e: unknown) => {
        if (!res.headersSent) xmlError(res, { method: req.method ?? '', key: '', op: 'internal' }, 500, 'InternalError', `emulator: ${String(e)}`);
      });
    });
  });

  function xmlError(res: ServerResponse, entry: { method: string; key: string; op: string }, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    log.push({ ...entry, status, code });
    const fields = Object.entries({ Code: code, Message: message, RequestId: requestId, HostId: `${options.bucket}.oss-${options.region}.aliyuncs.com`, ...extra })
      .map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>`)
      .join('\n');
    res.writeHead(status, { 'content-type': 'application/xml', 'x-oss-request-id': requestId, server: 'AliyunOSS' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${fields}\n</Error>\n`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const method = req.method ?? 'GET';
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
    const query = parseQuery(rawQuery);
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    let bucket: string | undefined;
    let key: string;
    const decodedPath = decodeURIComponent(rawPath);
    if (isIP(host) || host === 'localhost') {
      const [, b, ...rest] = decodedPath.split('/');
      bucket = b || undefined;
      key = rest.join('/');
    } else {
      bucket = host.split('.')[0];
      key = decodedPath.replace(/^\//, '');
    }
    const op = opName(method, key, query);
    const entry = { method, key, op };
    const fail = (status: number, code: string, message: string, extra?: Record<string, string>) => xmlError(res, entry, status, code, message, extra);

    // A request sent to another region's endpoint than the bucket's: OSS names the right one.
    if (bucket === options.bucket && options.bucketRegion && options.bucketRegion !== options.region) {
      return fail(403, 'AccessDenied', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', {
        BucketName: bucket,
        Endpoint: `oss-${options.bucketRegion}.aliyuncs.com`,
      });
    }

    // Signature V4, recomputed from what arrived.
    const auth = parseOssV4Authorization(req.headers.authorization);
    if (!auth) return fail(403, 'AccessDenied', 'Anonymous access is forbidden for this operation; sign with OSS4-HMAC-SHA256.');
    const keys: Record<string, OssKey> = { [options.accessKeyId]: { accessKeySecret: options.accessKeySecret }, ...options.keys };
    const keyInfo = keys[auth.accessKeyId];
    if (!keyInfo) return fail(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: auth.accessKeyId });
    if (keyInfo.securityToken !== undefined) {
      tokensSeen.push(String(req.headers['x-oss-security-token'] ?? ''));
      if (req.headers['x-oss-security-token'] !== keyInfo.securityToken) {
        return fail(403, 'InvalidAccessKeyId', 'The security token you provided is invalid.', { EC: '0002-00000008' });
      }
      if (keyInfo.expiresAt !== undefined && Date.now() + clockOffset >= keyInfo.expiresAt) {
        return fail(403, 'SecurityTokenExpired', 'The security token you provided has expired.', { EC: '0002-00000007' });
      }
    }
    const dateHeader = String(req.headers['x-oss-date'] ?? '');
    const sent = parseOssV4Timestamp(dateHeader);
    if (!sent) return fail(403, 'AccessDenied', 'x-oss-date is missing or malformed.');
    const serverNow = Date.now() + clockOffset;
    if (Math.abs(serverNow - sent.getTime()) > maxSkew) {
      return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
        RequestTime: dateHeader,
        ServerTime: new Date(serverNow).toISOString(),
      });
    }
    if (auth.region !== options.region || auth.product !== 'oss' || auth.day !== dateHeader.slice(0, 8)) {
      return fail(403, 'SignatureDoesNotMatch', `Invalid signing region or scope in Authorization header (expected ${options.region}).`);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const expected = signOssV4(
      { method, bucket, key: key || undefined, region: options.region, headers, query, additionalHeaders: auth.additionalHeaders },
      { accessKeyId: auth.accessKeyId, accessKeySecret: keyInfo.accessKeySecret },
    );
    if (expected.signature !== auth.signature) {
      return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        CanonicalRequest: expected.canonicalRequest,
        StringToSign: expected.stringToSign,
      });
    }
    if (bucket !== options.bucket) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket ?? '' });

    // The key's RAM policy: every action the operation needs, on this object.
    const denied = ACTIONS[op]?.find((a) => !(keyInfo.allow ?? ALL_ACTIONS).includes(a) || (keyInfo.prefix !== undefined && key !== '' && !key.startsWith(keyInfo.prefix)));
    if (denied) return fail(403, 'AccessDenied', `You are forbidden to ${denied}.`, { EC: '0003-00000001' });

    if (hold.has(op)) {
      log.push({ ...entry, status: 0, code: 'held' });
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    // Faults and rate limits after authentication (as a real front end does).
    const fault = faults.next();
    switch (fault) {
      case 'server-error':
        return fail(500, 'InternalError', 'We encountered an internal error. Please try again.');
      case 'http-5xx':
        log.push({ ...entry, status: 502 });
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end('<html><body>502 Bad Gateway</body></html>');
      case 'rate-limit':
        return fail(503, 'SlowDown', 'Please reduce your request rate.');
      case 'timeout':
        log.push({ ...entry, status: 0, code: 'held' });
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      case 'reset':
        log.push({ ...entry, status: 0, code: 'reset' });
        return void req.socket.destroy();
      default:
        break;
    }
    if (rates.exceeded(op)) return fail(503, 'SlowDown', 'Please reduce your request rate.');

    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const ok = (status: number, payload: string | Buffer, type: string, extra: Record<string, string> = {}) => {
      log.push({ ...entry, status });
      res.writeHead(status, { 'content-type': type, 'x-oss-request-id': requestId, server: 'AliyunOSS', ...extra });
      res.end(payload);
    };

    switch (op) {
      case 'PutObject': {
        const md5 = createHash('md5').update(body).digest();
        const sentMd5 = req.headers['content-md5'];
        if (typeof sentMd5 === 'string' && sentMd5 !== md5.toString('base64')) return fail(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
        const etag = `"${md5.toString('hex').toUpperCase()}"`;
        objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), etag });
        return ok(200, '', 'text/plain', { etag });
      }
      case 'DeleteObject':
        objects.delete(key);
        return ok(204, '', 'text/plain');
      case 'HeadObject':
      case 'GetObject': {
        const obj = objects.get(key);
        if (!obj) {
          if (op === 'HeadObject') return ok(404, '', 'application/xml');
          return fail(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        }
        return ok(200, op === 'HeadObject' ? '' : obj.body, obj.contentType, { etag: obj.etag });
      }
      case 'ProcessImage': {
        const obj = objects.get(key);
        if (!obj) return fail(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        if (query['x-oss-process'] !== 'image/codes') return fail(400, 'InvalidArgument', 'The specified process operation is not supported.');
        let decoded;
        try {
          decoded = await decodeCodes(obj.body, {});
        } catch {
          return fail(400, 'InvalidArgument', 'The image format is not supported or the image is damaged.');
        }
        const Codes = decoded.results.slice(0, maxCodes).map((r) => {
          const xs = [r.position.topLeft.x, r.position.topRight.x, r.position.bottomRight.x, r.position.bottomLeft.x];
          const ys = [r.position.topLeft.y, r.position.topRight.y, r.position.bottomRight.y, r.position.bottomLeft.y];
          const Left = Math.max(0, Math.floor(Math.min(...xs)));
          const Top = Math.max(0, Math.floor(Math.min(...ys)));
          return { Content: r.text, Boundary: { Width: Math.ceil(Math.max(...xs)) - Left, Height: Math.ceil(Math.max(...ys)) - Top, Left, Top } };
        });
        return ok(200, JSON.stringify({ RequestId: requestId, Codes }, null, 2), 'application/json;charset=utf-8');
      }
      case 'GetBucketInfo':
        return ok(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<BucketInfo><Bucket><Name>${escapeXml(options.bucket)}</Name><Location>oss-${options.region}</Location>` +
            `<ExtranetEndpoint>oss-${options.region}.aliyuncs.com</ExtranetEndpoint><StorageClass>Standard</StorageClass></Bucket></BucketInfo>`,
          'application/xml',
        );
      case 'ListObjects': {
        const max = Math.max(0, Math.min(1000, Number(query['max-keys'] ?? 100)));
        const prefix = query.prefix ?? '';
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        const contents = keys
          .slice(0, max)
          .map((k) => `<Contents><Key>${escapeXml(k)}</Key><Size>${objects.get(k)!.body.length}</Size><ETag>${escapeXml(objects.get(k)!.etag)}</ETag></Contents>`)
          .join('');
        return ok(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>${escapeXml(options.bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
            `<MaxKeys>${max}</MaxKeys><IsTruncated>${keys.length > max}</IsTruncated>${contents}</ListBucketResult>`,
          'application/xml',
        );
      }
      default:
        return fail(400, 'InvalidRequest', `The emulator does not implement ${method} ${op}.`);
    }
  }

  await warmUp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    hold,
    faults,
    log,
    tokensSeen,
    setClockOffset: (ms) => (clockOffset = ms),
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ALL_ACTIONS: readonly OssAction[] = ['oss:PutObject', 'oss:GetObject', 'oss:DeleteObject', 'oss:GetBucketInfo', 'oss:ListObjects', 'oss:ProcessImm', 'imm:DetectImageCodes'];

/** The RAM actions each operation needs (image/codes reads the object and runs IMM on it). */
const ACTIONS: Record<string, readonly OssAction[]> = {
  PutObject: ['oss:PutObject'],
  GetObject: ['oss:GetObject'],
  HeadObject: ['oss:GetObject'],
  DeleteObject: ['oss:DeleteObject'],
  ProcessImage: ['oss:GetObject', 'oss:ProcessImm', 'imm:DetectImageCodes'],
  GetBucketInfo: ['oss:GetBucketInfo'],
  ListObjects: ['oss:ListObjects'],
};

function opName(method: string, key: string, query: Record<string, string | null>): string {
  if (!key) {
    if (method === 'GET' && 'bucketInfo' in query) return 'GetBucketInfo';
    if (method === 'GET') return 'ListObjects';
    return 'Bucket' + method;
  }
  if (method === 'PUT') return 'PutObject';
  if (method === 'DELETE') return 'DeleteObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET' && 'x-oss-process' in query) return 'ProcessImage';
  if (method === 'GET') return 'GetObject';
  return method;
}

/** Query string → decoded map; a key without '=' is null (as OSS signs it). '+' stays '+'. */
function parseQuery(raw: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) out[decodeURIComponent(part)] = null;
    else out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
