import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { GatedEngine } from '../queue/support/wrappers';

const tmp = tempDir('svc-shared-decode');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const plan = { engine: 'local', task: 'codes' } as const;

/**
 * Issue 12 item 6: two batches with the same page share one decode in flight. Deleting the
 * batch whose job started that decode cancels it; the other batch's page is not that
 * batch's failure: it decodes the page itself and ends done.
 */
describe('batches do not harm each other', () => {
  it('deleting the batch that started a shared decode leaves the other batch to decode the page itself', async () => {
    const engine = new GatedEngine(realEngine());
    const svc = await openScanService({ dbPath: join(tmp.dir, 'shared.sqlite'), engines: [engine], intake: realIntake });
    const page = sampleImages('zxing/qrcode-2', 1);
    const first = (await svc.createBatch({ paths: page, plan })).batch;
    expect(engine.started).toBe(1);
    const second = (await svc.createBatch({ paths: page, plan })).batch;
    // The second batch's page joined the first one's call: nothing new reached the engine.
    expect(engine.started).toBe(1);
    await svc.deleteBatch(first.id);
    engine.release();
    const done = await svc.whenSettled(second.id);
    expect(done).toMatchObject({ status: 'done', counts: { done: 1, failed: 0 } });
    const item = (await svc.listItems(second.id)).items[0]!;
    expect(item.error).toBeNull();
    expect(item.detectionCount).toBeGreaterThan(0);
    await svc.close();
  });
});
