/**
 * Two ways a CLI run fails, each with its exit code. Pages that fail to decode are not
 * among them: they are reported in the summary and the export, and the run still exits 0.
 */
export const EXIT_OK = 0;
/** The run itself failed: unwritable output, database error, an engine that cannot start. */
export const EXIT_FAILURE = 1;
/** Bad arguments (unknown option, unknown output extension, bad --jobs). */
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (128 + SIGINT), after saving progress. */
export const EXIT_INTERRUPTED = 130;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
