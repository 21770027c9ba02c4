import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud OSS signature V4 (OSS4-HMAC-SHA256), written out from Alibaba's description so
 * that the emulator can verify what ali-oss sends (and tests can check both against Alibaba's
 * published vector). The client itself signs through ali-oss (`authorizationV4: true`).
 *
 *   canonical request = METHOD \n URI-encoded "/<bucket>/<key>" ('/' kept) \n canonical query \n
 *                       canonical headers (each "name:value\n") \n additional header names \n
 *                       x-oss-content-sha256 (UNSIGNED-PAYLOAD)
 *   string to sign    = "OSS4-HMAC-SHA256" \n <yyyymmddTHHMMSSZ> \n <scope> \n hex(sha256(canonical request))
 *   scope             = <yyyymmdd>/<region>/oss/aliyun_v4_request
 *   signing key       = HMAC chain of "aliyun_v4"+secret over date, region, "oss", "aliyun_v4_request"
 */
export const OSS_V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface OssV4Request {
  method: string;
  bucket?: string;
  key?: string;
  region: string;
  /** Header names in any case; values as sent. */
  headers: Record<string, string | number | undefined>;
  /** Decoded query parameters; null or '' means "present without a value". */
  query?: Record<string, string | null | undefined>;
  /** Extra headers to sign (beyond content-type, content-md5 and x-oss-*). */
  additionalHeaders?: string[];
  product?: string;
}

export interface OssV4Signed {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  /** The x-oss-date value the signature covers. */
  date: string;
}

/** RFC 3986 percent-encoding (encodeURIComponent leaves !'()* alone; V4 does not). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "20231216T162057Z" for a Date. */
export function ossV4Timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Parses "20231216T162057Z" back into a Date (null when malformed). */
export function parseOssV4Timestamp(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
}

function lowerHeaders(headers: OssV4Request['headers']): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out.set(k.toLowerCase(), String(v).trim());
  }
  return out;
}

function normalizeAdditional(names: string[] | undefined): string[] {
  return [...new Set((names ?? []).map((n) => n.toLowerCase()))]
    .filter((n) => n !== 'content-type' && n !== 'content-md5' && !n.startsWith('x-oss-'))
    .sort();
}

export function canonicalRequest(req: OssV4Request): string {
  const headers = lowerHeaders(req.headers);
  const additional = normalizeAdditional(req.additionalHeaders);
  const resource = `/${req.bucket ? `${req.bucket}/` : ''}${req.key ?? ''}`;
  const uri = uriEncode(resource).replace(/%2F/g, '/');

  const query = Object.entries(req.query ?? {})
    .filter((e): e is [string, string | null] => e[1] !== undefined)
    .map(([k, v]) => [uriEncode(k), v === null || v === '' ? null : uriEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === null ? k : `${k}=${v}`))
    .join('&');

  const signed = new Set(additional);
  for (const name of headers.keys()) {
    if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) signed.add(name);
  }
  const canonicalHeaders = [...signed]
    .sort()
    .map((n) => `${n}:${headers.get(n) ?? ''}\n`)
    .join('');

  return [
    req.method.toUpperCase(),
    uri,
    query,
    canonicalHeaders,
    additional.join(';'),
    headers.get('x-oss-content-sha256') ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Signs a request whose headers already carry `x-oss-date` (and normally
 * `x-oss-content-sha256: UNSIGNED-PAYLOAD`). Returns the Authorization header and the
 * intermediate strings (the emulator shows the expected canonical request on a mismatch, as
 * OSS does).
 */
export function signOssV4(req: OssV4Request, credentials: { accessKeyId: string; accessKeySecret: string }): OssV4Signed {
  const headers = lowerHeaders(req.headers);
  const date = headers.get('x-oss-date');
  if (!date || !parseOssV4Timestamp(date)) throw new Error('signOssV4: x-oss-date (yyyymmddTHHMMSSZ) is required');
  const day = date.slice(0, 8);
  const product = req.product ?? 'oss';
  const scope = `${day}/${req.region}/${product}/aliyun_v4_request`;
  const canonical = canonicalRequest(req);
  const stringToSign = [OSS_V4_ALGORITHM, date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key = hmac(`aliyun_v4${credentials.accessKeySecret}`, day);
  key = hmac(key, req.region);
  key = hmac(key, product);
  key = hmac(key, 'aliyun_v4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const additional = normalizeAdditional(req.additionalHeaders);
  const authorization =
    `${OSS_V4_ALGORITHM} Credential=${credentials.accessKeyId}/${scope},` +
    (additional.length > 0 ? `AdditionalHeaders=${additional.join(';')},` : '') +
    `Signature=${signature}`;
  return { authorization, signature, canonicalRequest: canonical, stringToSign, date };
}

export interface ParsedOssV4Authorization {
  accessKeyId: string;
  day: string;
  region: string;
  product: string;
  additionalHeaders: string[];
  signature: string;
}

/** Reads an OSS4-HMAC-SHA256 Authorization header; null when it is not one. */
export function parseOssV4Authorization(value: string | undefined): ParsedOssV4Authorization | null {
  if (!value?.startsWith(`${OSS_V4_ALGORITHM} `)) return null;
  const parts = new Map<string, string>();
  for (const part of value.slice(OSS_V4_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential')?.split('/');
  const signature = parts.get('Signature');
  if (!credential || credential.length !== 5 || credential[4] !== 'aliyun_v4_request' || !signature) return null;
  const [accessKeyId, day, region, product] = credential as [string, string, string, string];
  const extra = parts.get('AdditionalHeaders');
  return { accessKeyId, day, region, product, additionalHeaders: extra ? extra.split(';') : [], signature };
}
