import { ZXING_CPP_COMMIT, ZXING_WASM_VERSION } from 'zxing-wasm/reader';
import type { Task } from '../../../../shared/engines';
import { ScanError } from '../../errors';
import type { Engine, RecognizeRequest, RecognizeResult } from '../engine';
import { DecodePool, type PoolOptions } from './pool';
import type { RegionBox } from './region';
import type { ImageSource } from '../../intake/types';
import type { Detection } from '../../../../shared/detection';

export type LocalEngineOptions = PoolOptions;

/** zbar-wasm does not export its version; keep in step with package.json. */
const ZBAR_WASM_VERSION = '0.11.0';

/**
 * The embedded, offline decoder: ZXing-C++ (zxing-wasm) with ZBar as a second opinion for
 * retail codes, in a pool of worker threads sized to the machine. Nothing leaves the computer.
 */
export class LocalEngine implements Engine {
  readonly id = 'local' as const;
  readonly tasks: readonly Task[] = ['codes'];
  readonly concurrency: number;
  readonly engineVersion = `zxing-wasm ${ZXING_WASM_VERSION} (zxing-cpp ${ZXING_CPP_COMMIT.slice(0, 7)}) + zbar-wasm ${ZBAR_WASM_VERSION}`;
  private readonly pool: DecodePool;

  constructor(options: LocalEngineOptions = {}) {
    this.pool = new DecodePool(options);
    this.concurrency = this.pool.size;
  }

  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (req.task !== 'codes') {
      throw new ScanError('INVALID_INPUT', `The local decoder reads codes only, not '${req.task}'`);
    }
    const r = await this.pool.run(req.source, req.signal);
    return {
      detections: r.detections,
      pageWidth: r.pageWidth,
      pageHeight: r.pageHeight,
      decodedSha256: r.sha256,
      engineVersion: this.engineVersion,
      scale: 1,
    };
  }

  /**
   * The codes inside a box a reviewer drew on a page where the page's decode missed one, read
   * at full resolution in the worker pool (never on the caller's thread). Positions in page pixels.
   */
  async readRegion(source: ImageSource, box: RegionBox, signal?: AbortSignal): Promise<{ detections: Detection[]; pageWidth: number; pageHeight: number }> {
    const r = await this.pool.runRegion(source, box, signal);
    return { detections: r.detections, pageWidth: r.pageWidth, pageHeight: r.pageHeight };
  }

  /** Worker threads currently alive (diagnostics, tests). */
  get threadIds(): number[] {
    return this.pool.threadIds;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
