import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';

const tmp = tempDir('svc-export');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

describe('exportBatch', () => {
  it('streams the stored batch (statuses, errors, detections, reviews) through the export writer', async () => {
    const images = sampleImages('zxing/qrcode-2', 4);
    const missing = join(tmp.dir, 'gone.png');
    const svc = await openScanService({ dbPath: join(tmp.dir, 'e.sqlite'), engines: [realEngine()], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [...images, missing], plan: { engine: 'local', task: 'codes' } });
    await svc.whenSettled(batch.id);
    const items = (await svc.listItems(batch.id)).items;
    const withCode = items.find((i) => i.detectionCount > 0)!;
    const det = (await svc.getItem(withCode.id)).detections[0]!;
    await svc.reviewDetection(det.id, { review: 'accepted', correctedText: 'CORRECTED VALUE' });

    const out = join(tmp.dir, 'out.json');
    const r = await svc.exportBatch({ batchId: batch.id, format: 'json', path: out });
    expect(r).toEqual({ path: out, pages: 5, codes: items.reduce((n, i) => n + i.detectionCount, 0) });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { items: Array<{ path: string; status: string; error: { code: string } | null; detections: Array<{ text: string; value: string; review: string }> }> };
    expect(json.items.map((i) => i.path)).toEqual(items.map((i) => i.path));
    expect(json.items.at(-1)).toMatchObject({ path: missing, status: 'failed', error: { code: 'FILE_NOT_FOUND' } });
    const exported = json.items.find((i) => i.path === withCode.path)!;
    expect(exported.detections).toHaveLength(withCode.detectionCount);
    expect(exported.detections[0]).toMatchObject({ text: det.text, value: 'CORRECTED VALUE', review: 'accepted' });

    const accepted = join(tmp.dir, 'accepted.json');
    await svc.exportBatch({ batchId: batch.id, format: 'json', path: accepted, acceptedOnly: true });
    const acc = JSON.parse(readFileSync(accepted, 'utf8')) as typeof json;
    expect(acc.items.flatMap((i) => i.detections)).toHaveLength(1);

    await expect(svc.exportBatch({ batchId: 999, format: 'json', path: join(tmp.dir, 'x.json') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await svc.close();
  });
});
