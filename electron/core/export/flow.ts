import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * exceljs's streaming writer does not apply backpressure: a row is serialized into an
 * in-memory buffer and handed to the zip compressor whenever the event loop lets it. Rows
 * come from a synchronous SQLite iterator, so without pauses a whole batch would pile up in
 * memory before a byte reaches the disk. Every `every` rows this yields to the event loop
 * and, when the compressor behind the worksheet is behind, waits for it to drain.
 */
export class FlowControl {
  private count = 0;

  constructor(
    private readonly downstream: () => Writable | undefined,
    private readonly every = 200,
  ) {}

  async tick(): Promise<void> {
    if (++this.count % this.every !== 0) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    const down = this.downstream();
    if (down && needsDrain(down)) await once(down, 'drain');
  }
}

/**
 * archiver wraps the worksheet in a readable-stream (v2) PassThrough, which predates
 * `writableNeedDrain`: read its state directly, as `write()` would have reported it.
 */
function needsDrain(s: Writable): boolean {
  if (typeof s.writableNeedDrain === 'boolean') return s.writableNeedDrain;
  const state = (s as unknown as { _writableState?: { needDrain?: boolean } })._writableState;
  return Boolean(state?.needDrain);
}

/** The stream an exceljs worksheet pipes into, on its way to the compressor (internal, hence the guard). */
export function worksheetDownstream(worksheet: unknown): Writable | undefined {
  const stream = (worksheet as { stream?: { pipes?: unknown[] } }).stream;
  const first = stream?.pipes?.[0];
  return first && typeof (first as Writable).once === 'function' ? (first as Writable) : undefined;
}

/**
 * A file stream for a writer. Its errors (the file cannot be opened, the disk is full) are kept
 * on the stream (`errored`) and raised by the next write or by endStream, as a rejection of the
 * export, never as an unhandled 'error' event that would stop the process.
 */
export function openOutput(path: string, encoding?: BufferEncoding): WriteStream {
  const out = createWriteStream(path, encoding);
  out.on('error', () => undefined);
  return out;
}

/** Writes to a Node stream, waiting when it asks to; a stream that failed throws its error. */
export async function writeWithBackpressure(out: Writable, chunk: string): Promise<void> {
  if (out.errored) throw out.errored;
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Abandons a file stream and waits until its file is closed. A stream opens its file
 * asynchronously: destroyed without waiting, one still opening creates its file after the
 * caller's clean-up has removed it, and a ".partial" or spool file is left in the user's folder.
 */
export async function discardStream(out: Writable): Promise<void> {
  if (out.closed) return;
  const closed = once(out, 'close').catch(() => undefined);
  out.destroy();
  await closed;
}

/** Ends a stream and waits until everything reached the file. */
export async function endStream(out: Writable): Promise<void> {
  if (out.errored) throw out.errored;
  const finished = once(out, 'close');
  out.end();
  await finished;
  if (out.errored) throw out.errored;
}
