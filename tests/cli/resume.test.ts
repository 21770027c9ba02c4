import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES, copySamples, logLines, runCli, startCli, waitFor } from './helpers';

/**
 * Stopping a run (SIGKILL: a crash; SIGINT: Ctrl-C) and running the same command again with
 * the same --db finishes the batch without decoding finished pages again. Which pages were
 * decoded is taken from SCANDESK_DECODE_LOG, written by the CLI as each decode completes.
 */
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-cli-resume-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** ~30 real photos of EAN-13 barcodes: slow enough to stop a run in the middle. */
function makeInput(name: string): string[] {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const files = readdirSync(join(SAMPLES, 'zxing/ean13-1')).filter((f) => /\.(png|jpe?g)$/i.test(f));
  copySamples(dir, files.map((f) => ({ from: `zxing/ean13-1/${f}`, to: f })));
  return files.map((f) => join(dir, f));
}

function pagesOf(jsonFile: string): { path: string; status: string }[] {
  return (JSON.parse(readFileSync(jsonFile, 'utf8')) as { items: { path: string; status: string }[] }).items;
}

describe('resuming with --db', () => {
  it('after SIGKILL, the second run completes and decodes only what was left', async () => {
    const files = makeInput('kill');
    const log = join(tmp, 'kill.log');
    const args = ['scan', join(tmp, 'kill'), '--out', join(tmp, 'kill.json'), '--db', join(tmp, 'kill.sqlite'), '--jobs', '1'];
    const run1 = startCli(args, { SCANDESK_DECODE_LOG: log });
    await waitFor(() => logLines(log).length >= 3, 90_000, 'three decoded pages');
    run1.child.kill('SIGKILL');
    const r1 = await run1.done;
    expect(r1.signal).toBe('SIGKILL');
    const firstRun = logLines(log).length;
    expect(firstRun).toBeLessThan(files.length);

    const r2 = await runCli(args, { SCANDESK_DECODE_LOG: log });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toContain('Resuming batch');
    const all = logLines(log).map((l) => l.split('\t')[1]!);
    const secondRun = all.slice(firstRun);
    // Every page decoded; the second run did not start over.
    expect(new Set(all)).toEqual(new Set(files));
    expect(secondRun.length).toBeLessThan(files.length);
    // At most the one page in flight at the kill (--jobs 1) is decoded twice.
    expect(all.length - new Set(all).size).toBeLessThanOrEqual(1);
    const pages = pagesOf(join(tmp, 'kill.json'));
    expect(pages).toHaveLength(files.length);
    expect(pages.every((p) => p.status === 'done')).toBe(true);
  }, 240_000);

  it('after Ctrl-C (SIGINT), it stops cleanly, says how to resume, and resumes', async () => {
    const files = makeInput('int');
    const log = join(tmp, 'int.log');
    const args = ['scan', join(tmp, 'int'), '--out', join(tmp, 'int.csv'), '--db', join(tmp, 'int.sqlite'), '--jobs', '1'];
    const run1 = startCli(args, { SCANDESK_DECODE_LOG: log });
    await waitFor(() => logLines(log).length >= 2, 90_000, 'two decoded pages');
    run1.child.kill('SIGINT');
    const r1 = await run1.done;
    expect(r1.code).toBe(130);
    expect(r1.stderr).toContain('To resume, run the same command again');
    expect(r1.stderr).toContain(`--db ${join(tmp, 'int.sqlite')}`);
    const firstRun = logLines(log).length;
    expect(firstRun).toBeLessThan(files.length);

    const r2 = await runCli(args, { SCANDESK_DECODE_LOG: log });
    expect(r2.code, r2.stderr).toBe(0);
    const all = logLines(log).map((l) => l.split('\t')[1]!);
    // A clean stop loses nothing: no page decoded twice.
    expect(all.length).toBe(new Set(all).size);
    expect(new Set(all)).toEqual(new Set(files));
    expect(r2.stdout).toMatch(new RegExp(`decoded in this run: ${files.length - firstRun}\\b`));
  }, 240_000);
});
