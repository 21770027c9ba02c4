import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProfile } from '../../electron/core/profile';
import { blobPath } from '../../electron/core/queue/blobs';
import { startHost, type RunningHost } from '../../electron/host';
import { startPostgres, type PgCluster } from '../support/postgres';
import { Z } from '../fixtures/samples';
import { getBytes, okValue as ok, openWs, sessionCookie, WsClient } from './helpers';

/**
 * Issue 7, "Files every worker can read": a desk showing a shared queue's batch draws its
 * previews and thumbnails from the queue's blob store, checking each copy's sha256, never from
 * the path the file was submitted with (another machine has no such path). On a real
 * PostgreSQL: a station submits and decodes a batch, then its originals are moved away; the
 * browser host opens the queue through Settings → Shared queue and serves every page's
 * thumbnail and preview; a damaged copy answers an error, never another picture.
 */
let dir: string;
let pgc: PgCluster;
let host: RunningHost;
let client: WsClient;
let cookie: string;
const FILES = { 'one.png': 'qrcode-2/1.png', 'two.png': 'qrcode-2/2.png', 'three.png': 'ean13-1/1.png' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-shared-media-'));
  pgc = await startPostgres();
}, 60_000);

afterAll(async () => {
  client?.ws.close();
  await host?.close();
  await pgc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a desk showing a shared queue', () => {
  it('draws previews and thumbnails from the blob store after the originals moved, and refuses a damaged copy', async () => {
    const url = await pgc.createDatabase();
    const blobs = join(dir, 'blobs');
    const mailroom = join(dir, 'mailroom');
    mkdirSync(mailroom);
    for (const [to, from] of Object.entries(FILES)) copyFileSync(Z + from, join(mailroom, to));
    const station = await openProfile({ dbPath: join(dir, 'station', 'profile.db'), queue: url, blobs, engines: { include: ['local'], localJobs: 1 } });
    try {
      const { batch } = await station.service.createBatch({ paths: [mailroom], name: 'Mailroom', plan: { engine: 'local', task: 'codes' } });
      expect((await station.service.whenSettled(batch.id)).status).toBe('done');
    } finally {
      await station.close();
    }
    // The station's files go elsewhere (archived, or on another machine): only the copies stay.
    const moved = join(dir, 'archived');
    renameSync(mailroom, moved);

    host = await startHost({ dbPath: join(dir, 'desk', 'profile.db'), rendererDir: join(dir, 'no-renderer') });
    cookie = await sessionCookie(host);
    const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie });
    if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
    client = new WsClient(opened.ws);
    await ok(client.invoke('sharedQueue.save', { url, blobs }));
    await expect.poll(async () => (await ok<{ state: string }>(client.invoke('sharedQueue.status', {}))).state, { timeout: 30_000 }).toBe('connected');
    await ok(client.invoke('sharedQueue.show', { source: 'shared' }));
    const [shared] = await ok<Array<{ id: number; name: string }>>(client.invoke('batches.list', {}));
    expect(shared?.name).toBe('Mailroom');
    const { items } = await ok<{ items: Array<{ id: number; path: string }> }>(client.invoke('items.list', { batchId: shared!.id }));
    expect(items.map((i) => i.path).sort()).toEqual(Object.keys(FILES).map((f) => join(mailroom, f)).sort());
    const byName = new Map(items.map((i) => [i.path.slice(mailroom.length + 1), i.id]));

    // Every page is drawn from its copy: the picture of the file that was submitted, at its size.
    for (const [name] of Object.entries(FILES)) {
      const id = byName.get(name)!;
      const original = await sharp(join(moved, name)).metadata();
      const thumb = await getBytes(host.port, `/media/thumb/${id}?from=shared`, { cookie });
      expect(thumb.status, thumb.data.toString()).toBe(200);
      expect(thumb.type).toBe('image/webp');
      const t = await sharp(thumb.data).metadata();
      expect(Math.max(t.width!, t.height!)).toBe(Math.min(256, Math.max(original.width!, original.height!)));
      expect(Math.sign(t.width! - t.height!)).toBe(Math.sign(original.width! - original.height!));
    }
    const firstId = byName.get('one.png')!;
    const preview = await getBytes(host.port, `/media/preview/${firstId}?from=shared`, { cookie });
    expect(preview.status, preview.data.toString()).toBe(200);
    const original = await sharp(join(moved, 'one.png')).metadata();
    expect(await sharp(preview.data).metadata()).toMatchObject({ width: original.width, height: original.height });

    // A copy damaged in the blob store (replaced by another real image) is refused by its hash,
    // not shown as if it were the page; a missing copy says where it was looked for.
    const sha = (name: string) => hashOf(join(moved, name));
    writeFileSync(blobPath(blobs, sha('two.png')), readFileSync(Z + 'qrcode-2/10.png'));
    const damaged = await getBytes(host.port, `/media/preview/${byName.get('two.png')}?from=shared`, { cookie });
    expect(damaged.status).toBe(422);
    expect(damaged.data.toString()).toContain('does not hold the bytes that were submitted');
    rmSync(blobPath(blobs, sha('three.png')));
    const missing = await getBytes(host.port, `/media/preview/${byName.get('three.png')}?from=shared`, { cookie });
    expect(missing.status).toBe(404);
    expect(missing.data.toString()).toContain('blob folder');
  }, 240_000);
});

function hashOf(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
