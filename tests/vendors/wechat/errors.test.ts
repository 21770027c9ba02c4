import { describe, expect, it } from 'vitest';
import { wechatError } from '../../../electron/core/vendors/wechat/errors';
import { ossError } from '../../../electron/core/vendors/alioss/errors';

/** The whole documented error table, code by code: what the runner is told to do. */
describe('WeChat errcodes → ScanError', () => {
  const table: Array<[number, string, string, RegExp]> = [
    [-1, 'VENDOR_SERVER', 'retry', /system error/],
    [45009, 'VENDOR_QUOTA', 'stop-engine', /daily call quota for imgQrcode is used up; it resets at 00:00 China Standard Time/],
    [45011, 'VENDOR_RATE_LIMIT', 'retry', /per-minute call limit.*waiting for the next minute/],
    [40164, 'VENDOR_AUTH', 'stop-engine', /IP address \(203\.0\.113\.7\).*whitelist/],
    [40013, 'VENDOR_AUTH', 'stop-engine', /AppID/],
    [40125, 'VENDOR_AUTH', 'stop-engine', /AppSecret/],
    [40001, 'VENDOR_AUTH', 'stop-engine', /refused an access token/],
    [42001, 'VENDOR_AUTH', 'stop-engine', /refused an access token/],
    [48001, 'VENDOR_AUTH', 'stop-engine', /verified/],
    [101000, 'VENDOR_REJECTED', 'final', /image URL/],
    [101002, 'VENDOR_REJECTED', 'final', /could not read this image/],
    [101003, 'VENDOR_QUOTA', 'stop-engine', /quota is used up/],
    [40006, 'VENDOR_REJECTED', 'final', /2 MB/],
    [99999, 'VENDOR_REJECTED', 'final', /refused the request/],
  ];
  it.each(table)('errcode %i → %s (%s)', (errcode, code, cls, message) => {
    const err = wechatError(errcode, errcode === 40164 ? 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist' : 'x', 'imgQrcode');
    expect(err.code).toBe(code);
    expect(err.errorClass).toBe(cls);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`errcode ${errcode}`);
  });

  it('at the token endpoint 40001 and 40125 both mean a wrong AppSecret (never "another program")', () => {
    for (const errcode of [40001, 40125]) {
      const err = wechatError(errcode, 'invalid credential', 'token', { tokenEndpoint: true });
      expect(err).toMatchObject({ code: 'VENDOR_AUTH', errorClass: 'stop-engine' });
      expect(err.message).toMatch(/rejected the AppSecret/);
      expect(err.message).not.toMatch(/another program/);
    }
  });

  it('45009 says when the daily quota resets (00:00 China time), and how long until then; 45011 waits for the next minute', () => {
    // 2026-12-06 15:50 UTC = 23:50 in China: the reset is 10 minutes away.
    const now = Date.UTC(2026, 11, 6, 15, 50, 0);
    const daily = wechatError(45009, 'reach max api daily quota limit', 'imgQrcode', { now });
    expect(daily.message).toMatch(/resets at 00:00 China Standard Time \(16:00 UTC, in 10 min\)/);
    expect(daily.retryAfterMs).toBe(10 * 60_000);
    // Just after the reset the next one is a full day away.
    const later = wechatError(45009, '', 'imgQrcode', { now: Date.UTC(2026, 11, 6, 16, 1, 30) });
    expect(later.message).toMatch(/in 23 h 59 min/);
    const minute = wechatError(45011, '', 'imgQrcode', { now: Date.UTC(2026, 11, 6, 15, 50, 45) });
    expect(minute.retryAfterMs).toBe(15_000 + 1000);
  });
});

describe('OSS errors (as ali-oss throws them) → ScanError', () => {
  const ctx = { bucket: 'scandesk-test', region: 'cn-hangzhou' };
  const table: Array<[Record<string, unknown>, string, string, RegExp]> = [
    [{ code: 'AccessDenied', status: 403 }, 'VENDOR_AUTH', 'stop-engine', /denied PutObject on bucket "scandesk-test": the RAM user needs oss:PutObject on scandesk-test/],
    [{ code: 'AccessDenied', status: 403, endpoint: 'oss-cn-shanghai.aliyuncs.com' }, 'VENDOR_REJECTED', 'stop-engine', /not in region cn-hangzhou.*oss-cn-shanghai\.aliyuncs\.com, so set the region to cn-shanghai/],
    [{ code: 'SecurityTokenExpired', status: 403 }, 'VENDOR_AUTH', 'stop-engine', /temporary .* keys \(STS\) have expired/],
    [{ code: 'InvalidAccessKeyId', status: 403 }, 'VENDOR_AUTH', 'stop-engine', /AccessKey ID/],
    [{ code: 'SignatureDoesNotMatch', status: 403 }, 'VENDOR_AUTH', 'stop-engine', /secret is wrong/],
    [{ code: 'RequestTimeTooSkewed', status: 403 }, 'VENDOR_AUTH', 'stop-engine', /check your clock/],
    [{ code: 'NoSuchBucket', status: 404 }, 'VENDOR_REJECTED', 'stop-engine', /does not exist/],
    [{ code: 'NoSuchKey', status: 404 }, 'VENDOR_REJECTED', 'final', /disappeared/],
    [{ code: 'InvalidArgument', status: 400 }, 'VENDOR_REJECTED', 'final', /could not process/],
    [{ code: 'SlowDown', status: 503 }, 'VENDOR_RATE_LIMIT', 'retry', /slow down/],
    [{ code: 'InternalError', status: 500 }, 'VENDOR_SERVER', 'retry', /server error/],
    [{ status: 502, name: 'UnknownError' }, 'VENDOR_SERVER', 'retry', /server error/],
    [{ status: -1, name: 'RequestError', code: 'RequestError' }, 'NETWORK', 'retry', /Could not reach/],
    [{ status: -2, name: 'ResponseTimeoutError', code: 'ResponseTimeoutError' }, 'TIMEOUT', 'retry', /in time/],
  ];
  it.each(table)('%j → %s (%s)', (raw, code, cls, message) => {
    const e = Object.assign(new Error('raw ali-oss message'), raw);
    const err = ossError(e, 'PutObject', ctx);
    expect(err.code).toBe(code);
    expect(err.errorClass).toBe(cls);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('raw ali-oss message');
  });
});
