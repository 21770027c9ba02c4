import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, copySamples } from './helpers';

/**
 * On a terminal the CLI draws a live progress bar. The terminal is a real pseudo-terminal
 * from util-linux `script` (part of every Debian install).
 */
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-cli-tty-'));
  mkdirSync(join(tmp, 'in'));
  copySamples(join(tmp, 'in'), [
    { from: 'zxing/ean13-1/1.png', to: 'a.png' },
    { from: 'zxing/code128-1/1.png', to: 'b.png' },
  ]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scandesk scan on a terminal', () => {
  it('draws a progress bar with done, failed and codes, then the summary', () => {
    const cmd = [process.execPath, BIN, 'scan', join(tmp, 'in'), '--out', join(tmp, 'r.json'), '--db', join(tmp, 'db.sqlite'), '--jobs', '1']
      .map((a) => `'${a}'`)
      .join(' ');
    const out = execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(out).toContain('\u001b['); // cursor control: a live bar, not lines
    expect(out).toMatch(/100% \| 2\/2 pages \| done 2 \| failed 0 \| codes 2/);
    expect(out).not.toContain('progress: ');
    expect(out).toMatch(/codes: +2/);
  }, 150_000);
});
