import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TC3-HMAC-SHA256, Tencent Cloud API 3.0 request signing (seed 004, slides 6-10; Tencent's
 * "Signature v3" page). Used by the emulator to verify what the official SDK sends, and by
 * tests to prove the two agree.
 */
export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** First label of the endpoint: 'ocr', 'cvm'. */
  service: string;
  /** Host name without the port (the SDK signs `URL.hostname`). */
  host: string;
  /** Unix seconds; the credential date is its UTC day. */
  timestamp: number;
  /** The exact body bytes that are sent. */
  payload: string | Buffer;
  /** The exact Content-Type header that is sent. */
  contentType: string;
  method?: string;
  path?: string;
  query?: string;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  date: string;
  credentialScope: string;
  canonicalRequest: string;
  stringToSign: string;
}

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
const SIGNED_HEADERS = 'content-type;host';

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** YYYY-MM-DD of a unix timestamp, in UTC. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3Sign(req: Tc3Request): Tc3Signature {
  const method = (req.method ?? 'POST').toUpperCase();
  const canonicalHeaders = `content-type:${req.contentType}\nhost:${req.host}\n`;
  const canonicalRequest = [
    method,
    req.path ?? '/',
    req.query ?? '',
    canonicalHeaders,
    SIGNED_HEADERS,
    sha256Hex(req.payload),
  ].join('\n');
  const date = tc3Date(req.timestamp);
  const credentialScope = `${date}/${req.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(req.timestamp), credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac('TC3' + req.secretKey, date);
  const kService = hmac(kDate, req.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  const authorization = `${TC3_ALGORITHM} Credential=${req.secretId}/${credentialScope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
  return { authorization, signature, date, credentialScope, canonicalRequest, stringToSign };
}

export interface ParsedTc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads an Authorization header; null when it is not a well-formed TC3 header. */
export function parseTc3Authorization(header: string | undefined): ParsedTc3Authorization | null {
  if (!header) return null;
  const m = /^TC3-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
    header.trim(),
  );
  if (!m) return null;
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!.split(';'), signature: m[5]! };
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
