import type { Task } from '../../../../shared/engines';
import type { Engine, RecognizeRequest, RecognizeResult } from '../../engines/engine';
import { ScanError } from '../../errors';
import type { ImageSource } from '../../intake/types';
import { prepareOnDemand as imagingPrepare } from '../../imaging/prepare-on-demand';
import type { Budget, PreparedImage } from '../../imaging/types';
import { WeChatClient, type WeChatClientOptions } from './client';
import { codesToDetections, textToDetections } from './to-detection';

/** WeChat counts the file's bytes; "smaller than 2 M" (seeds 001/002); JPEG or PNG. */
export const WECHAT_BUDGET: Budget = { maxBytes: 2 * 1024 * 1024 - 1, countAs: 'file', formats: ['jpeg', 'png'] };

export type PrepareImage = (source: ImageSource, budget: Budget) => Promise<PreparedImage>;

export interface WeChatEngineOptions extends WeChatClientOptions {
  /** imaging's prepare(source, budget) (default): EXIF orientation baked in, fitted under the budget. */
  prepare?: PrepareImage;
}

export const WECHAT_ENGINE_VERSION = 'wechat-cv/2024 (imgQrcode, printedTextOCR)';

/**
 * WeChat as a recognition engine: 'codes' → cv/img/qrcode, 'text' → cv/ocr/comm. Positions
 * come back in pixels of the image sent and are mapped to the oriented page here.
 */
export class WeChatEngine implements Engine {
  readonly id = 'wechat' as const;
  readonly tasks: readonly Task[] = ['codes', 'text'];
  readonly concurrency: number;
  private readonly client: WeChatClient;
  private readonly prepareImage: PrepareImage;

  constructor(options: WeChatEngineOptions) {
    this.concurrency = options.concurrency ?? 2;
    this.client = new WeChatClient(options);
    this.prepareImage = options.prepare ?? imagingPrepare;
  }

  /** The HTTP client (token cache, stop latch): exposed for diagnostics and tests. */
  get api(): WeChatClient {
    return this.client;
  }

  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (req.task !== 'codes' && req.task !== 'text') {
      throw new ScanError('INVALID_INPUT', `The WeChat engine cannot do the "${req.task}" task (only codes and text).`);
    }
    // Fail fast for a stopped vendor, before spending time on the image.
    if (this.client.caller.stopped) throw this.client.caller.stopped;
    const prepared = await this.prepareImage(req.source, WECHAT_BUDGET);
    const image = { data: prepared.data, format: prepared.format === 'png' ? ('png' as const) : ('jpeg' as const) };
    const res = req.task === 'codes' ? await this.client.imgQrcode(image, req.signal) : await this.client.printedText(image, req.signal);
    // Positions are in the pixels WeChat decoded (img_size); normally exactly what we sent.
    const vendorScale = res.img_size && res.img_size.w > 0 ? res.img_size.w / prepared.width : 1;
    const scale = prepared.scale * vendorScale;
    const detections =
      req.task === 'codes' ? codesToDetections(res as Parameters<typeof codesToDetections>[0], scale) : textToDetections(res as Parameters<typeof textToDetections>[0], scale);
    return {
      detections,
      pageWidth: prepared.pageWidth,
      pageHeight: prepared.pageHeight,
      decodedSha256: prepared.sourceSha256,
      engineVersion: `${WECHAT_ENGINE_VERSION} ${req.task === 'codes' ? 'cv/img/qrcode' : 'cv/ocr/comm'}`,
      bytesSent: prepared.data.length,
      scale: prepared.scale,
    };
  }

  /** A cheap real request (fresh access_token): proves AppID, AppSecret and the IP whitelist. */
  testConnection(signal?: AbortSignal): Promise<void> {
    return this.client.testConnection(signal);
  }

  /** Forget a stop (auth/quota) and the cached token, e.g. after the user fixed the credentials. */
  reset(): void {
    this.client.caller.resetStop();
    this.client.tokens.clear();
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
