import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaCache, type MediaCache } from '../../electron/core/api';
import { ScanError } from '../../electron/core/errors';
import { answerAppRequest } from '../../electron/main/app-requests';
import { SAMPLES } from '../fixtures/samples';

/**
 * What the desktop app's scandesk: protocol answers (the handler protocol.ts registers), run on
 * web Requests in Node: the renderer build with its CSP, real previews from the media cache,
 * and the security headers on every answer, images included (issue 12: nosniff on media).
 */
let dir: string;
let media: MediaCache;
let rendererDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-app-requests-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ScanDesk</title>');
  media = createMediaCache({
    dir: join(dir, 'cache'),
    lookup: (id) => {
      if (id !== 1) throw new ScanError('NOT_FOUND', `Item ${id} does not exist.`);
      return { path: join(SAMPLES, 'zxing/qrcode-2/1.png'), page: 1 };
    },
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ask = (url: string, init?: RequestInit) => answerAppRequest(new Request(url, init), {
    rendererDir,
    media,
    crops: async (kind, id) => {
      throw new ScanError('NOT_FOUND', `No ${kind} image is kept for detection ${id}.`);
    },
  });

describe('scandesk: protocol', () => {
  it('serves a real thumbnail with nosniff and the other security headers', async () => {
    const r = await ask('scandesk://media/thumb/1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/webp');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const meta = await sharp(Buffer.from(await r.arrayBuffer())).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(256);
  });

  it('answers errors and the app with the same headers', async () => {
    for (const [url, status] of [
      ['scandesk://media/preview/2', 404],
      ['scandesk://media/original/1', 404],
      ['scandesk://media/crop/idcard/1', 404],
      ['scandesk://media/crop/face/1', 404],
      ['scandesk://app/missing.js', 404],
      ['scandesk://other/x', 404],
    ] as const) {
      const r = await ask(url);
      expect(r.status, url).toBe(status);
      expect(r.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
    const page = await ask('scandesk://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await ask('scandesk://app/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });
});
