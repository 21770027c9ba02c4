import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliOssEngine } from '../../../electron/core/vendors/alioss/engine';
import { startOssEmulator, type OssEmulator } from '../../emulators/alioss/server';
import { BIN, cli, ROOT } from '../../integration/support/vendors';
import { failure } from '../../support/scan-error';
import { SAMPLES, staticCredentials } from '../wechat/helpers';
import { PageFactory } from '../wechat/pages';

/**
 * Issue 12 item 7: a page uploaded to OSS never stays there. Deleted after success, after a
 * failure, after a cancel; and when the run dies between upload and delete (killed with
 * SIGKILL here, mid-page), the next run that uses OSS deletes it, from the note the dead run
 * wrote before uploading (the profile's oss-uploads/ folder).
 */
const KEYS = { accessKeyId: 'LTAI5tQx7ScanDeskClean01', accessKeySecret: 'k8Jf2VnQ9pL3xR7tY1wZ5bC0dE4gH6mQ' };
const NO_IMM = { accessKeyId: 'LTAI5tQx7ScanDeskNoImm1', accessKeySecret: 'noImmSecretnoImmSecretnoImmSecret1' };
const BUCKET = 'scandesk-cleanup';
const REGION = 'cn-hangzhou';
const QR = `${SAMPLES}/zxing/qrcode-2/1.png`;

const pages = new PageFactory();
let emu: OssEmulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-oss-cleanup-'));
  emu = await startOssEmulator({
    bucket: BUCKET,
    region: REGION,
    ...KEYS,
    keys: { [NO_IMM.accessKeyId]: { accessKeySecret: NO_IMM.accessKeySecret, allow: ['oss:PutObject', 'oss:DeleteObject'] } },
  });
});
afterAll(async () => {
  await emu?.close();
  pages.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function engine(keys = KEYS, journalDir = join(dir, 'in-process', 'oss-uploads')) {
  return new AliOssEngine({
    credentials: staticCredentials({ alioss: keys }),
    region: REGION,
    bucket: BUCKET,
    endpoint: emu.endpoint,
    retry: { maxAttempts: 1 },
    journalDir,
  });
}

const deletes = () => emu.log.filter((l) => l.op === 'DeleteObject' && l.status === 204).map((l) => l.key);

describe('OSS uploads are deleted', () => {
  it('after success, after a failure and after a cancel', async () => {
    const ok = await engine().recognize(pages.fromFile(QR));
    expect(ok.detections).toHaveLength(1);
    expect(emu.objects.size).toBe(0);

    // Upload allowed, image/codes refused: the page still goes.
    const refused = await failure(engine(NO_IMM).recognize(pages.fromFile(QR)));
    expect(refused.message).toMatch(/imm:DetectImageCodes/);
    expect(emu.log.some((l) => l.op === 'PutObject' && l.status === 200)).toBe(true);
    expect(emu.objects.size).toBe(0);

    // Cancelled while OSS is reading the page: deleted anyway (the delete does not take the cancelled signal).
    emu.hold.add('ProcessImage');
    try {
      const ac = new AbortController();
      const running = failure(engine().recognize({ ...pages.fromFile(QR), signal: ac.signal }));
      await expect.poll(() => emu.log.some((l) => l.op === 'ProcessImage' && l.code === 'held'), { timeout: 20_000 }).toBe(true);
      expect(emu.objects.size).toBe(1);
      ac.abort();
      expect((await running).code).toBe('CANCELLED');
    } finally {
      emu.hold.clear();
    }
    expect(emu.objects.size).toBe(0);
    // Each upload was written down before it was sent, and marked done once deleted: nothing left to sweep.
    const lines = readFileSync(join(dir, 'in-process', 'oss-uploads', `${process.pid}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { put?: string; done?: string });
    expect(lines.filter((l) => l.put)).toHaveLength(3);
    expect(lines.filter((l) => l.done).map((l) => l.done)).toEqual(lines.filter((l) => l.put).map((l) => l.put));
  });

  it('after the run was killed mid-page: the next run deletes what it left', async () => {
    const db = join(dir, 'profile', 'scandesk.db');
    const scans = join(dir, 'scans');
    for (const name of ['first', 'second']) {
      rmSync(join(scans, name), { recursive: true, force: true });
      mkdirSync(join(scans, name), { recursive: true });
      copyFileSync(QR, join(scans, name, `${name}.png`));
    }
    const env = {
      OSS_ACCESS_KEY_ID: KEYS.accessKeyId,
      OSS_ACCESS_KEY_SECRET: KEYS.accessKeySecret,
      SCANDESK_ALIOSS_ENDPOINT: emu.endpoint,
    };
    const args = (name: string) => ['scan', join(scans, name), '--engine', 'alioss', '--bucket', BUCKET, '--region', REGION, '--db', db, '--out', join(dir, `${name}.json`), '--yes'];

    // First run: OSS holds image/codes, so the page sits uploaded; then the run is killed.
    emu.hold.add('ProcessImage');
    const before = emu.log.length;
    const child = spawn(process.execPath, [BIN, ...args('first')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await expect.poll(() => emu.log.slice(before).some((l) => l.op === 'ProcessImage' && l.code === 'held'), { timeout: 90_000, interval: 200 }).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await exited;
      emu.hold.clear();
    }
    const left = [...emu.objects.keys()];
    expect(left).toHaveLength(1);
    expect(readdirSync(join(dir, 'profile', 'oss-uploads'))).toEqual([`${child.pid}.jsonl`]);

    // Next run (another folder, so a page surely goes to OSS): it first deletes what the dead run left.
    const next = await cli(args('second'), env);
    expect(next.code, next.stderr).toBe(0);
    expect(deletes()).toContain(left[0]);
    expect(emu.objects.size).toBe(0);
    expect(existsSync(join(dir, 'profile', 'oss-uploads', `${child.pid}.jsonl`))).toBe(false);
  }, 180_000);
});
