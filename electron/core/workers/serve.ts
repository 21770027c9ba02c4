import { parentPort, threadId } from 'node:worker_threads';
import { isErrorCode } from '../../../shared/errors';
import type { FailureReply, JobMessage, SerializedError } from './protocol';

/**
 * The worker side of a WorkerPool: answers each job message with `handle`'s reply (plus the job
 * id), or with the error it threw. ScanErrors keep their code, message and class; anything else
 * becomes INTERNAL with the message `unexpected` writes. Jobs arrive one at a time (the pool
 * waits for the reply before sending the next), so a handler never competes with itself.
 */
export function serve<P extends object, R extends object>(
  handle: (job: JobMessage<P>) => Promise<{ reply: R; transfer?: ArrayBuffer[] }>,
  unexpected: (message: string, job: JobMessage<P>) => string,
): void {
  const port = parentPort;
  if (!port) throw new Error('This module must run in a worker thread');
  port.on('message', (job: JobMessage<P>) => {
    void handle(job).then(
      ({ reply, transfer }) => port.postMessage({ ...reply, id: job.id, ok: true }, transfer ?? []),
      (err: unknown) => {
        const failure: FailureReply = { id: job.id, ok: false, error: serializeError(err, job, unexpected), threadId };
        port.postMessage(failure);
      },
    );
  });
}

/**
 * A ScanError's fields as plain data. Recognised by name and code rather than instanceof: a
 * worker started through tsx may hold a second copy of the errors module.
 */
export function serializeError<J>(err: unknown, job: J, unexpected: (message: string, job: J) => string): SerializedError {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; errorClass?: unknown; retryAfterMs?: unknown };
  if (e && e.name === 'ScanError' && isErrorCode(e.code)) {
    return {
      code: e.code,
      message: String(e.message),
      errorClass: e.errorClass === 'retry' || e.errorClass === 'stop-engine' ? e.errorClass : 'final',
      ...(typeof e.retryAfterMs === 'number' ? { retryAfterMs: e.retryAfterMs } : {}),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: unexpected(message, job), errorClass: 'final' };
}

/**
 * The bytes of a Buffer in a fresh ArrayBuffer that postMessage can transfer (move to the other
 * thread without copying). Buffers made by native code (sharp's output) are external memory that
 * V8 cannot detach: postMessage refuses to transfer them (DataCloneError), and sent without
 * a transfer list they would be copied twice (serialised here, deserialised on the receiving
 * thread, i.e. on the main thread). Nothing tells an external buffer from a detachable one,
 * so always make one copy here, in the worker: cheap next to an encode, and the main thread
 * copies nothing.
 */
export function transferable(buf: Uint8Array): { bytes: Uint8Array; buffer: ArrayBuffer } {
  const buffer = new ArrayBuffer(buf.byteLength);
  const bytes = new Uint8Array(buffer);
  bytes.set(buf);
  return { bytes, buffer };
}
