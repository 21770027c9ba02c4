import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/host';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { get, openWs, sessionCookie, WsClient } from './helpers';

/**
 * The browser host over real sockets: the token, Host and Origin checks, the CSP on served
 * pages, and invoke round trips to a real ScanService on a temporary SQLite file.
 */
let dir: string;
let rendererDir: string;
let service: ScanService;
let host: RunningHost;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-host-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ScanDesk test</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'document.title = "loaded";');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  service = await openScanService({ dbPath: join(dir, 'host.db'), engines: [] });
  host = await startHost({ dbPath: join(dir, 'host.db'), service, rendererDir, port: 0 });
  cookie = await sessionCookie(host);
});

afterAll(async () => {
  await host?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP', () => {
  it('prints a 127.0.0.1 URL carrying a long random token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses requests without a session: no cookie, a wrong token, the address token used as a cookie', async () => {
    expect((await get(host.port, '/')).status).toBe(401);
    expect((await get(host.port, '/?token=wrong')).status).toBe(401);
    // One character off (a different one for sure: the token itself may end in "A").
    const offByOne = `${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}`;
    expect(offByOne).not.toBe(host.token);
    expect((await get(host.port, `/?token=${offByOne}`)).status).toBe(401);
    // The cookie never carries the address token, so a token-valued cookie is nothing.
    expect((await get(host.port, '/', { cookie: `scandesk_${host.port}=${host.token}` })).status).toBe(401);
    // A live session under another port's name does not count.
    expect((await get(host.port, '/', { cookie: cookie.replace(`scandesk_${host.port}=`, 'scandesk_1=') })).status).toBe(401);
    expect((await get(host.port, '/media/preview/1')).status).toBe(401);
  });

  it('spends the printed address once: a separate random session cookie, then the address opens nothing', async () => {
    const r = await get(host.port, `/?token=${host.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^scandesk_${host.port}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const session = setCookie.split(';')[0]!;
    expect(session).not.toContain(host.token);
    expect((await get(host.port, '/', { cookie: session })).status).toBe(200);

    // Used: another browser (no cookie) gets a clear refusal, not a session.
    const again = await get(host.port, `/?token=${host.token}`);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/already been used/);
    expect(again.headers['set-cookie']).toBeUndefined();
    // The browser that used it is just sent on (a reload of the tokened address).
    const reload = await get(host.port, `/?token=${host.token}`, { cookie: session });
    expect([reload.status, reload.headers.location, reload.headers['set-cookie']]).toEqual([303, '/', undefined]);
    // Nor does the token open the WebSocket.
    expect(await openWs(host.port, { origin: `http://127.0.0.1:${host.port}` }, `/ws?token=${host.token}`)).toEqual({ status: 401 });
    // A new address from the host opens a second, different session.
    const second = await sessionCookie(host);
    expect(second).not.toBe(session);
    expect((await get(host.port, '/', { cookie: second })).status).toBe(200);
  });

  it('redirects only within itself: /.//evil.com never becomes Location: //evil.com', async () => {
    for (const path of ['/.//evil.com', '//evil.com/', '/\\evil.com', '/./\\/evil.com/x']) {
      const t = new URL(host.newUrl()).searchParams.get('token')!;
      const r = await get(host.port, `${path}?token=${t}&a=1`);
      expect(r.status, path).toBe(303);
      const location = String(r.headers.location);
      expect(location, path).toMatch(/^\/[^/\\]/);
      expect(new URL(location, `http://127.0.0.1:${host.port}`).host, path).toBe(`127.0.0.1:${host.port}`);
      expect(location, path).toMatch(/\?a=1$/);
    }
  });

  it('refuses Host headers other than its own (DNS rebinding)', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      const r = await get(host.port, '/', { cookie, host: h });
      expect(r.status, h).toBe(421);
    }
    expect((await get(host.port, '/', { cookie, host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('serves the renderer with a strict CSP and security headers', async () => {
    const r = await get(host.port, '/', { cookie });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>ScanDesk test</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`ws://127.0.0.1:${host.port}`);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    const js = await get(host.port, '/assets/app.js', { cookie });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    // Client-side routes fall back to index.html; missing assets do not.
    expect((await get(host.port, '/batches/3', { cookie })).body).toContain('ScanDesk test');
    expect((await get(host.port, '/assets/missing.js', { cookie })).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00', '/%E0%A4%A']) {
      const r = await get(host.port, p, { cookie });
      expect(r.body, p).not.toContain('outside the renderer');
    }
  });

  it('refuses methods other than GET/HEAD', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/', method: 'POST', headers: { cookie } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(status).toBe(405);
  });

  it('media route: unknown item is 404, malformed ids are 404', async () => {
    expect((await get(host.port, '/media/preview/999', { cookie })).status).toBe(404);
    expect((await get(host.port, '/media/preview/-1', { cookie })).status).toBe(404);
    expect((await get(host.port, '/media/preview/abc', { cookie })).status).toBe(404);
    expect((await get(host.port, '/media/original/1', { cookie })).status).toBe(404);
  });
});

describe('WebSocket', () => {
  const origin = () => `http://127.0.0.1:${host.port}`;

  it('refuses a connection without the token, with a wrong one, from a foreign Origin or a bad Host', async () => {
    expect(await openWs(host.port, { origin: origin() })).toEqual({ status: 401 });
    expect(await openWs(host.port, { origin: origin(), cookie: `scandesk_${host.port}=nope` })).toEqual({ status: 401 });
    expect(await openWs(host.port, { origin: 'http://evil.example', cookie })).toEqual({ status: 403 });
    expect(await openWs(host.port, { origin: `http://127.0.0.1:${host.port + 1}`, cookie })).toEqual({ status: 403 });
    expect(await openWs(host.port, { cookie })).toEqual({ status: 403 }); // no Origin at all
    expect(await openWs(host.port, { origin: origin(), cookie, host: 'evil.example' })).toEqual({ status: 421 });
    expect(await openWs(host.port, { origin: origin(), cookie }, '/other')).toEqual({ status: 404 });
  });

  it('round-trips invokes to the real service', async () => {
    const opened = await openWs(host.port, { origin: origin(), cookie });
    if (!('ws' in opened)) throw new Error(`refused: ${opened.status}`);
    const client = new WsClient(opened.ws);
    try {
      expect(await client.invoke('app.info', {})).toMatchObject({ ok: true, value: { transport: 'browser', capabilities: { nativeDialogs: false } } });
      expect(await client.invoke('batches.list', {})).toEqual({ ok: true, value: [] });
      expect(await client.invoke('batches.get', { batchId: 12345 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await client.invoke('dialogs.openFolder', {})).toMatchObject({ ok: true, value: { status: 'unavailable' } });
      const bad = await client.invoke('items.list', { batchId: -3 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(bad.error?.message).toContain('batchId');
      expect(await client.invoke('no.such.request', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      // A message that is not an invoke still gets an answer when it has an id.
      expect(await client.sendRaw({ type: 'invoke', id: 777, name: 'app.info', extra: 1 }, 777)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      // The connection survives all of that.
      expect(await client.invoke('settings.get')).toMatchObject({ ok: true });
    } finally {
      opened.ws.close();
    }
  });

  it('closes on non-JSON input without affecting other clients', async () => {
    const a = await openWs(host.port, { origin: origin(), cookie });
    const b = await openWs(host.port, { origin: origin(), cookie });
    if (!('ws' in a) || !('ws' in b)) throw new Error('refused');
    const closed = new Promise<number>((r) => a.ws.once('close', (code) => r(code)));
    a.ws.send('this is not json');
    expect(await closed).toBe(1003);
    const client = new WsClient(b.ws);
    expect(await client.invoke('batches.list', {})).toEqual({ ok: true, value: [] });
    b.ws.close();
  });
});
