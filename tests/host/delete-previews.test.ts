import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/host';
import { SAMPLES } from '../fixtures/samples';
import { getBytes, openWs, sessionCookie, WsClient } from './helpers';

/**
 * Issue 12 item 7: previews are pictures of personal documents. Deleting a batch through the
 * browser host deletes its previews and thumbnails from the media cache (disk and memory);
 * another batch's stay.
 */
let dir: string;
let host: RunningHost;
let client: WsClient;
let cookie: string;
const cacheDir = () => join(dir, 'cache', 'media');

async function batchOf(folder: string, files: Record<string, string>): Promise<{ batchId: number; itemIds: number[] }> {
  mkdirSync(folder, { recursive: true });
  for (const [to, from] of Object.entries(files)) copyFileSync(join(SAMPLES, from), join(folder, to));
  const created = await client.invoke('batches.create', { paths: [folder], plan: { engine: 'local', task: 'codes' } });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const batchId = (created.value as { batch: { id: number } }).batch.id;
  await host.service.whenSettled(batchId);
  const listed = await client.invoke('items.list', { batchId });
  return { batchId, itemIds: (listed.value as { items: Array<{ id: number }> }).items.map((i) => i.id) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-delete-previews-'));
  host = await startHost({ dbPath: join(dir, 'profile.db'), rendererDir: join(dir, 'no-renderer') });
  cookie = await sessionCookie(host);
  const opened = await openWs(host.port, { origin: `http://127.0.0.1:${host.port}`, cookie });
  if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
  client = new WsClient(opened.ws);
}, 60_000);

afterAll(async () => {
  client?.ws.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deleting a batch', () => {
  it('deletes its previews and thumbnails; another batch keeps its own', async () => {
    const gone = await batchOf(join(dir, 'a'), { 'one.png': 'zxing/qrcode-2/1.png', 'two.png': 'zxing/qrcode-2/2.png' });
    const kept = await batchOf(join(dir, 'b'), { 'three.png': 'zxing/qrcode-2/10.png' });
    for (const id of [...gone.itemIds, ...kept.itemIds]) {
      for (const kind of ['preview', 'thumb']) expect((await getBytes(host.port, `/media/${kind}/${id}`, { cookie })).status).toBe(200);
    }
    expect(readdirSync(cacheDir()).filter((f) => f.endsWith('.webp'))).toHaveLength(6);

    expect(await client.invoke('batches.delete', { batchId: gone.batchId })).toEqual({ ok: true, value: { batchId: gone.batchId } });
    expect(readdirSync(cacheDir()).filter((f) => f.endsWith('.webp'))).toHaveLength(2);
    for (const id of gone.itemIds) expect((await getBytes(host.port, `/media/thumb/${id}`, { cookie })).status).toBe(404);
    // The other batch's images are still served from the cache (no new file was made for them).
    for (const kind of ['preview', 'thumb']) expect((await getBytes(host.port, `/media/${kind}/${kept.itemIds[0]}`, { cookie })).status).toBe(200);
    expect(readdirSync(cacheDir()).filter((f) => f.endsWith('.webp'))).toHaveLength(2);
  }, 120_000);
});
