/**
 * Every failure the product reports has a stable code (for exports, tests and support), a
 * message a person can act on, and a class that tells the runner what to do next.
 */
export const ERROR_CODES = [
  // intake and files
  'FILE_NOT_FOUND', // missing path, broken symlink
  'FILE_UNREADABLE', // permission denied, I/O error, symlink loop
  'FILE_EMPTY', // zero bytes
  'UNSUPPORTED_FORMAT', // bytes are not an image or document we read
  // imaging
  'IMAGE_DECODE', // corrupt or truncated image
  'IMAGE_TOO_LARGE', // absurd dimensions / decompression bomb, or cannot fit a vendor budget
  'PDF_PASSWORD', // encrypted PDF
  'PDF_CORRUPT',
  // engines and vendors
  'VENDOR_AUTH', // bad or missing credentials, IP not whitelisted
  'VENDOR_QUOTA', // quota exhausted, account in arrears
  'VENDOR_RATE_LIMIT',
  'VENDOR_REJECTED', // the vendor refused this image (size, format, parameters)
  'VENDOR_SERVER', // 5xx, InternalError, -1
  'VENDOR_UNAVAILABLE', // the operation was withdrawn or is unknown to the service
  'NETWORK',
  'TIMEOUT',
  'KEYCHAIN_UNAVAILABLE',
  // the product itself
  'CANCELLED',
  'INVALID_INPUT', // a request (IPC, CLI) that does not match its schema
  'NOT_FOUND', // a batch, item or detection id that does not exist
  'NOTHING_TO_DO', // a request that would change nothing (run again with an engine every page already has)
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * - `retry`: try the same job again later (backoff);
 * - `final`: this item cannot succeed with this engine; record the error and move on;
 * - `stop-engine`: nothing will succeed with this engine (auth, quota): stop it for the batch.
 */
export type ErrorClass = 'retry' | 'final' | 'stop-engine';

export interface AppError {
  code: ErrorCode;
  message: string;
}

const DEFAULT_CLASS: Record<ErrorCode, ErrorClass> = {
  FILE_NOT_FOUND: 'final',
  FILE_UNREADABLE: 'final',
  FILE_EMPTY: 'final',
  UNSUPPORTED_FORMAT: 'final',
  IMAGE_DECODE: 'final',
  IMAGE_TOO_LARGE: 'final',
  PDF_PASSWORD: 'final',
  PDF_CORRUPT: 'final',
  VENDOR_AUTH: 'stop-engine',
  VENDOR_QUOTA: 'stop-engine',
  VENDOR_RATE_LIMIT: 'retry',
  VENDOR_REJECTED: 'final',
  VENDOR_SERVER: 'retry',
  VENDOR_UNAVAILABLE: 'stop-engine',
  NETWORK: 'retry',
  TIMEOUT: 'retry',
  KEYCHAIN_UNAVAILABLE: 'stop-engine',
  CANCELLED: 'final',
  INVALID_INPUT: 'final',
  NOT_FOUND: 'final',
  NOTHING_TO_DO: 'final',
  INTERNAL: 'final',
};

export function defaultErrorClass(code: ErrorCode): ErrorClass {
  return DEFAULT_CLASS[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
