import { isErrorCode, type ErrorCode } from '../../../shared/errors';
import { ScanError } from '../errors';

export type Logger = (message: string, error?: unknown) => void;

/** Local diagnostics only (stderr); never sent to the renderer. */
export const stderrLogger: Logger = (message, error) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? '' : String(error);
  process.stderr.write(`[scandesk] ${message}${detail ? `\n${detail}` : ''}\n`);
};

/**
 * What may cross the boundary for a thrown error. A ScanError's message is written for people
 * and carries no secret (see electron/core/errors.ts); anything else is a bug whose message may
 * contain paths, SQL or vendor responses, so the renderer gets a generic text with a reference
 * that matches the local log line.
 */
export function boundaryError(err: unknown, requestName: string, log: Logger): { code: ErrorCode; message: string } {
  if (err instanceof ScanError) return { code: err.code, message: err.message };
  // Same class from a second copy of the module (bundled main vs. tsx): trust the shape.
  if (err instanceof Error && err.name === 'ScanError' && isErrorCode((err as { code?: unknown }).code)) {
    return { code: (err as unknown as { code: ErrorCode }).code, message: err.message };
  }
  const ref = Math.random().toString(36).slice(2, 10);
  log(`request ${requestName} failed (ref ${ref})`, err);
  return { code: 'INTERNAL', message: `Something went wrong while handling ${requestName} (ref ${ref}). See the application log.` };
}
