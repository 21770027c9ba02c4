import type { ErrorClass, ErrorCode } from '../../../shared/errors';

/**
 * Messages between a WorkerPool (main thread) and its workers. A job is the caller's payload
 * with an id; a reply carries the same id, `ok`, and either the worker's own fields or an error.
 */
export type JobMessage<P extends object> = P & { id: number };

/** A ScanError as it crosses threads (the class itself cannot be cloned). */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  errorClass: ErrorClass;
  retryAfterMs?: number;
}

export interface FailureReply {
  id: number;
  ok: false;
  error: SerializedError;
  threadId: number;
}

export interface SuccessReply {
  id: number;
  ok: true;
}
