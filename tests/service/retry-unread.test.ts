import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';

const tmp = tempDir('svc-unread');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

describe('retryFailed on pages intake could not read', () => {
  it('reads them again: a restored file is decoded, a still-missing one keeps failing', async () => {
    const [image] = sampleImages('zxing/qrcode-2', 1) as [string];
    const restored = join(tmp.dir, 'restored.png');
    const stillMissing = join(tmp.dir, 'still-missing.png');
    const svc = await openScanService({ dbPath: join(tmp.dir, 'u.sqlite'), engines: [realEngine()], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [image, restored, stillMissing], plan: { engine: 'local', task: 'codes' } });
    const first = await svc.whenSettled(batch.id);
    expect(first.counts).toMatchObject({ done: 1, failed: 2 });
    expect((await svc.listItems(batch.id, { filter: 'errors' })).items.map((i) => [i.path, i.error?.code])).toEqual([
      [restored, 'FILE_NOT_FOUND'],
      [stillMissing, 'FILE_NOT_FOUND'],
    ]);

    copyFileSync(image, restored);
    const again = await svc.retryFailed(batch.id);
    expect(again.status).toBe('running');
    const s = await svc.whenSettled(batch.id);
    expect(s).toMatchObject({ status: 'done', counts: { done: 2, failed: 1 } });
    const items = (await svc.listItems(batch.id)).items;
    const r = await svc.getItem(items.find((i) => i.path === restored)!.id);
    expect(r.status).toBe('done');
    expect(r.error).toBeNull();
    expect(r.detections.map((d) => d.text)).toEqual((await svc.getItem(items[0]!.id)).detections.map((d) => d.text));
    expect(items.find((i) => i.path === stillMissing)).toMatchObject({ status: 'failed', error: { code: 'FILE_NOT_FOUND' } });
    await svc.close();
  });
});
