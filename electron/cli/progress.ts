import cliProgress from 'cli-progress';
import { settledPages, type BatchCounts } from '../../shared/batch';

/** Shows a batch's progress: a live bar on a terminal, plain throttled lines otherwise. */
export interface ProgressView {
  /** `expanding`: intake still adds pages, so the total is a lower bound (shown as "1200+"). */
  update(counts: BatchCounts, expanding?: boolean): void;
  /** A line to show now (a vendor notice), without breaking the bar. */
  note(line: string): void;
  stop(): void;
}

function settled(c: BatchCounts): number {
  return settledPages(c);
}

export function createProgressView(stream: NodeJS.WriteStream, options: { tty?: boolean; intervalMs?: number } = {}): ProgressView {
  const tty = options.tty ?? Boolean(stream.isTTY);
  return tty ? new BarView(stream) : new LineView(stream, options.intervalMs ?? 5000);
}

class BarView implements ProgressView {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: ' {bar} {percentage}% | {value}/{total}{more} pages | done {done} | failed {failed} | codes {codes} | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(c: BatchCounts, expanding = false): void {
    const payload = { done: c.done, failed: c.failed, codes: c.codes, more: expanding ? '+ (reading files)' : '' };
    if (!this.started) {
      this.bar.start(c.total, settled(c), payload);
      this.started = true;
    } else {
      this.bar.setTotal(c.total);
      this.bar.update(settled(c), payload);
    }
  }

  note(line: string): void {
    // Clear the bar's line and print; the bar redraws itself below on its next frame.
    this.stream.write(this.started ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/**
 * Logs, CI and pipes get one line per interval (and the last state on stop), never carriage
 * returns or escape codes.
 */
class LineView implements ProgressView {
  private last: BatchCounts | null = null;
  private printed: BatchCounts | null = null;
  private expanding = false;
  private printedExpanding = false;
  private lastAt = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly intervalMs: number,
  ) {}

  update(c: BatchCounts, expanding = false): void {
    this.last = c;
    this.expanding = expanding;
    const now = Date.now();
    if (now - this.lastAt >= this.intervalMs) {
      this.lastAt = now;
      this.print(c);
    }
  }

  note(line: string): void {
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    if (this.last && (!sameCounts(this.last, this.printed) || this.expanding !== this.printedExpanding)) this.print(this.last);
  }

  private print(c: BatchCounts): void {
    this.printed = c;
    this.printedExpanding = this.expanding;
    const pct = c.total > 0 ? Math.floor((settled(c) / c.total) * 100) : 100;
    // While intake still adds pages the total grows: "12/256+ pages (reading files)".
    const total = this.expanding ? `${c.total}+` : `${c.total}`;
    const more = this.expanding ? ', reading files' : '';
    this.stream.write(`progress: ${settled(c)}/${total} pages (${pct}%${more}), done ${c.done}, failed ${c.failed}, codes ${c.codes}\n`);
  }
}

function sameCounts(a: BatchCounts, b: BatchCounts | null): boolean {
  return b !== null && settled(a) === settled(b) && a.codes === b.codes && a.total === b.total;
}
