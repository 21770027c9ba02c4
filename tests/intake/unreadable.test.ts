import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeResult } from '../../electron/core/intake';
import { Z, ZC } from '../fixtures/samples';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./intake-child.ts', import.meta.url));
const SAMPLE = Z + 'qrcode-2/1.png';
const JPEG = ZC + 'qrcode-2/estimate-tilt.jpg';

/**
 * Permission denied for real. Root reads files whatever their mode, so when the tests run as
 * root (CI does) the intake runs in a child process as nobody (uid 65534), or, when nobody
 * cannot reach the checkout (e.g. a clone under /root), as root without the capabilities that
 * bypass file permissions (setpriv from util-linux). Not root: mode 000 is enough. Either way
 * the kernel returns EACCES.
 */
function unprivileged(): { command: string; args: string[]; ids: { uid?: number; gid?: number } } {
  const node = [process.execPath, '--import', 'tsx', child];
  if (process.getuid?.() !== 0) return { command: node[0]!, args: node.slice(1), ids: {} };
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(repo, 'node_modules/tsx/package.json'))})`], {
    uid: 65534,
    gid: 65534,
    cwd: '/',
  });
  if (probe.status === 0) return { command: node[0]!, args: node.slice(1), ids: { uid: 65534, gid: 65534 } };
  return { command: 'setpriv', args: ['--bounding-set=-dac_override,-dac_read_search', '--', ...node], ids: {} };
}
describe('intake of files the user cannot read', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scandesk-intake-perm-'));
    chmodSync(dir, 0o755);
    copyFileSync(SAMPLE, join(dir, 'ok.png'));
    chmodSync(join(dir, 'ok.png'), 0o644);
    copyFileSync(JPEG, join(dir, 'locked.jpg'));
    chmodSync(join(dir, 'locked.jpg'), 0o000);
    writeFileSync(join(dir, 'locked-notes.txt'), 'secret notes');
    chmodSync(join(dir, 'locked-notes.txt'), 0o000);
    mkdirSync(join(dir, 'locked-folder'));
    copyFileSync(SAMPLE, join(dir, 'locked-folder', 'inside.png'));
    chmodSync(join(dir, 'locked-folder'), 0o000);
  });
  afterAll(() => {
    chmodSync(join(dir, 'locked-folder'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports FILE_UNREADABLE per file and goes on with the rest', () => {
    const how = unprivileged();
    const run = spawnSync(how.command, [...how.args, dir], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
      ...how.ids,
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { result } = JSON.parse(run.stdout) as { uid: number; result: IntakeResult };

    const byName = new Map(result.items.map((i) => [i.path.slice(dir.length + 1), i]));
    expect([...byName.keys()]).toEqual(['locked.jpg', 'ok.png']);
    expect(byName.get('locked.jpg')!.error).toEqual({ code: 'FILE_UNREADABLE', message: 'locked.jpg: cannot be read (permission denied).' });
    expect(byName.get('locked.jpg')!.sha256).toBeNull();
    expect(byName.get('ok.png')!.error).toBeNull();
    expect(byName.get('ok.png')!.format).toBe('png');
    expect(byName.get('ok.png')!.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Not promising an image by name: listed as skipped with the reason, not as an item.
    const skipped = new Map(result.skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]));
    expect(skipped.get('locked-notes.txt')).toBe('locked-notes.txt: cannot be read (permission denied).');
    expect(skipped.get('locked-folder')).toBe('folder cannot be read (permission denied)');
  });
});
