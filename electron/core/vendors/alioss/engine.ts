import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Task } from '../../../../shared/engines';
import type { Engine, RecognizeRequest, RecognizeResult } from '../../engines/engine';
import { ScanError } from '../../errors';
import { prepareOnDemand as imagingPrepare } from '../../imaging/prepare-on-demand';
import type { ImageSource } from '../../intake/types';
import type { Budget, PreparedImage } from '../../imaging/types';
import { AliOssClient, checkBucketName, standardRegion, type AliOssClientOptions } from './client';
import { codesToDetections, OSS_MAX_CODES } from './to-detection';
import { UploadJournal } from './upload-journal';

/**
 * What OSS image processing accepts (not in the seeds; Alibaba's image-processing limits): a
 * source file up to 20 MB, JPEG or PNG here (what prepare produces that IMM reads).
 */
export const OSS_BUDGET: Budget = { maxBytes: 20 * 1024 * 1024, countAs: 'file', formats: ['jpeg', 'png'] };

export const DEFAULT_UPLOAD_PREFIX = 'scandesk-tmp';

export type PrepareImage = (source: ImageSource, budget: Budget) => Promise<PreparedImage>;

export interface AliOssEngineOptions extends AliOssClientOptions {
  /** Keep uploaded pages in the bucket after recognition (default false: delete them). */
  keepUploads?: boolean;
  /** Key prefix of uploads (default 'scandesk-tmp'): `<prefix>/<yyyy-mm-dd>/<sha256>.<ext>`. */
  prefix?: string;
  /** imaging's prepare (default): orientation baked in, fitted under OSS_BUDGET. */
  prepare?: PrepareImage;
  /** Upload at most this many bytes per page (default and maximum 20 MB): less upload time and traffic. */
  maxUploadBytes?: number;
  /** For the date in upload keys (tests). */
  today?: () => Date;
  /**
   * Where uploads in flight are written down (the profile's `oss-uploads/`), so the next run
   * deletes what a crashed one left in the bucket; none: no journal (tests of the client alone).
   */
  journalDir?: string;
}

/** Per-batch options (plan.options): only keepUploads may change per batch. */
const requestOptions = z.object({ keepUploads: z.boolean().optional() }).strict();

export const ALIOSS_ENGINE_VERSION = 'alioss image/codes (IMM DetectImageCodes, ali-oss 6.23, V4)';

/**
 * Alibaba Cloud OSS as a recognition engine: upload the prepared page to the user's bucket,
 * GET it with x-oss-process=image/codes, delete it (unless kept). Rectangles come back in the
 * uploaded image's pixels and are mapped to the oriented page.
 */
export class AliOssEngine implements Engine {
  readonly id = 'alioss' as const;
  readonly tasks: readonly Task[] = ['codes'];
  readonly concurrency: number;
  readonly client: AliOssClient;
  private readonly options: AliOssEngineOptions;
  private readonly prepareImage: PrepareImage;
  private readonly prefix: string;
  private readonly budget: Budget;
  /** Same page twice at once → same key: the second waits, so a delete never races a read. */
  private readonly keyLocks = new Map<string, Promise<unknown>>();
  private readonly journal: UploadJournal | null;
  /** The sweep of what crashed runs left, once per engine, before its first upload. */
  private swept: Promise<string[]> | null = null;

  constructor(options: AliOssEngineOptions) {
    this.options = options;
    standardRegion(options.region);
    checkBucketName(options.bucket);
    this.concurrency = options.concurrency ?? 2;
    this.client = new AliOssClient(options);
    this.prepareImage = options.prepare ?? imagingPrepare;
    this.budget = { ...OSS_BUDGET, maxBytes: Math.min(OSS_BUDGET.maxBytes, options.maxUploadBytes ?? OSS_BUDGET.maxBytes) };
    this.prefix = (options.prefix ?? DEFAULT_UPLOAD_PREFIX).replace(/^\/+|\/+$/g, '');
    if (!/^[A-Za-z0-9._/-]+$/.test(this.prefix)) throw new ScanError('INVALID_INPUT', `Upload prefix "${this.prefix}" may hold only letters, digits, ".", "_", "-" and "/".`);
    this.journal = options.journalDir ? new UploadJournal(options.journalDir) : null;
  }

  /**
   * Deletes the pages earlier runs uploaded and never deleted (they crashed or were killed in
   * between): answers notices for the ones that could not be deleted (they stay written down
   * and are tried again next time).
   */
  sweepLeftovers(): Promise<string[]> {
    this.swept ??= (async () => {
      const notices: string[] = [];
      for (const { file, keys } of this.journal?.leftovers(this.client.bucket) ?? []) {
        const kept: string[] = [];
        for (const key of keys) {
          try {
            await this.client.delete(key);
          } catch (err) {
            kept.push(key);
            const why = err instanceof ScanError ? err.message : 'unknown error';
            notices.push(`A page an earlier run uploaded is still in oss://${this.client.bucket}/${key} and could not be deleted: ${why} Delete it by hand.`);
          }
        }
        this.journal!.settle(file, this.client.bucket, kept);
      }
      return notices;
    })();
    return this.swept;
  }

  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (req.task !== 'codes') throw new ScanError('INVALID_INPUT', `The Alibaba Cloud OSS engine cannot do the "${req.task}" task (only codes).`);
    const opts = requestOptions.safeParse(req.options ?? {});
    if (!opts.success) throw new ScanError('INVALID_INPUT', `Invalid Alibaba Cloud OSS options: ${opts.error.issues[0]?.message ?? 'invalid'}.`);
    const keep = opts.data.keepUploads ?? this.options.keepUploads ?? false;
    if (this.client.caller.stopped) throw this.client.caller.stopped;

    const prepared = await this.prepareImage(req.source, this.budget);
    const ext = prepared.format === 'png' ? 'png' : 'jpg';
    const contentType = prepared.format === 'png' ? 'image/png' : 'image/jpeg';
    const sha = createHash('sha256').update(prepared.data).digest('hex');
    const day = (this.options.today?.() ?? new Date()).toISOString().slice(0, 10);
    const key = `${this.prefix}/${day}/${sha}.${ext}`;

    const notices: string[] = [...(await this.sweepLeftovers())];
    const bucket = this.client.bucket;
    const res = await this.withKeyLock(key, async () => {
      // Written down before the upload: a crash from here on leaves the key for the next run's sweep.
      this.journal?.begin(bucket, key);
      // Whether the object may be in the bucket: after the PUT, or when the PUT's outcome is not
      // known (cut off, timed out, cancelled half-way); not when OSS answered it with an error.
      let uploaded = true;
      try {
        try {
          await this.client.put(key, prepared.data, contentType, req.signal);
        } catch (err) {
          uploaded = err instanceof ScanError && (err.code === 'CANCELLED' || err.code === 'TIMEOUT' || err.code === 'NETWORK');
          throw err;
        }
        return await this.client.detectCodes(key, req.signal);
      } finally {
        // Delete without the page's signal, which may be the one that cancelled it.
        if (keep || !uploaded) this.journal?.end(bucket, key);
        else {
          try {
            await this.client.delete(key);
            this.journal?.end(bucket, key);
          } catch (err) {
            const why = err instanceof ScanError ? err.message : 'unknown error';
            notices.push(`Could not delete the uploaded page oss://${bucket}/${key}: ${why} ScanDesk tries again at its next run with OSS.`);
          }
        }
      }
    });

    if (keep) notices.push(`Uploaded pages are kept in oss://${this.client.bucket}/${this.prefix}/ (keepUploads is on).`);
    if (res.Codes.length >= OSS_MAX_CODES) {
      notices.push(
        `Alibaba Cloud OSS reports at most ${OSS_MAX_CODES} codes per image and returned ${res.Codes.length} for this page: it may hold more. Use the local engine for pages with many codes.`,
      );
    }
    return {
      detections: codesToDetections(res, prepared.scale),
      pageWidth: prepared.pageWidth,
      pageHeight: prepared.pageHeight,
      decodedSha256: prepared.sourceSha256,
      engineVersion: ALIOSS_ENGINE_VERSION,
      requestId: res.RequestId,
      bytesSent: prepared.data.length,
      scale: prepared.scale,
      ...(notices.length > 0 ? { notices } : {}),
    };
  }

  /** GetBucketInfo: proves AccessKey, secret, region and bucket in one cheap request. */
  testConnection(signal?: AbortSignal): Promise<void> {
    return this.client.testConnection(signal);
  }

  /** Forget an auth/quota stop (e.g. after the user saved new credentials). */
  reset(): void {
    this.client.caller.resetStop();
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private async withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.keyLocks.get(key) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(fn);
    this.keyLocks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.keyLocks.get(key) === run) this.keyLocks.delete(key);
    }
  }
}
