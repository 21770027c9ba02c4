import type { Detection } from '../../../shared/detection';
import type { EngineId, Task } from '../../../shared/engines';
import type { ImageSource } from '../intake/types';

export interface RecognizeRequest {
  source: ImageSource & { sha256: string };
  task: Task;
  /** Engine-specific options from the batch plan, already validated by the engine. */
  options?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface RecognizeResult {
  /** Positions in oriented page pixels (see shared/geometry.ts). */
  detections: Detection[];
  pageWidth: number;
  pageHeight: number;
  /**
   * sha256 of the file bytes this result was computed from, hashed where they were decoded. The
   * result cache files the result under it (a file replaced since intake hashed it must not
   * lend its codes to the old bytes).
   */
  decodedSha256: string;
  /** Traceability: which engine build answered, the vendor's request id, what was sent. */
  engineVersion: string;
  requestId?: string;
  bytesSent?: number;
  scale?: number;
  /** Things worth telling the user once (e.g. "QueryBarCode is offline"). */
  notices?: string[];
  /** Images the vendor returned with the result (IDCardOCR's card and portrait crops), kept with it. */
  images?: ResultImage[];
}

/** An image kept with a result: personal data (shown on request only), deleted with its batch. */
export interface ResultImage {
  kind: 'idcard' | 'portrait';
  format: 'jpeg' | 'png' | 'bmp';
  data: Buffer;
}

/**
 * A recognition engine. It throws ScanError for failures (whose class tells the runner to
 * retry, give up on the item, or stop the engine for the batch).
 */
export interface Engine {
  readonly id: EngineId;
  readonly tasks: readonly Task[];
  /** How many requests may be in flight at once (the runner never exceeds it). */
  readonly concurrency: number;
  recognize(req: RecognizeRequest): Promise<RecognizeResult>;
  /** The local decoder only: the codes inside a box of a page, read at full resolution (engines/local/region.ts). */
  readRegion?(source: ImageSource, box: { left: number; top: number; width: number; height: number }, signal?: AbortSignal): Promise<{ detections: Detection[]; pageWidth: number; pageHeight: number }>;
  close?(): Promise<void>;
  /**
   * Cleans up what earlier runs that died left at the vendor (OSS: uploaded pages never
   * deleted); answers a notice per thing that could not be cleaned. Run before the first page,
   * and at app/host start.
   */
  sweepLeftovers?(): Promise<string[]>;
}
