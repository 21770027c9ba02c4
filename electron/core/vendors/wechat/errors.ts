import { ScanError } from '../../errors';

export const WECHAT = 'WeChat';

/** errcodes that mean "this access_token is no good": refresh once, then retry the call. */
export const TOKEN_ERRCODES = new Set([40001, 40014, 41001, 42001]);

/**
 * A WeChat `{errcode, errmsg}` (errcode != 0) as a ScanError whose class tells the runner what
 * to do. `operation` names the API in the message. errmsg is WeChat's own text (never holds a
 * secret: it echoes neither the AppSecret nor the token), kept for support.
 */
export function wechatError(errcode: number, errmsg: string, operation: string): ScanError {
  const said = `(${operation}: errcode ${errcode}${errmsg ? `, "${errmsg.slice(0, 200)}"` : ''})`;
  switch (errcode) {
    case -1:
      return new ScanError('VENDOR_SERVER', `WeChat had a system error; will retry ${said}.`);
    case 45009:
    case 45011:
      return new ScanError('VENDOR_RATE_LIMIT', `WeChat says the call limit is reached; slowing down ${said}.`, { retryAfterMs: 1000 });
    case 40164: {
      const ip = /invalid ip ([0-9a-f.:]+)/i.exec(errmsg)?.[1];
      return new ScanError(
        'VENDOR_AUTH',
        `WeChat refused this computer's IP address${ip ? ` (${ip})` : ''}: add it to the IP whitelist of the ` +
          `WeChat account (mp.weixin.qq.com → Settings and Development → Basic configuration), then resume ${said}.`,
      );
    }
    case 40013:
      return new ScanError('VENDOR_AUTH', `WeChat does not know this AppID: check the AppID in Settings → Cloud vendors ${said}.`);
    case 40125:
      return new ScanError('VENDOR_AUTH', `WeChat rejected the AppSecret: copy the current AppSecret from the WeChat console into Settings → Cloud vendors ${said}.`);
    case 40001:
    case 40014:
    case 41001:
    case 42001:
      return new ScanError(
        'VENDOR_AUTH',
        `WeChat keeps rejecting freshly issued access tokens: another program may be fetching tokens for the same AppID ` +
          `(each fetch replaces the previous token), or the AppSecret was reset; check Settings → Cloud vendors ${said}.`,
      );
    case 48001:
      return new ScanError('VENDOR_AUTH', `This WeChat account may not call this API (only verified accounts can) ${said}.`);
    case 101000:
      return new ScanError('VENDOR_REJECTED', `WeChat could not fetch the image URL ${said}.`);
    case 101002:
      return new ScanError('VENDOR_REJECTED', `WeChat could not read this image ${said}.`);
    case 101003:
      return new ScanError(
        'VENDOR_QUOTA',
        `The WeChat ${operation} quota is used up (the free quota of printed-text OCR is 100 calls a day): ` +
          `wait until tomorrow or buy more calls in the WeChat service marketplace ${said}.`,
      );
    case 40006:
      return new ScanError('VENDOR_REJECTED', `WeChat refused the file size (the limit is under 2 MB) ${said}.`);
    default:
      return new ScanError('VENDOR_REJECTED', `WeChat refused the request ${said}.`);
  }
}
