import { defaultErrorClass, type AppError, type ErrorClass, type ErrorCode } from '../../shared/errors';

/**
 * The one error type the engine throws on purpose. Anything else that escapes is a bug and
 * is recorded as INTERNAL. Messages must never contain a secret.
 */
export class ScanError extends Error {
  readonly code: ErrorCode;
  readonly errorClass: ErrorClass;
  /** For `retry` errors: the earliest moment a retry makes sense (e.g. Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; errorClass?: ErrorClass; retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScanError';
    this.code = code;
    this.errorClass = options.errorClass ?? defaultErrorClass(code);
    this.retryAfterMs = options.retryAfterMs;
  }

  toJSON(): AppError {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into the stored `{code, message}` shape. */
export function toAppError(err: unknown): AppError {
  if (err instanceof ScanError) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

export function errorClassOf(err: unknown): ErrorClass {
  return err instanceof ScanError ? err.errorClass : 'final';
}
