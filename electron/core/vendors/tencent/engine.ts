import type { Detection } from '../../../../shared/detection';
import type { Task } from '../../../../shared/engines';
import type { CredentialProvider } from '../../credentials/types';
import type { Engine, RecognizeRequest, RecognizeResult } from '../../engines/engine';
import { ScanError } from '../../errors';
import { prepareOnDemand as imagingPrepare } from '../../imaging/prepare-on-demand';
import type { Budget, PreparedImage } from '../../imaging/types';
import type { ImageSource } from '../../intake/types';
import { VendorCaller, type Network, type RetryOptions, type VendorEvent } from '../common';
import { DEFAULT_RATES, idCardBudget, qrcodeBudget } from './budgets';
import { TENCENT } from './errors';
import { idCardRequest, idCardResponseToResult } from './idcard';
import { parseTencentOptions, type TencentOptions, type TencentOptionsInput } from './options';
import { productLookupUnavailable, productRecords, toGtin14, wantsProductData } from './product-data';
import { qrcodeResponseToDetections, tencentScale } from './qrcode';
import { TencentSdkTransport, fingerprint, type TencentCallResult, type TencentEndpoint } from './sdk-client';

export type PrepareFn = (source: ImageSource, budget: Budget) => Promise<PreparedImage>;

export interface TencentEngineConfig {
  /** Where SecretId/SecretKey come from (the OS keychain in the app), read at each call. */
  credentials: CredentialProvider;
  /** Fits a page under a byte budget. Default: imaging's `prepare`. */
  prepare?: PrepareFn;
  /** Default: the real service over HTTPS. Tests pass the emulator's. */
  endpoint?: TencentEndpoint;
  /** Per HTTP request (default 30 s). */
  timeoutMs?: number;
  /** Requests in flight at once (default 8): the runner reads `engine.concurrency`. */
  concurrency?: number;
  /** Retries inside the engine for rate-limit/server/network errors (default 4 attempts). */
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Defaults for options a batch plan leaves out (validated like plan options). */
  defaults?: TencentOptionsInput;
  /** Retries and stops, for logs (messages are secret-free). */
  onEvent?: (event: VendorEvent) => void;
  /** Direct, or through the organisation's proxy (default: the system's proxy variables). */
  network?: Network;
}

/** Tencent bills successful recognitions; a FailedOperation answer ("nothing found") is an error it does not bill. */
const notNothingFound = (r: TencentCallResult): boolean => !r.nothingFound;

const ENGINE_VERSION = 'tencent-ocr 2018-11-19 (tencentcloud-sdk-nodejs-ocr)';

/**
 * Tencent Cloud OCR as an Engine: QrcodeOCR for 'codes' (optionally enriched with QueryBarCode
 * product data), IDCardOCR for 'idcard'. Long-lived: options arrive per request from the plan.
 */
export class TencentEngine implements Engine {
  readonly id = 'tencent' as const;
  readonly tasks: readonly Task[] = ['codes', 'idcard'];
  readonly concurrency: number;

  private readonly transport: TencentSdkTransport;
  private readonly prepare: PrepareFn;
  private readonly caller: VendorCaller;
  private readonly defaults: TencentOptions;
  private readonly parsed = new Map<string, TencentOptions>();
  /** Which credentials were in use when the engine stopped (a hash). */
  private stopPrint: string | null = null;
  /** Set when QueryBarCode answered "offline/unknown": skip it until this time. */
  private productDataOffUntil = 0;
  private productDataNotice: string | null = null;

  constructor(private readonly config: TencentEngineConfig) {
    this.defaults = parseTencentOptions(config.defaults ?? {});
    this.prepare = config.prepare ?? imagingPrepare;
    this.concurrency = config.concurrency ?? this.defaults.concurrency;
    this.transport = new TencentSdkTransport(config.credentials, config.endpoint, config.timeoutMs ?? 30_000, config.network);
    this.caller = new VendorCaller({
      vendor: TENCENT,
      rateLimits: { ...DEFAULT_RATES, ...this.defaults.rateLimits },
      defaultRatePerSecond: 5,
      concurrency: this.concurrency,
      retry: { maxAttempts: 4, ...config.retry },
      secrets: () => this.transport.secrets(),
      onEvent: config.onEvent,
      metering: {
        vendor: 'tencent',
        account: () => this.transport.lastSecretId(),
        operations: { QrcodeOCR: { billedAs: ['QrcodeOCR'] }, IDCardOCR: { billedAs: ['IDCardOCR'] }, QueryBarCode: { billedAs: ['QueryBarCode'] } },
      },
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  /** Validates (and caches) plan options; INVALID_INPUT names the bad field. */
  options(raw: Record<string, unknown> | undefined): TencentOptions {
    if (!raw || Object.keys(raw).length === 0) return this.defaults;
    const key = JSON.stringify(raw);
    let o = this.parsed.get(key);
    if (!o) {
      o = parseTencentOptions({ ...this.config.defaults, ...raw });
      this.parsed.set(key, o);
    }
    return o;
  }

  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    const options = this.options(req.options);
    for (const [op, rate] of Object.entries({ ...DEFAULT_RATES, ...options.rateLimits })) this.caller.setRate(op, rate);
    await this.forgetStopIfCredentialsChanged();
    if (req.task === 'codes') return this.codes(req, options);
    if (req.task === 'idcard') return this.idCard(req, options);
    throw new ScanError('INVALID_INPUT', `${TENCENT} cannot do the "${req.task}" task.`);
  }

  private async codes(req: RecognizeRequest, options: TencentOptions): Promise<RecognizeResult> {
    const [prepared] = await Promise.all([this.prepare(req.source, qrcodeBudget(options)), this.transport.load()]);
    const b64 = prepared.data.toString('base64');
    const { response, requestId } = await this.caller.call(
      'QrcodeOCR',
      () => this.transport.call('QrcodeOCR', { ImageBase64: b64 }, { region: options.region, signal: req.signal }),
      { signal: req.signal, bytesSent: b64.length, billed: notNothingFound },
    );
    // Corners are in the pixels of the image Tencent measured (ImgSize), normally the one sent.
    const mapped = tencentScale(response, prepared);
    const detections = qrcodeResponseToDetections(response, mapped.scale);
    const notices: string[] = mapped.mismatch ? [mapped.mismatch] : [];
    if (options.enrichWithProductData) await this.enrich(detections, options, req.signal, notices);
    return this.result(prepared, detections, requestId, b64.length, notices);
  }

  private async idCard(req: RecognizeRequest, options: TencentOptions): Promise<RecognizeResult> {
    const [prepared] = await Promise.all([this.prepare(req.source, idCardBudget(options)), this.transport.load()]);
    const b64 = prepared.data.toString('base64');
    const { response, requestId } = await this.caller.call(
      'IDCardOCR',
      () => this.transport.call('IDCardOCR', idCardRequest(b64, options), { region: options.idCardRegion ?? options.region, signal: req.signal }),
      { signal: req.signal, bytesSent: b64.length, billed: notNothingFound },
    );
    const { detections, images } = idCardResponseToResult(response);
    return { ...this.result(prepared, detections, requestId, b64.length, []), ...(images.length > 0 ? { images } : {}) };
  }

  /**
   * QueryBarCode per EAN/UPC code. Optional: any failure leaves the code as decoded. When the
   * service says the action is offline or unknown (Tencent withdrew it in 2023), stop asking
   * and tell the user once per batch (the runner de-duplicates notices).
   */
  private async enrich(detections: Detection[], options: TencentOptions, signal: AbortSignal | undefined, notices: string[]): Promise<void> {
    for (const d of detections) {
      if (!wantsProductData(d)) continue;
      if (Date.now() < this.productDataOffUntil) {
        if (this.productDataNotice) notices.push(this.productDataNotice);
        return;
      }
      try {
        const { response } = await this.caller.call(
          'QueryBarCode',
          () => this.transport.call('QueryBarCode', { BarCode: toGtin14(d.text) }, { region: options.region, signal }),
          { signal, stopsEngine: false, billed: notNothingFound },
        );
        const records = productRecords(response);
        d.extra = { ...d.extra, product: records[0] ?? null, productRecords: records.length };
      } catch (err) {
        if (err instanceof ScanError && err.code === 'CANCELLED') throw err;
        const e = this.caller.clean(err);
        if (productLookupUnavailable(e)) {
          // Pages in flight together can all learn it at once: the first one words the notice
          // (its request id included) and the others repeat it, so the runner says it once.
          if (!this.productDataNotice || Date.now() >= this.productDataOffUntil) {
            this.productDataOffUntil = Date.now() + 10 * 60_000;
            this.productDataNotice = `VENDOR_UNAVAILABLE: product data lookup is unavailable, codes are kept without it. ${e.message}`;
          }
          notices.push(this.productDataNotice);
          return;
        }
        d.extra = { ...d.extra, productError: e.code };
      }
    }
  }

  private result(
    prepared: PreparedImage,
    detections: Detection[],
    requestId: string | undefined,
    bytesSent: number,
    notices: string[],
  ): RecognizeResult {
    return {
      detections,
      pageWidth: prepared.pageWidth,
      pageHeight: prepared.pageHeight,
      decodedSha256: prepared.sourceSha256,
      engineVersion: ENGINE_VERSION,
      ...(requestId ? { requestId } : {}),
      bytesSent,
      scale: prepared.scale,
      ...(notices.length ? { notices: [...new Set(notices)] } : {}),
    };
  }

  /** A stop caused by bad credentials should not outlive them: once they change, try again. */
  private async forgetStopIfCredentialsChanged(): Promise<void> {
    if (!this.caller.stopped) {
      this.stopPrint = null;
      return;
    }
    this.stopPrint ??= this.transport.credentialPrint() ?? 'none';
    const creds = await this.config.credentials.get('tencent');
    const now = creds ? fingerprint(creds.secretId, creds.secretKey) : 'none';
    if (now !== this.stopPrint) {
      this.caller.resetStop();
      this.stopPrint = null;
    }
  }
}
