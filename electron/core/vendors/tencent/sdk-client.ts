import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import { ScanError } from '../../errors';
import type { CredentialProvider } from '../../credentials/types';
import { assertNotExpired, createNetwork, deadline, transportError, httpStatusError, type Network } from '../common';
import { NOTHING_FOUND, TENCENT, tencentError } from './errors';
import type * as OcrSdkModule from 'tencentcloud-sdk-nodejs-ocr';

type OcrSdk = typeof OcrSdkModule;
/**
 * The SDK loads on the first Tencent call, not with every command (it costs ~0.1 CPU-s). It is
 * CommonJS marked `__esModule`: Node's import() (the built app and CLI) puts it under `default`,
 * tsx's (the CLI run from sources) does not, so take whichever holds `ocr`.
 */
let loading: Promise<OcrSdk['ocr']['v20181119']['Client']> | null = null;
const ocrClient = () => {
  if (!loading) {
    loading = import('tencentcloud-sdk-nodejs-ocr').then((m) => {
      const loaded = m as OcrSdk & { default?: OcrSdk };
      return (loaded.default ?? loaded).ocr.v20181119.Client;
    });
    // A failed load is tried again by the next call.
    loading.catch(() => (loading = null));
  }
  return loading;
};
export const TENCENT_OCR_HOST = 'ocr.tencentcloudapi.com';

/** Where requests go. Default: the real service over HTTPS. Tests point it at the emulator. */
export interface TencentEndpoint {
  /** Host (and optional :port) the SDK signs and sends as Host. Default ocr.tencentcloudapi.com. */
  endpoint?: string;
  protocol?: 'https://' | 'http://';
  /** Connect to this address whatever DNS says (the emulator: 127.0.0.1). */
  resolveTo?: string;
}

export interface TencentCallResult {
  response: Record<string, unknown>;
  requestId?: string;
  /** Set when the service answered "looked, found nothing" (e.g. FailedOperation.ImageNoText). */
  nothingFound?: string;
}

interface SdkException {
  code?: string;
  httpCode?: number;
  requestId?: string;
  message?: string;
}

/**
 * One signed API 3.0 call through the official SDK (which signs TC3-HMAC-SHA256 itself), with
 * credentials read from the keychain at call time, a deadline, and every failure turned into a
 * ScanError: the SDK's Response.Error into the documented mapping, transport failures into
 * NETWORK/TIMEOUT/CANCELLED, other HTTP statuses into VENDOR_SERVER and friends.
 */
export class TencentSdkTransport {
  private readonly agent: Agent;
  private readonly endpoint: string;
  private readonly protocol: string;
  /** Last secrets read, so the caller can scrub them from any message. */
  private lastSecrets: string[] = [];

  /** "Tencent Cloud OCR" or "Tencent Cloud OCR (through the proxy host:port)", for network errors. */
  private readonly label: string;

  constructor(
    private readonly credentials: CredentialProvider,
    endpoint: TencentEndpoint = {},
    private readonly timeoutMs = 30_000,
    /** Direct or through the organisation's proxy (default: the system's proxy variables). */
    private readonly network: Network = createNetwork('system'),
  ) {
    this.endpoint = endpoint.endpoint ?? TENCENT_OCR_HOST;
    this.protocol = endpoint.protocol ?? 'https://';
    // Always our own agent (the SDK would otherwise pick up http_proxy by accident and bypass
    // it for a pinned endpoint): direct, pinned, or a proxy tunnel to the pinned address.
    const url = `${this.protocol}${this.endpoint}`;
    this.agent = network.agentFor(url, { pinTo: endpoint.resolveTo });
    const via = network.describe(url);
    this.label = via ? `${TENCENT} (${via})` : TENCENT;
  }

  /**
   * Loads the SDK, so that the first call does not load it after its rate slot came (that
   * slot would go by unused; on a shared queue, every worker's).
   */
  async load(): Promise<void> {
    await ocrClient();
  }

  secrets(): string[] {
    return this.lastSecrets;
  }

  /** Closes pooled connections (a pinned endpoint's, a proxy's tunnels). */
  close(): void {
    this.network.close();
  }

  /** The SecretId of the last call (for the usage store, which keeps only a fingerprint and a mask). */
  lastSecretId(): string | null {
    return this.lastSecrets[1] ?? null;
  }

  /** Identifies the credentials of the last call (a hash: never the secrets themselves). */
  credentialPrint(): string | null {
    return this.lastSecrets.length ? fingerprint(this.lastSecrets[1]!, this.lastSecrets[0]!) : null;
  }

  async call(
    action: string,
    params: Record<string, unknown>,
    opts: { region?: string; signal?: AbortSignal } = {},
  ): Promise<TencentCallResult> {
    const creds = await this.credentials.get('tencent');
    if (!creds || !creds.secretId || !creds.secretKey) {
      throw new ScanError('VENDOR_AUTH', `${TENCENT}: no credentials configured. Add the SecretId and SecretKey in Settings.`);
    }
    this.lastSecrets = [creds.secretKey, creds.secretId, ...(creds.token ? [creds.token] : [])];
    // Temporary keys (STS) stop the vendor at their expiry, before a request is signed.
    assertNotExpired({ id: 'tencent', name: TENCENT }, creds.expiresAt);
    const OcrClient = await ocrClient();
    const client = new OcrClient({
      // A session token goes out as X-TC-Token (the SDK adds it when set).
      credential: { secretId: creds.secretId, secretKey: creds.secretKey, ...(creds.token ? { token: creds.token } : {}) },
      region: opts.region ?? '',
      profile: {
        httpProfile: {
          endpoint: this.endpoint,
          protocol: this.protocol,
          // Our deadline below governs; the SDK's own timeout is a backstop.
          reqTimeout: Math.ceil(this.timeoutMs / 1000) + 5,
          agent: this.agent,
        } as never,
      },
    });
    const dl = deadline(this.timeoutMs, opts.signal);
    try {
      // request() rather than the generated method: only it forwards an AbortSignal, and
      // QueryBarCode is no longer in the SDK's generated list.
      const response = (await client.request(action, params, { signal: dl.signal })) as Record<string, unknown>;
      const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
      return { response, requestId };
    } catch (err) {
      const code = (err as SdkException | null)?.code;
      if (typeof code === 'string' && NOTHING_FOUND.has(code)) {
        return { response: {}, requestId: (err as SdkException).requestId || undefined, nothingFound: code };
      }
      throw this.mapFailure(action, err, dl);
    } finally {
      dl.dispose();
    }
  }

  private mapFailure(action: string, err: unknown, dl: ReturnType<typeof deadline>): ScanError {
    if (err instanceof ScanError) return err;
    const e = (err ?? {}) as SdkException;
    if (typeof e.code === 'string' && e.code) return tencentError(action, e.code, e.requestId || undefined);
    if (typeof e.httpCode === 'number') return httpStatusError(this.label, e.httpCode);
    // The SDK wraps transport failures in its own exception, keeping only node-fetch's message
    // ("request to ... failed, reason: connect ECONNREFUSED ..."): recover the system code from it.
    const sys = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(e.message ?? '')?.[1];
    return transportError(this.label, sys ? Object.assign(new Error(e.message), { code: sys }) : err, dl);
  }
}

export function fingerprint(secretId: string, secretKey: string): string {
  return createHash('sha256').update(`${secretId}\0${secretKey}`).digest('hex');
}
