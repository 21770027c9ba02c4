import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import type { CliIo } from '../../electron/cli/scan';

/**
 * The vendor flags of `scandesk scan` are checked before anything runs: a wrong combination
 * is a usage error (exit 2) that says what to do, and nothing is scanned or stored.
 */
const dir = mkdtempSync(join(tmpdir(), 'scandesk-vendor-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (b: Buffer) => (stdout += b.toString()));
  err.on('data', (b: Buffer) => (stderr += b.toString()));
  const io: CliIo = {
    stdout: out as unknown as NodeJS.WriteStream,
    stderr: err as unknown as NodeJS.WriteStream,
    env: { HOME: dir, ...env },
    onInterrupt: () => () => undefined,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const scan = (...flags: string[]) => run(['scan', dir, '--out', join(dir, 'o.json'), '--db', join(dir, 'x', 'db.sqlite'), ...flags]);

describe('scandesk scan vendor flags', () => {
  it.each([
    [['--engine', 'local', '--task', 'idcard'], /local engine cannot do the "idcard" task/],
    [['--engine', 'wechat', '--task', 'idcard'], /wechat engine cannot do the "idcard" task; it does: codes, text/],
    [['--engine', 'local', '--fallback', 'alioss', '--task', 'text'], /local engine cannot do the "text" task/],
    [['--engine', 'tencent', '--fallback', 'tencent'], /--fallback must name another engine/],
    [['--engine', 'tencent', '--card-side', 'FRONT'], /--card-side goes with --task idcard/],
    [['--engine', 'wechat', '--card-side', 'FRONT', '--task', 'idcard'], /wechat engine cannot do/],
    [['--engine', 'wechat', '--product-data'], /--product-data is for the tencent engine/],
    [['--engine', 'tencent', '--keep-uploads'], /--keep-uploads is for the alioss engine/],
    [['--engine', 'alioss'], /needs a bucket and its region: give --bucket and --region/],
    [['--engine', 'alioss', '--bucket', 'b-scans'], /needs a bucket and its region/],
    [['--engine', 'tencent', '--region', 'cn-hangzhou'], /ap-guangzhou or ap-beijing/],
    [['--engine', 'wechat', '--region', 'ap-beijing'], /--region is for the tencent or alioss engine/],
    [['--engine', 'nope'], /Allowed choices are local, tencent, wechat, alioss/],
  ])('%j is refused', async (flags, message) => {
    const r = await scan(...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a bad endpoint variable names the variable', async () => {
    const r = await scan('--engine', 'wechat', '--jobs', '1');
    expect(r.code).not.toBe(2); // sanity: the flags themselves are fine (nothing to scan here but the folder)
    const bad = await run(['scan', dir, '--out', join(dir, 'o2.json'), '--db', join(dir, 'x', 'db.sqlite'), '--engine', 'wechat'], {
      SCANDESK_WECHAT_BASE_URL: 'not a url',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SCANDESK_WECHAT_BASE_URL/);
  }, 60_000);

  it('documents the vendor flags, the endpoint variables and the credentials command', async () => {
    const r = await run(['scan', '--help']);
    for (const flag of ['--engine <id>', '--task <task>', '--fallback <vendor>', '--region <region>', '--bucket <name>', '--card-side <side>', '--product-data', '--keep-uploads', 'SCANDESK_TENCENT_ENDPOINT', 'SCANDESK_WECHAT_BASE_URL', 'SCANDESK_ALIOSS_ENDPOINT', 'scandesk credentials set']) {
      expect(r.stdout).toContain(flag);
    }
    const c = await run(['credentials', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/Never on the command line/);
    const bad = await run(['credentials', 'set', 'aws']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Name a vendor: tencent, wechat, alioss/);
  });

  it('settings set/show: saved beside the database, validated, credentials refused', async () => {
    const db = ['--db', join(dir, 'prof', 'cli.sqlite')];
    expect((await run(['settings', 'set', 'alioss.bucket', 'my-scans', ...db])).code).toBe(0);
    expect((await run(['settings', 'set', 'tencent.rateLimits.QrcodeOCR', '10', ...db])).code).toBe(0);
    const shown = await run(['settings', 'show', ...db]);
    expect(shown.stdout).toContain(join(dir, 'prof', 'vendor-settings.json'));
    const json = JSON.parse(shown.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n')) as { alioss: { bucket: string }; tencent: { rateLimits: { QrcodeOCR: number } } };
    expect(json.alioss.bucket).toBe('my-scans');
    expect(json.tencent.rateLimits.QrcodeOCR).toBe(10);
    const bad = await run(['settings', 'set', 'wechat.concurrency', '0', ...db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/wechat.concurrency/);
    const secret = await run(['settings', 'set', 'tencent.secretKey', 'abc', ...db]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/scandesk credentials set/);
    expect((await run(['settings', 'set', 'alioss.bucket', 'null', ...db])).code).toBe(0);
    expect((await run(['settings', 'show', ...db])).stdout).not.toContain('my-scans');
    // The bucket from the settings file is what scan uses when --bucket is not given.
    await run(['settings', 'set', 'alioss.bucket', 'my-scans', ...db]);
    const needsRegion = await run(['scan', dir, '--out', join(dir, 'o.json'), ...db, '--engine', 'alioss']);
    expect(needsRegion.stderr).toMatch(/needs a bucket and its region/);
  });
});
