import type { Detection } from '../../../../shared/detection';
import type { ErrorClass, ErrorCode } from '../../../../shared/errors';
import type { ImageSource } from '../../intake/types';
import type { StepRun } from './decode';
import type { RegionBox } from './region';

/** Messages between the pool (main thread) and a decode worker. */
export interface DecodeJob {
  id: number;
  source: ImageSource;
  /** Read only this box of the page (region.ts: a reviewer drew it), not the whole page. */
  region?: RegionBox;
}

export interface DecodeSuccess {
  id: number;
  ok: true;
  detections: Detection[];
  pageWidth: number;
  pageHeight: number;
  /** sha256 of the file bytes that were decoded (read once by the worker). */
  sha256: string;
  /** Which decode steps ran (fast pass, then retries), each timed with what it read, for tuning and traceability. */
  steps: StepRun[];
  threadId: number;
  ms: number;
}

export interface DecodeFailure {
  id: number;
  ok: false;
  error: { code: ErrorCode; message: string; errorClass: ErrorClass };
  threadId: number;
}

export type DecodeReply = DecodeSuccess | DecodeFailure;

/** Passed as workerData: where the wasm binaries are (defaults: resolved from node_modules). */
export interface WorkerConfig {
  zxingWasmPath?: string;
  zbarWasmPath?: string;
}
