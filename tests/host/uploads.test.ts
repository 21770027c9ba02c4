/**
 * The browser host's uploads (files a browser drops or picks, which have no path): only from
 * the host's own page, streamed into the profile's uploads folder under the names sent, and
 * refused with a clear reason past the limits or with names that could leave the folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../electron/host';
import { UPLOAD_LIMITS, safeUploadParts, uploadUrl } from '../../shared/uploads';

let dir: string;
let host: RunningHost;
/** The session cookie a browser gets for the host's one-time address. */
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-uploads-'));
  host = await startHost({ dbPath: join(dir, 'profile.db'), port: 0, log: () => {} });
  const res = await fetch(host.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/=/);
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw POST (node:http, so a Content-Length can claim more than is sent). */
function post(path: string, body: Buffer, headers: Record<string, string | number> = {}): Promise<{ status: number; json: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, host.origin);
    const req = request(
      url,
      {
        method: 'POST',
        // A fresh connection each time: the size-limit test leaves its socket closed by the host.
        agent: false,
        headers: { Cookie: cookie, Origin: host.origin, 'Content-Length': body.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, string>;
          try {
            json = JSON.parse(text) as Record<string, string>;
          } catch {
            json = { text };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser host uploads', () => {
  it('stores a file under the profile, keeping its folder, and never overwrites one of the same name', async () => {
    const png = readFileSync(join(__dirname, '../fixtures/qr-b.bmp'));
    const a = await post(uploadUrl('session-0001', 'March/scan 1.bmp'), png);
    expect(a.status).toBe(200);
    expect(a.json.folder).toBe(join(dir, 'uploads', 'session-0001'));
    expect(a.json.path).toBe(join(dir, 'uploads', 'session-0001', 'March', 'scan 1.bmp'));
    expect(readFileSync(a.json.path!)).toEqual(png);
    const b = await post(uploadUrl('session-0001', 'March/scan 1.bmp'), Buffer.from('other'));
    expect(b.json.path).toBe(join(dir, 'uploads', 'session-0001', 'March', 'scan 1 (2).bmp'));
    expect(readFileSync(a.json.path!)).toEqual(png);
  });

  it('refuses names that would leave the folder, another origin, and no token', async () => {
    for (const bad of ['../escape.png', 'a/../../escape.png', '..', 'x\u0000.png']) {
      const r = await post(`/upload/session-0002/${bad.split('/').map(encodeURIComponent).join('/')}`, Buffer.from('x'));
      expect(r.status, bad).toBe(400);
    }
    expect(existsSync(join(dir, 'uploads', 'escape.png'))).toBe(false);
    expect(existsSync(join(dir, 'escape.png'))).toBe(false);
    expect((await post(uploadUrl('session-0002', 'a.png'), Buffer.from('x'), { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(uploadUrl('session-0002', 'a.png'), Buffer.from('x'), { Cookie: 'scandesk_1=nope' })).status).toBe(401);
    expect((await post('/upload/x/a.png', Buffer.from('x'))).status).toBe(400);
    expect(existsSync(join(dir, 'uploads', 'session-0002'))).toBe(false);
  });

  it('refuses a file over the size limit before reading it, and one cut short, leaving nothing behind', async () => {
    const big = await post(uploadUrl('session-0003', 'huge.pdf'), Buffer.alloc(0), { 'Content-Length': UPLOAD_LIMITS.maxFileBytes + 1 }).catch((e: unknown) => ({ status: -1, json: { error: String(e) } }));
    // The host answers 413 at once (the client may see the socket close as it stops sending).
    expect([413, -1]).toContain(big.status);
    if (big.status === 413) expect(big.json.error).toMatch(/over the 512 MB limit/);
    const folder = join(dir, 'uploads', 'session-0003');
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  it('keeps a long Chinese name within what the file system takes, with its extension (was refused)', async () => {
    const png = readFileSync(join(__dirname, '../fixtures/qr-b.bmp'));
    // 84 CJK characters: 252 bytes + ".bmp" = 256, over ext4's 255 (and ".partial" on top).
    const long = `${'发票扫描件'.repeat(17).slice(0, 84)}.bmp`;
    const r = await post(uploadUrl('session-0004', `长文件名/${long}`), png);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const name = r.json.path!.split('/').pop()!;
    expect(name.endsWith('.bmp')).toBe(true);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(UPLOAD_LIMITS.maxNameBytes);
    expect(long.startsWith(name.slice(0, -4))).toBe(true);
    expect(readFileSync(r.json.path!)).toEqual(png);
    // The same name again is numbered, still within the limit.
    const again = await post(uploadUrl('session-0004', `长文件名/${long}`), png);
    expect(again.status).toBe(200);
    expect(again.json.path).not.toBe(r.json.path);
    expect(Buffer.byteLength(again.json.path!.split('/').pop()!, 'utf8')).toBeLessThanOrEqual(255);
  });

  it('makes names safe for every file system', () => {
    expect(safeUploadParts('a/b:c?.png')).toEqual(['a', 'b_c_.png']);
    expect(safeUploadParts('dir\\name.png')).toEqual(['dir', 'name.png']);
    expect(safeUploadParts('trailing. ')).toEqual(['trailing_']);
    expect(safeUploadParts('')).toBeNull();
    expect(safeUploadParts('a/./b')).toBeNull();
    // Cut by UTF-8 bytes between whole characters, the extension kept.
    const [cut] = safeUploadParts(`${'😀'.repeat(70)}.jpeg`)!;
    expect(cut).toBe(`${'😀'.repeat(58)}.jpeg`); // 58 x 4 + 5 = 237 bytes <= 240
  });
});
