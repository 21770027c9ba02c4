import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, type ExportDone } from '../../shared/contract';
import { startHost, type RunningHost } from '../../electron/host';
import { SAMPLES } from '../fixtures/samples';
import { get, getBytes, openWs, sessionCookie, WsClient } from './helpers';

/**
 * Exports through the browser host, as its renderer asks for them (issue 12 "Exports go where
 * the user chose", issue 9's export items): a download fetched once, or a new file in an
 * existing folder of this computer; never a path the renderer names, never a folder created
 * on the side, never over an existing file; the folder proposed is a visible one, then the one
 * used last; "Open folder" opens it; every format counts the same pages and codes.
 */
let dir: string;
let home: string;
let host: RunningHost;
let client: WsClient;
let cookie: string;
let batchId: number;
const savedEnv = { HOME: process.env.HOME, PATH: process.env.PATH };

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await client.invoke(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error!.message), { code: r.error!.code });
  const parsed = requests[name as keyof typeof requests].output.safeParse(r.value);
  expect(parsed.success, `${name} answer matches the contract`).toBe(true);
  return r.value as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-host-exports-'));
  // A home with a Documents folder (the visible default), and a file manager that only notes
  // what it was asked to open.
  home = join(dir, 'home');
  mkdirSync(join(home, 'Documents'), { recursive: true });
  process.env.HOME = home;
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" >> "${join(dir, 'opened.txt')}"\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  process.env.PATH = `${bin}${delimiter}${process.env.PATH}`;

  host = await startHost({ dbPath: join(dir, 'profile', 'scandesk.db'), rendererDir: join(dir, 'no-renderer') });
  cookie = await sessionCookie(host);
  const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie });
  if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
  client = new WsClient(opened.ws);
  const pages = join(dir, 'pages');
  mkdirSync(pages);
  for (const f of ['1.png', '10.png', '12.png']) writeFileSync(join(pages, f), readFileSync(join(SAMPLES, 'zxing/qrcode-2', f)));
  writeFileSync(join(pages, 'blank.png'), readFileSync(join(SAMPLES, 'zxing-cpp/falsepositives-1/#245.png')));
  const created = await call<{ batch: { id: number } }>('batches.create', { paths: [pages], name: '三月发票 March', plan: { engine: 'local', task: 'codes' } });
  batchId = created.batch.id;
  await host.service.whenSettled(batchId);
}, 120_000);

afterAll(async () => {
  client?.ws.close();
  await host?.close();
  process.env.HOME = savedEnv.HOME;
  process.env.PATH = savedEnv.PATH;
  rmSync(dir, { recursive: true, force: true });
});

describe('exports from the browser host', () => {
  it('offers a download or a folder, proposing Documents (visible), not a hidden folder of the profile', async () => {
    expect(await call('export.defaults', {})).toEqual({ destinations: ['folder', 'download'], folder: join(home, 'Documents') });
  });

  it('refuses a path named by the renderer, a missing folder (creating nothing), a network folder, a save-dialog handle', async () => {
    const refused = async (input: unknown) => {
      const r = await client.invoke('export.run', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      return r.error!;
    };
    expect((await refused({ batchId, format: 'csv', path: join(dir, 'evil.bat') })).code).toBe('INVALID_INPUT');
    const missing = join(dir, 'nonexistent', 'exports');
    const e = await refused({ batchId, format: 'csv', to: { kind: 'folder', folder: missing } });
    expect(e.message).toBe(`The folder ${missing} does not exist. Create it first, or choose another folder.`);
    expect(existsSync(join(dir, 'nonexistent'))).toBe(false);
    expect((await refused({ batchId, format: 'csv', to: { kind: 'folder', folder: '\\\\attacker\\share' } })).message).toMatch(/network path/);
    expect((await refused({ batchId, format: 'csv', to: { kind: 'dialog', handle: 'A'.repeat(32) } })).message).toMatch(/no save dialog here/);
    expect(await call('export.withDialog', { batchId, format: 'csv' })).toMatchObject({ status: 'unavailable' });
    expect(await call('dialogs.saveExport', { batchId, format: 'csv' })).toMatchObject({ status: 'unavailable' });
  });

  it('writes a new file named after the batch in the folder, counts alike in every format, never replaces a file', async () => {
    const folder = join(home, 'Documents');
    const results: ExportDone[] = [];
    for (const format of ['xlsx', 'csv', 'json'] as const) {
      results.push(await call<ExportDone>('export.run', { batchId, format, to: { kind: 'folder', folder } }));
    }
    for (const r of results) {
      expect(r.path!.startsWith(`${folder}/三月发票 March-${batchId}-`)).toBe(true);
      expect(existsSync(r.path!)).toBe(true);
      expect(r.downloadUrl).toBeNull();
    }
    // 4 pages, 3 codes, whatever the format (XLSX used to say 3 "rows" where CSV said 4).
    expect(results.map((r) => [r.pages, r.codes])).toEqual([
      [4, 3],
      [4, 3],
      [4, 3],
    ]);
    // Exported again into a folder holding the first one, which the user has edited: a new file
    // ("name (2).csv" when it is the same second), the edited one untouched.
    const taken = join(folder, 'taken');
    mkdirSync(taken);
    const first = await call<ExportDone>('export.run', { batchId, format: 'csv', to: { kind: 'folder', folder: taken } });
    writeFileSync(first.path!, 'the user edited this');
    const second = await call<ExportDone>('export.run', { batchId, format: 'csv', to: { kind: 'folder', folder: taken } });
    expect(second.path).not.toBe(first.path);
    expect(readFileSync(first.path!, 'utf8')).toBe('the user edited this');
    expect(readdirSync(taken).sort()).toEqual([first.name, second.name].sort());
  });

  it('remembers the folder used last', async () => {
    const other = join(dir, 'elsewhere');
    mkdirSync(other);
    await call('export.run', { batchId, format: 'json', to: { kind: 'folder', folder: other } });
    expect((await call<{ folder: string }>('export.defaults', {})).folder).toBe(other);
    rmSync(other, { recursive: true });
    // Gone since: the visible default again.
    expect((await call<{ folder: string }>('export.defaults', {})).folder).toBe(join(home, 'Documents'));
  });

  it('"Open folder" opens the folder of an export it wrote, and nothing else', async () => {
    const r = await call<ExportDone>('export.run', { batchId, format: 'csv', to: { kind: 'folder', folder: join(home, 'Documents') } });
    expect(r.revealId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await call('export.reveal', { revealId: r.revealId })).toEqual({ revealed: true });
    await expect.poll(() => (existsSync(join(dir, 'opened.txt')) ? readFileSync(join(dir, 'opened.txt'), 'utf8') : '')).toBe(`${join(home, 'Documents')}\n`);
    expect(await client.invoke('export.reveal', { revealId: 'AAAAAAAAAAAAAAAA' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a download is sent once, as an attachment, to the session only, and leaves nothing behind', async () => {
    const r = await call<ExportDone>('export.run', { batchId, format: 'csv', to: { kind: 'download' } });
    expect(r).toMatchObject({ path: null, revealId: null, pages: 4, codes: 3 });
    expect(r.name).toMatch(new RegExp(`^三月发票 March-${batchId}-\\d{8}-\\d{6}\\.csv$`));
    expect(r.downloadUrl).toMatch(/^\/downloads\/[A-Za-z0-9_-]{32}$/);
    expect((await get(host.port, r.downloadUrl!)).status).toBe(401); // no session, no file
    const d = await getBytes(host.port, r.downloadUrl!, { cookie });
    expect(d.status).toBe(200);
    expect(d.type).toBe('text/csv; charset=utf-8');
    const text = d.data.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toContain('batch,file,page');
    const raw = await get(host.port, r.downloadUrl!, { cookie });
    expect(raw.status).toBe(404); // once
    expect(readdirSync(join(dir, 'profile', 'cache', 'downloads'))).toEqual([]);
  });

  it('a download answers with an attachment header and nosniff', async () => {
    const r = await call<ExportDone>('export.run', { batchId, format: 'xlsx', to: { kind: 'download' } });
    const d = await get(host.port, r.downloadUrl!, { cookie });
    expect(d.headers['content-disposition']).toBe(
      `attachment; filename="____ March-${batchId}-${r.name.slice(-20, -5)}.xlsx"; filename*=UTF-8''${encodeURIComponent(r.name)}`,
    );
    expect(d.headers['x-content-type-options']).toBe('nosniff');
    expect(d.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(basename(r.name)).toBe(r.name);
  });
});
