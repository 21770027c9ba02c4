import { ScanError } from '../../errors';

export const OSS = 'Alibaba Cloud OSS';

/** What ali-oss throws: an Error with the OSS XML <Code>, the HTTP status (-1 network, -2 timeout). */
interface AliOssFailure {
  name?: string;
  code?: string;
  /** OSS's <Endpoint> hint (kept by the client): the bucket is in another region. */
  endpoint?: string;
  status?: number;
  requestId?: string;
  message?: string;
}

/**
 * An ali-oss failure as a ScanError. We write our own messages (ali-oss's carry request
 * details); the OSS error code and request id stay, for support. `ctx` says which bucket and
 * region so the auth messages can point at the right setting.
 */
/** The RAM permissions each operation needs on the bucket (named when OSS denies one). */
const NEEDS: Record<string, string> = {
  PutObject: 'oss:PutObject',
  ProcessImage: 'oss:GetObject, oss:ProcessImm and imm:DetectImageCodes (and an IMM project bound to the bucket)',
  DeleteObject: 'oss:DeleteObject',
  GetBucketInfo: 'oss:GetBucketInfo',
};

export function ossError(err: unknown, operation: string, ctx: { bucket: string; region: string; prefix?: string; via?: string | null }): ScanError {
  if (err instanceof ScanError) return err;
  const e = (err ?? {}) as AliOssFailure;
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.status === 'number' ? e.status : 0;
  const rid = e.requestId ? `, request id ${e.requestId}` : '';
  const said = `(${operation}: ${code || `HTTP ${status}`}${rid})`;
  const name = String(e.name ?? '');

  if (status === -2 || /Timeout/i.test(name) || /Timeout/i.test(code)) {
    return new ScanError('TIMEOUT', `${OSS} did not answer in time ${said}.`);
  }
  const via = ctx.via ? ` (${ctx.via})` : '';
  if (/EPROXYREFUSED/.test(String(e.message ?? ''))) {
    const proxyStatus = /HTTP (\d{3}) to CONNECT/.exec(String(e.message))?.[1];
    return new ScanError(
      'NETWORK',
      `Could not reach ${OSS}: the proxy refused the connection${proxyStatus ? ` (HTTP ${proxyStatus})` : ''}. ` +
        `Check the proxy (Settings → Cloud vendors → Network, or HTTPS_PROXY) ${said}.`,
    );
  }
  if (status === -1 || name === 'RequestError' || name === 'ResponseError') {
    return new ScanError('NETWORK', `Could not reach ${OSS}${via} ${said}. Check the network connection and the endpoint.`);
  }
  switch (code) {
    case 'SecurityTokenExpired':
      return new ScanError('VENDOR_AUTH', `The temporary ${OSS} keys (STS) have expired: get new ones and enter them in Settings → Cloud vendors ${said}.`);
    case 'InvalidSecurityToken':
      return new ScanError('VENDOR_AUTH', `${OSS} refused the security token of the temporary keys: enter the AccessKey ID, secret and token of one STS answer together ${said}.`);
    case 'InvalidAccessKeyId':
      if (/security token/i.test(e.message ?? '')) {
        return new ScanError('VENDOR_AUTH', `${OSS} refused the security token of the temporary keys: enter the AccessKey ID, secret and token of one STS answer together ${said}.`);
      }
      return new ScanError('VENDOR_AUTH', `${OSS} does not know this AccessKey ID: check it in Settings → Cloud vendors ${said}.`);
    case 'SignatureDoesNotMatch':
      return new ScanError(
        'VENDOR_AUTH',
        `${OSS} rejected the request signature: the AccessKey secret is wrong, or the region (${ctx.region}) is not the ` +
          `bucket's region; check both in Settings ${said}.`,
      );
    case 'AccessDenied': {
      const endpoint = typeof e.endpoint === 'string' ? e.endpoint : '';
      if (endpoint) {
        // Sent to another region's endpoint than the bucket's: say so, and which region is right.
        const region = /^oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(endpoint)?.[1];
        return new ScanError(
          'VENDOR_REJECTED',
          `Bucket "${ctx.bucket}" is not in region ${ctx.region}: OSS says to use ${endpoint}` +
            `${region ? `, so set the region to ${region}` : ''} in Settings → Cloud vendors (command line: --region) ${said}.`,
          { errorClass: 'stop-engine' },
        );
      }
      const what = NEEDS[operation];
      const where = ctx.prefix ? `${ctx.bucket}/${ctx.prefix}/*` : ctx.bucket;
      return new ScanError(
        'VENDOR_AUTH',
        what
          ? `${OSS} denied ${operation} on bucket "${ctx.bucket}": the RAM user needs ${what} on ${where} ${said}.`
          : `${OSS} denied access to bucket "${ctx.bucket}": the RAM user needs oss:PutObject, oss:GetObject, ` +
              `oss:DeleteObject, oss:ProcessImm and imm:DetectImageCodes on ${where} (and the bucket needs an IMM project) ${said}.`,
      );
    }
    case 'RequestTimeTooSkewed':
      return new ScanError(
        'VENDOR_AUTH',
        `${OSS} refused the request because this computer's clock is off by more than 15 minutes: check your clock ` +
          `(date, time and time zone; turn on automatic time) ${said}.`,
      );
    case 'NoSuchBucket':
      return new ScanError('VENDOR_REJECTED', `Bucket "${ctx.bucket}" does not exist in region ${ctx.region}: check the bucket and region ${said}.`, {
        errorClass: 'stop-engine',
      });
    case 'NoSuchKey':
      return new ScanError('VENDOR_REJECTED', `The uploaded page disappeared from bucket "${ctx.bucket}" before ${OSS} read it ${said}.`);
    case 'InvalidArgument':
    case 'InvalidRequest':
    case 'InvalidDigest':
    case 'EntityTooLarge':
      return new ScanError('VENDOR_REJECTED', `${OSS} could not process this image ${said}.`);
    case 'SlowDown':
    case 'QpsLimitExceeded':
    case 'Throttling':
      return new ScanError('VENDOR_RATE_LIMIT', `${OSS} asked us to slow down ${said}.`, { retryAfterMs: 1000 });
    case 'UserDisable':
    case 'ArrearsOrNotEnabled':
      return new ScanError('VENDOR_QUOTA', `The Alibaba Cloud account is disabled or in arrears ${said}.`);
    default:
      break;
  }
  if (status === 429) return new ScanError('VENDOR_RATE_LIMIT', `${OSS} asked us to slow down ${said}.`);
  if (status >= 500) return new ScanError('VENDOR_SERVER', `${OSS} had a server error; will retry ${said}.`);
  if (status === 401 || status === 403) return new ScanError('VENDOR_AUTH', `${OSS} refused the credentials ${said}.`);
  if (status >= 400) return new ScanError('VENDOR_REJECTED', `${OSS} rejected the request ${said}.`);
  return new ScanError('INTERNAL', `Unexpected failure talking to ${OSS} ${said}.`);
}
