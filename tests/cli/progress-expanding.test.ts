import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BatchCounts } from '../../shared/batch';
import { createProgressView } from '../../electron/cli/progress';

const counts = (total: number, done: number): BatchCounts => ({ total, pending: total - done, done, failed: 0, cancelled: 0, skipped: 0, codes: done });

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = '';
  s.on('data', (b: Buffer) => (out += b.toString()));
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

describe('CLI progress while intake still adds pages', () => {
  it('shows the total as a lower bound while expanding, and the plain total once every page is in', () => {
    const { stream, text } = capture();
    const view = createProgressView(stream, { tty: false, intervalMs: 60_000 });
    view.update(counts(1, 0), true);
    view.update(counts(256, 40), true);
    view.update(counts(500, 500), false);
    view.stop();
    const lines = text().trim().split('\n');
    expect(lines[0]).toBe('progress: 0/1+ pages (0%, reading files), done 0, failed 0, codes 0');
    expect(lines.at(-1)).toBe('progress: 500/500 pages (100%), done 500, failed 0, codes 500');
  });

  it('prints the last state once more when only "expanding" changed', () => {
    const { stream, text } = capture();
    const view = createProgressView(stream, { tty: false, intervalMs: 60_000 });
    view.update(counts(12, 12), true);
    view.update(counts(12, 12), false);
    view.stop();
    expect(text().trim().split('\n')).toEqual([
      'progress: 12/12+ pages (100%, reading files), done 12, failed 0, codes 12',
      'progress: 12/12 pages (100%), done 12, failed 0, codes 12',
    ]);
  });
});
