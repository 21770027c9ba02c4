import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, isRequestName, requests } from '../../shared/contract';
import { startHost, type RunningHost } from '../../electron/host';
import { get, getBytes, openWs, sessionCookie, WsClient } from './helpers';
import { SAMPLES as SAMPLES_ROOT } from '../fixtures/samples';

/**
 * A whole batch through the browser host, the way the browser UI drives it: the host opens the
 * real service (default engines) on a temporary profile; a real QR photo is scanned, progress
 * events arrive over the WebSocket, the preview route serves an oriented WebP of the page, and
 * an export lands in the profile's exports folder.
 */
const SAMPLES = join(SAMPLES_ROOT, 'zxing/qrcode-2');
const sample = join(SAMPLES, '1.png');
const expected = readFileSync(join(SAMPLES, '1.txt'), 'utf8');

let dir: string;
let host: RunningHost;
let client: WsClient;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-hostflow-'));
  host = await startHost({ dbPath: join(dir, 'profile.db'), rendererDir: join(dir, 'no-renderer') });
  cookie = await sessionCookie(host);
  const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie });
  if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
  client = new WsClient(opened.ws);
});

afterAll(async () => {
  client?.ws.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a batch through the browser host', () => {
  let batchId = 0;
  let itemId = 0;

  it('creates a batch by path and reports progress until it is done', async () => {
    const created = await client.invoke('batches.create', { paths: [sample, join(dir, 'missing.png')], plan: { engine: 'local', task: 'codes' } });
    expect(created.ok, JSON.stringify(created.error)).toBe(true);
    batchId = (created.value as { batch: { id: number } }).batch.id;
    expect(await client.waitForEvent('batches.changed')).toEqual({});
    for (let i = 0; i < 600; i++) {
      const done = client.events.some((e) => e.name === 'batch.progress' && (e.payload as { batchId: number; status: string }).batchId === batchId && (e.payload as { status: string }).status === 'done');
      if (done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const last = client.events.filter((e) => e.name === 'batch.progress').at(-1)?.payload as { status: string; counts: { total: number; done: number; failed: number } };
    expect(last.status).toBe('done');
    expect(last.counts.total).toBe(2);
    expect(last.counts.failed).toBe(1); // the missing file is its own item, with its own error
  });

  it('lists the items and the decoded code, with the failure reason for the missing file', async () => {
    const listed = await client.invoke('items.list', { batchId });
    const items = (listed.value as { items: Array<{ id: number; path: string; status: string; error: { code: string } | null }> }).items;
    const ok = items.find((i) => i.path === sample);
    const missing = items.find((i) => i.path.endsWith('missing.png'));
    expect(ok?.status).toBe('done');
    expect(missing?.error?.code).toBe('FILE_NOT_FOUND');
    itemId = ok?.id ?? 0;
    const detail = await client.invoke('items.get', { itemId });
    const texts = (detail.value as { detections: Array<{ text: string }> }).detections.map((d) => d.text);
    expect(texts).toContain(expected);

    const filtered = await client.invoke('items.list', { batchId, filter: 'errors' });
    expect((filtered.value as { total: number }).total).toBe(1);
  });

  it('serves the page preview and thumbnail as WebP by item id, oriented and bounded', async () => {
    const meta = await sharp(sample).metadata();
    const preview = await getBytes(host.port, `/media/preview/${itemId}`, { cookie });
    expect(preview.status).toBe(200);
    expect(preview.type).toBe('image/webp');
    const p = await sharp(preview.data).metadata();
    expect(p.format).toBe('webp');
    expect(Math.max(p.width ?? 0, p.height ?? 0)).toBeLessThanOrEqual(2048);
    expect((p.width ?? 0) / (p.height ?? 1)).toBeCloseTo((meta.width ?? 0) / (meta.height ?? 1), 1);
    const thumb = await getBytes(host.port, `/media/thumb/${itemId}`, { cookie });
    const t = await sharp(thumb.data).metadata();
    expect(Math.max(t.width ?? 0, t.height ?? 0)).toBeLessThanOrEqual(256);
    // Without the cookie: refused.
    expect((await get(host.port, `/media/thumb/${itemId}`)).status).toBe(401);
  });

  it('exports as a new file in an existing folder, never to a path the renderer names', async () => {
    const r = await client.invoke('export.run', { batchId, format: 'csv', to: { kind: 'folder', folder: dir } });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const out = r.value as { path: string; pages: number; codes: number };
    expect(out.path.startsWith(dir) && out.path.endsWith('.csv')).toBe(true);
    // CSV doubles quotes, so compare a quote-free stretch of the payload.
    const snippet = expected.split('"').sort((a, b) => b.length - a.length)[0]?.slice(0, 80) ?? '';
    expect(snippet.length).toBeGreaterThan(20);
    expect(readFileSync(out.path, 'utf8')).toContain(snippet);
    expect(out.codes).toBeGreaterThanOrEqual(1);

    // The old shape (a file path from the renderer) is refused by the contract.
    const target = join(dir, 'chosen.json');
    expect(await client.invoke('export.run', { batchId, format: 'json', path: target })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(existsSync(target)).toBe(false);

    // The dialog-backed variant has no dialog in a browser.
    expect(await client.invoke('export.withDialog', { batchId, format: 'csv' })).toMatchObject({ ok: true, value: { status: 'unavailable' } });
  });

  it('every answer and event the real service produced matches the contract schemas', () => {
    expect(client.calls.length).toBeGreaterThanOrEqual(7);
    for (const { name, result } of client.calls) {
      if (!result.ok || !isRequestName(name)) continue;
      const parsed = requests[name].output.safeParse(result.value);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
    }
    expect(client.events.length).toBeGreaterThan(0);
    for (const e of client.events) {
      const schema = events[e.name as keyof typeof events];
      expect(schema, e.name).toBeDefined();
      const parsed = schema.safeParse(e.payload);
      expect(parsed.success, `${e.name}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('reviews a detection and deletes the batch', async () => {
    const detail = await client.invoke('items.get', { itemId });
    const det = (detail.value as { detections: Array<{ id: number }> }).detections[0];
    const reviewed = await client.invoke('detections.review', { detectionId: det?.id, review: 'accepted', correctedText: 'fixed' });
    expect(reviewed).toMatchObject({ ok: true, value: { review: 'accepted', correctedText: 'fixed' } });
    expect(await client.invoke('batches.delete', { batchId })).toEqual({ ok: true, value: { batchId } });
    expect(await client.invoke('batches.get', { batchId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
