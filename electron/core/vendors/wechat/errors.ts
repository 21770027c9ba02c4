import { ScanError } from '../../errors';

export const WECHAT = 'WeChat';

/** errcodes that mean "this access_token is no good": refresh once, then retry the call. */
export const TOKEN_ERRCODES = new Set([40001, 40014, 41001, 42001]);

/** Where the errcode came from, and the clock its reset times are computed on. */
export interface WeChatErrorContext {
  /** The answer of a token endpoint (stable_token): 40001 and 40125 there mean a wrong AppSecret. */
  tokenEndpoint?: boolean;
  /** Wall clock (ms) for quota reset times; default Date.now(). */
  now?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** WeChat counts its daily quotas in China Standard Time (UTC+8): they reset at 00:00 there. */
const CHINA_OFFSET = 8 * 3_600_000;

/** The next 00:00 China Standard Time after `now` (ms since the epoch). */
export function nextChinaMidnight(now: number): number {
  return (Math.floor((now + CHINA_OFFSET) / DAY) + 1) * DAY - CHINA_OFFSET;
}

/** How long until the next clock minute (WeChat's per-minute windows), plus a margin for clock skew. */
export function untilNextMinute(now: number, marginMs = 1000): number {
  return MINUTE - (now % MINUTE) + marginMs;
}

/** "in 5 h 12 min" / "in 3 min" / "in under a minute". */
function inHoursMinutes(ms: number): string {
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes <= 1) return 'in under a minute';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `in ${h > 0 ? `${h} h ` : ''}${h > 0 && m === 0 ? '' : `${m} min`}`.trim();
}

/** "00:00 China time (16:00 UTC, in 5 h 12 min)". */
function resetPhrase(now: number): { text: string; inMs: number } {
  const at = nextChinaMidnight(now);
  const utc = new Date(at).toISOString().slice(11, 16);
  return { text: `00:00 China Standard Time (${utc} UTC, ${inHoursMinutes(at - now)})`, inMs: at - now };
}

/**
 * A WeChat `{errcode, errmsg}` (errcode != 0) as a ScanError whose class tells the runner what
 * to do. `operation` names the API in the message. errmsg is WeChat's own text (never holds a
 * secret: it echoes neither the AppSecret nor the token), kept for support.
 */
export function wechatError(errcode: number, errmsg: string, operation: string, ctx: WeChatErrorContext = {}): ScanError {
  const said = `(${operation}: errcode ${errcode}${errmsg ? `, "${errmsg.slice(0, 200)}"` : ''})`;
  const now = ctx.now ?? Date.now();
  switch (errcode) {
    case -1:
      return new ScanError('VENDOR_SERVER', `WeChat had a system error; will retry ${said}.`);
    case 45009: {
      // The account's daily quota for this API: nothing succeeds before the reset, so the vendor
      // stops for the batch (one notice) and its pages wait; never retried in a loop.
      const reset = resetPhrase(now);
      return new ScanError(
        'VENDOR_QUOTA',
        `WeChat's daily call quota for ${operation} is used up; it resets at ${reset.text}. The pages wait: ` +
          `resume the batch after the reset (or have an administrator clear the quota in the WeChat console) ${said}.`,
        { retryAfterMs: reset.inMs },
      );
    }
    case 45011:
      // The per-minute frequency limit: wait for the next minute, then go on.
      return new ScanError('VENDOR_RATE_LIMIT', `WeChat's per-minute call limit for ${operation} is reached; waiting for the next minute ${said}.`, {
        retryAfterMs: untilNextMinute(now),
      });
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
      return appSecretWrong(said);
    case 40001:
    case 40014:
    case 41001:
    case 42001:
      // At the token endpoint 40001 means the AppSecret (WeChat's own text: "AppSecret 错误，或者
      // access_token 无效"); on an API it means the token was refused even after a refresh.
      if (ctx.tokenEndpoint && (errcode === 40001 || errcode === 40014)) return appSecretWrong(said);
      return new ScanError(
        'VENDOR_AUTH',
        `WeChat refused an access token it had just issued: if the AppSecret was reset in the WeChat console, ` +
          `enter the new one in Settings → Cloud vendors ${said}.`,
      );
    case 48001:
      return new ScanError('VENDOR_AUTH', `This WeChat account may not call this API (only verified accounts can) ${said}.`);
    case 101000:
      return new ScanError('VENDOR_REJECTED', `WeChat could not fetch the image URL ${said}.`);
    case 101002:
      return new ScanError('VENDOR_REJECTED', `WeChat could not read this image ${said}.`);
    case 101003: {
      const reset = resetPhrase(now);
      return new ScanError(
        'VENDOR_QUOTA',
        `The WeChat ${operation} quota is used up (the free quota of printed-text OCR is 100 calls a day, reset at ` +
          `${reset.text}): wait for the reset or buy more calls in the WeChat service marketplace ${said}.`,
        { retryAfterMs: reset.inMs },
      );
    }
    case 40006:
      return new ScanError('VENDOR_REJECTED', `WeChat refused the file size (the limit is under 2 MB) ${said}.`);
    default:
      return new ScanError('VENDOR_REJECTED', `WeChat refused the request ${said}.`);
  }
}

function appSecretWrong(said: string): ScanError {
  return new ScanError(
    'VENDOR_AUTH',
    `WeChat rejected the AppSecret: copy the current AppSecret from the WeChat console into Settings → Cloud vendors ${said}.`,
  );
}
