import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, fileSettingsStore, StartupNotices, sweepInBackground, unavailableDialogs } from '../../../electron/core/api';
import { createEngineRegistry } from '../../../electron/core/engines/registry';
import { ExportHandles } from '../../../electron/core/export/handles';
import { RememberedFolder } from '../../../electron/core/export/remembered-folder';
import { openScanService } from '../../../electron/core/service';
import { VendorSettingsStore, vendorSettingsPath } from '../../../electron/core/settings';
import { startHost } from '../../../electron/host';
import { startOssEmulator, type OssEmulator } from '../../emulators/alioss/server';
import { staticCredentials } from '../wechat/helpers';

/**
 * Issue 8 / 12: pages that a run which died left uploaded in the OSS bucket are deleted when
 * the app or host starts, not only when a batch next sends a page to OSS; when they cannot be,
 * the user is told (a notice kept for the window, app.info carries it). Real OSS emulator with
 * its permission model, a journal written by a process that really is gone.
 */
const KEYS = { accessKeyId: 'LTAI5tQx7ScanDeskStart01', accessKeySecret: 'startSweepSecretstartSweepSecret01' };
const NO_DELETE = { accessKeyId: 'LTAI5tQx7ScanDeskNoDel1', accessKeySecret: 'noDeleteSecretnoDeleteSecretnoDel1' };
const BUCKET = 'scandesk-start';
const REGION = 'cn-hangzhou';

let emu: OssEmulator;
let dir: string;
let deadPid: number;

/** A pid that was a real process and is gone now (the journal of a run that died). */
async function goneProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** A profile where a dead run left `key` uploaded (in the bucket and in its journal). */
function leftBehind(profile: string, key: string, bucket = BUCKET): string {
  emu.objects.set(key, { body: Buffer.from('a page'), contentType: 'image/png', etag: '"x"' });
  mkdirSync(join(profile, 'oss-uploads'), { recursive: true });
  const journal = join(profile, 'oss-uploads', `${deadPid}.jsonl`);
  writeFileSync(journal, `${JSON.stringify({ put: key, bucket })}\n`);
  writeFileSync(vendorSettingsPath(join(profile, 'scandesk.db')), JSON.stringify({ version: 1, alioss: { region: REGION, bucket: BUCKET, endpoint: emu.endpoint } }));
  return journal;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-oss-start-'));
  emu = await startOssEmulator({
    bucket: BUCKET,
    region: REGION,
    ...KEYS,
    keys: { [NO_DELETE.accessKeyId]: { accessKeySecret: NO_DELETE.accessKeySecret, allow: ['oss:PutObject'] } },
  });
  deadPid = await goneProcess();
});

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OSS leftovers are swept at start', () => {
  it('the browser host deletes a dead run\'s page at start, before any batch', async () => {
    const profile = join(dir, 'host');
    const key = 'scandesk-tmp/2026-12-05/dead-run-page.png';
    const journal = leftBehind(profile, key);
    Object.assign(process.env, { OSS_ACCESS_KEY_ID: KEYS.accessKeyId, OSS_ACCESS_KEY_SECRET: KEYS.accessKeySecret });
    const host = await startHost({ dbPath: join(profile, 'scandesk.db'), port: 0, log: () => undefined });
    try {
      await expect.poll(() => emu.objects.has(key), { timeout: 30_000 }).toBe(false);
      await expect.poll(() => existsSync(journal), { timeout: 10_000 }).toBe(false);
      expect(emu.log.some((l) => l.op === 'DeleteObject' && l.key === key && l.status === 204)).toBe(true);
      expect(await host.service.listBatches()).toEqual([]);
    } finally {
      await host.close();
      delete process.env.OSS_ACCESS_KEY_ID;
      delete process.env.OSS_ACCESS_KEY_SECRET;
    }
  }, 60_000);

  it('asks nothing of OSS when no dead run left a page', async () => {
    const profile = join(dir, 'clean');
    mkdirSync(profile, { recursive: true });
    writeFileSync(vendorSettingsPath(join(profile, 'scandesk.db')), JSON.stringify({ version: 1, alioss: { region: REGION, bucket: BUCKET, endpoint: emu.endpoint } }));
    const before = emu.log.length;
    const registry = createEngineRegistry({ settings: new VendorSettingsStore(vendorSettingsPath(join(profile, 'scandesk.db')), {}), credentials: staticCredentials({ alioss: KEYS }), dataDir: profile, include: ['alioss'] });
    const notices = new StartupNotices();
    await sweepInBackground(registry, profile, notices, () => undefined);
    await registry.close();
    expect(notices.all()).toEqual([]);
    expect(emu.log.length).toBe(before);
  });

  it('a page that cannot be deleted is said once, kept in the journal, and app.info carries it', async () => {
    const cases = [
      { name: 'refused', creds: { alioss: NO_DELETE }, expect: /could not be deleted.*(AccessDenied|permission|DeleteObject)/is },
      { name: 'no-keys', creds: {}, expect: /could not be deleted: .*(credential|key|set up)/i },
    ];
    for (const c of cases) {
      const profile = join(dir, c.name);
      const key = `scandesk-tmp/2026-12-05/${c.name}.png`;
      const journal = leftBehind(profile, key);
      const registry = createEngineRegistry({
        settings: new VendorSettingsStore(vendorSettingsPath(join(profile, 'scandesk.db')), {}),
        credentials: staticCredentials(c.creds),
        dataDir: profile,
        include: ['alioss'],
        retry: { maxAttempts: 1 },
      });
      const sent: string[] = [];
      const notices = new StartupNotices((_engine, message) => sent.push(message));
      await sweepInBackground(registry, profile, notices, () => undefined);
      expect(sent, c.name).toHaveLength(1);
      expect(sent[0], c.name).toMatch(c.expect);
      expect(sent[0]).not.toContain(NO_DELETE.accessKeySecret);
      // Still there, still written down: tried again next time.
      expect(emu.objects.has(key), c.name).toBe(true);
      expect(existsSync(journal), c.name).toBe(true);

      const service = await openScanService({ dbPath: join(profile, 'scandesk.db') });
      try {
        const handlers = createHandlers(service, {
          transport: 'browser',
          app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: profile },
          settings: fileSettingsStore(join(profile, 'settings.json')),
          dialogs: unavailableDialogs(),
          exports: { handles: new ExportHandles(), remembered: new RememberedFolder(join(profile, 'export-folder.json'), () => profile) },
          startupNotices: notices,
        });
        const info = await handlers['app.info']({});
        expect(info.ok && info.value.notices).toEqual(sent);
      } finally {
        await service.close();
        await registry.close();
      }
    }
  }, 60_000);
});
