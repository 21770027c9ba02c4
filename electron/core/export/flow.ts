import { once } from 'node:events';
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

/** Writes to a Node stream, waiting when it asks to. */
export async function writeWithBackpressure(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Ends a stream and waits until everything reached the file. */
export async function endStream(out: Writable): Promise<void> {
  const finished = once(out, 'close');
  out.end();
  await finished;
}
