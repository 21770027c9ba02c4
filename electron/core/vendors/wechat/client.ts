import { ScanError } from '../../errors';
import type { CredentialProvider } from '../../credentials/types';
import { createNetwork, deadline, httpStatusError, nodeRequest, transportError, VendorCaller, type Network, type RetryOptions, type VendorEvent } from '../common';
import { AccessTokenCache } from './token';
import { TOKEN_ERRCODES, WECHAT, wechatError } from './errors';
import { wxBase, wxOcr, wxQrcode, wxToken, type WxOcrResponse, type WxQrcodeResponse } from './wire';
import type { z } from 'zod';

export const WECHAT_BASE_URL = 'https://api.weixin.qq.com';

export type WeChatOperation = 'qrcode' | 'ocr';

export interface WeChatClientOptions {
  credentials: CredentialProvider;
  /** Default https://api.weixin.qq.com (tests point it at the emulator). */
  baseUrl?: string;
  /** Per HTTP request. Default 30 s. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Requests per second per operation. WeChat publishes no per-second figure; default 5. */
  rateLimits?: Partial<Record<WeChatOperation, number>>;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  onEvent?: (event: VendorEvent) => void;
  /** Wall clock for token expiry and quota resets (tests move it). */
  now?: () => number;
  /** How requests reach WeChat (direct, or the organisation's proxy). Default: the system's proxy variables. */
  network?: Network;
}

export interface WeChatImage {
  data: Buffer;
  format: 'jpeg' | 'png';
}

const OPERATION_NAME: Record<WeChatOperation, string> = { qrcode: 'imgQrcode', ocr: 'printedTextOCR' };
const OPERATION_PATH: Record<WeChatOperation, string> = { qrcode: '/cv/img/qrcode', ocr: '/cv/ocr/comm' };

/**
 * The WeChat server API for images: access_token management and the two cv/* operations.
 * Credentials are read from the keychain when a token is needed, never kept beyond that; no
 * message leaving this client holds the AppSecret or a token (VendorCaller scrubs them).
 */
export class WeChatClient {
  readonly caller: VendorCaller;
  readonly tokens: AccessTokenCache;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly credentials: CredentialProvider;
  private lastSecret: string | null = null;
  private lastAppId: string | null = null;
  private readonly now: () => number;
  readonly network: Network;

  constructor(options: WeChatClientOptions) {
    this.credentials = options.credentials;
    this.baseUrl = (options.baseUrl ?? WECHAT_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.network = options.network ?? createNetwork('system');
    this.caller = new VendorCaller({
      vendor: WECHAT,
      rateLimits: { qrcode: options.rateLimits?.qrcode ?? 5, ocr: options.rateLimits?.ocr ?? 5 },
      defaultRatePerSecond: 5,
      concurrency: options.concurrency ?? 2,
      retry: options.retry,
      secrets: () => [this.lastSecret, this.tokens.peek()],
      onEvent: options.onEvent,
      metering: {
        vendor: 'wechat',
        account: () => this.lastAppId,
        // printedTextOCR's free quota is 100 calls a day; imgQrcode is billed per call too.
        // Each HTTP request is counted where it is made (postImage, fetchToken): one attempt of
        // an image call may fetch a token first, or send the image twice after a token refresh.
        operations: { imgQrcode: { billedAs: ['imgQrcode'] }, printedTextOCR: { billedAs: ['printedTextOCR'] }, fetchToken: { name: 'token' } },
      },
    });
    this.tokens = new AccessTokenCache((force) => this.fetchToken(force), { now: options.now });
  }

  /** cv/img/qrcode: codes in the image (seed 001). */
  imgQrcode(image: WeChatImage, signal?: AbortSignal): Promise<WxQrcodeResponse> {
    return this.cv('qrcode', image, wxQrcode, signal);
  }

  /** cv/ocr/comm: printed text lines (seed 002; 100 free calls a day). */
  printedText(image: WeChatImage, signal?: AbortSignal): Promise<WxOcrResponse> {
    return this.cv('ocr', image, wxOcr, signal);
  }

  /**
   * "Test the connection": asks for the stable token in normal mode (the cheapest real request
   * that proves the AppID, AppSecret and IP whitelist, and it replaces nobody's token). Throws
   * the same ScanErrors a batch would see.
   */
  async testConnection(signal?: AbortSignal): Promise<void> {
    this.tokens.clear();
    await this.caller.call('token', () => this.tokens.get(), { signal, stopsEngine: false });
  }

  private async cv<S extends z.ZodType<z.infer<typeof wxBase>>>(
    op: WeChatOperation,
    image: WeChatImage,
    schema: S,
    signal?: AbortSignal,
  ): Promise<z.infer<S>> {
    const name = OPERATION_NAME[op];
    return this.caller.call(
      op,
      async () => {
        let token = await this.tokens.get();
        let body = await this.postImage(op, token, image, signal);
        if (body.errcode && TOKEN_ERRCODES.has(body.errcode)) {
          // Expired or forced out: a replacement (shared with concurrent callers; a forced
          // refresh only if WeChat hands back the refused token), then the call once more.
          token = await this.tokens.replace(token);
          body = await this.postImage(op, token, image, signal);
        }
        if (body.errcode && TOKEN_ERRCODES.has(body.errcode)) {
          // A token issued a moment ago is already refused: worth a later retry, not a stop
          // (a wrong AppSecret fails at the token endpoint itself: 40125 / 40001 there).
          const e = wechatError(body.errcode, body.errmsg ?? '', name, { now: this.now() });
          throw new ScanError('VENDOR_AUTH', e.message, { errorClass: 'retry', retryAfterMs: 1000 });
        }
        if (body.errcode) throw wechatError(body.errcode, body.errmsg ?? '', name, { now: this.now() });
        const parsed = schema.safeParse(body);
        if (!parsed.success) throw malformed(name);
        return parsed.data;
      },
      { signal },
    );
  }

  private async postImage(op: WeChatOperation, token: string, image: WeChatImage, signal?: AbortSignal): Promise<z.infer<typeof wxBase> & Record<string, unknown>> {
    const form = new FormData();
    const type = image.format === 'png' ? 'image/png' : 'image/jpeg';
    form.append('img', new Blob([image.data], { type }), `page.${image.format === 'png' ? 'png' : 'jpg'}`);
    // The platform encodes the multipart body (boundary and all); Node's client sends it.
    const encoded = new Request('http://multipart.invalid/', { method: 'POST', body: form });
    const multipart = Buffer.from(await encoded.arrayBuffer());
    const url = `${this.baseUrl}${OPERATION_PATH[op]}?access_token=${encodeURIComponent(token)}`;
    const name = OPERATION_NAME[op];
    let body: Awaited<ReturnType<WeChatClient['request']>>;
    try {
      body = await this.request(url, { method: 'POST', headers: { 'content-type': encoded.headers.get('content-type')! }, body: multipart }, name, signal);
    } catch (err) {
      this.caller.meterCall(name, { ok: false, code: err instanceof ScanError ? err.code : 'NETWORK' }, image.data.length);
      throw err;
    }
    this.caller.meterCall(name, body.errcode ? { ok: false, code: wechatError(body.errcode, '', name, { now: this.now() }).code } : { ok: true }, image.data.length);
    return body;
  }

  /**
   * POST /cgi-bin/stable_token (getStableAccessToken). Normal mode answers the token every
   * holder of this AppID shares; unlike /cgi-bin/token it never replaces the token the
   * company's own backend uses. `forceRefresh` invalidates the current stable token for all
   * holders: AccessTokenCache asks for it only when a refused token comes back unchanged.
   */
  private async fetchToken(forceRefresh: boolean): Promise<{ token: string; expiresInSeconds: number }> {
    const creds = await this.credentials.get('wechat');
    if (!creds) {
      throw new ScanError('VENDOR_AUTH', 'WeChat is not set up: enter the AppID and AppSecret in Settings → Cloud vendors.');
    }
    this.lastSecret = creds.appSecret;
    this.lastAppId = creds.appId;
    // The secret travels in the JSON body (not in the URL, where proxies and logs keep it).
    const payload = JSON.stringify({ grant_type: 'client_credential', appid: creds.appId, secret: creds.appSecret, force_refresh: forceRefresh });
    let body: Awaited<ReturnType<WeChatClient['request']>>;
    try {
      body = await this.request(
        `${this.baseUrl}/cgi-bin/stable_token`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(payload) },
        'token',
      );
    } catch (err) {
      this.caller.meterCall('fetchToken', { ok: false, code: err instanceof ScanError ? err.code : 'NETWORK' });
      throw err;
    }
    const ctx = { tokenEndpoint: true, now: this.now() };
    // Token fetches are free but limited per day: counted here, whoever asked for the token.
    this.caller.meterCall('fetchToken', body.errcode ? { ok: false, code: wechatError(body.errcode, '', 'token', ctx).code } : { ok: true });
    if (body.errcode) throw wechatError(body.errcode, body.errmsg ?? '', 'token', ctx);
    const parsed = wxToken.safeParse(body);
    if (!parsed.success) throw malformed('token');
    return { token: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
  }

  /** Closes the pooled connections (a proxy's tunnels). */
  close(): void {
    this.network.close();
  }

  /** One HTTP exchange → the JSON body. Transport failures carry no cause (URLs hold secrets). */
  private async request(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: Buffer },
    name: string,
    signal?: AbortSignal,
  ): Promise<z.infer<typeof wxBase> & Record<string, unknown>> {
    const dl = deadline(this.timeoutMs, signal);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await nodeRequest(url, { ...init, agent: this.network.agentFor(url), signal: dl.signal });
      status = res.status;
      const ra = res.headers['retry-after'];
      retryAfter = typeof ra === 'string' ? ra : null;
      text = res.text;
    } catch (err) {
      const via = this.network.describe(url);
      throw withoutCause(transportError(`WeChat (${name}${via ? `, ${via}` : ''})`, err, dl));
    } finally {
      dl.dispose();
    }
    if (status < 200 || status >= 300) throw httpStatusError(`WeChat (${name})`, status, retryAfter);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ScanError('VENDOR_SERVER', `WeChat (${name}) answered something that is not JSON; will retry.`);
    }
    const base = wxBase.safeParse(json);
    if (!base.success || typeof json !== 'object' || json === null) throw malformed(name);
    return json as z.infer<typeof wxBase> & Record<string, unknown>;
  }
}

function malformed(name: string): ScanError {
  return new ScanError('VENDOR_SERVER', `WeChat (${name}) answered in an unexpected shape.`, { errorClass: 'final' });
}

function withoutCause(err: ScanError): ScanError {
  return new ScanError(err.code, err.message, { errorClass: err.errorClass, retryAfterMs: err.retryAfterMs });
}
