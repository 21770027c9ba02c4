import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundingBox } from '../../shared/geometry';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SAMPLES } from '../fixtures/samples';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { tempDir } from '../queue/support/tmp';

/**
 * "Read this box" (issue 9): a reviewer draws a box on a page and the local decoder reads that
 * region at full resolution in its worker pool. A real page made of two real samples side by
 * side (an EAN-13 on the left, a DataMatrix on the right, blank below): a box around each reads
 * that code and not the other, positions in page pixels inside the box; a blank box reads
 * nothing; a box off the page is refused.
 */
const tmp = tempDir('svc-region');
let svc: ScanService;
let itemId: number;
const EAN = { left: 40, top: 40 };
const DM = { left: 1000, top: 40 };
let eanSize: { width: number; height: number };
let dmSize: { width: number; height: number };

beforeAll(async () => {
  const ean = join(SAMPLES, 'zxing/ean13-1/1.png');
  const dm = join(SAMPLES, 'zxing/datamatrix-1/C40.png');
  const m1 = await sharp(ean).metadata();
  const m2 = await sharp(dm).metadata();
  eanSize = { width: m1.width!, height: m1.height! };
  dmSize = { width: m2.width!, height: m2.height! };
  expect(eanSize.width + EAN.left).toBeLessThan(DM.left);
  const folder = join(tmp.dir, 'in');
  mkdirSync(folder);
  const page = join(folder, 'two-codes.png');
  await sharp({ create: { width: 1600, height: 1400, channels: 3, background: '#ffffff' } })
    .composite([
      { input: ean, ...EAN },
      { input: dm, ...DM },
    ])
    .png()
    .toFile(page);
  svc = await openScanService({ dbPath: join(tmp.dir, 'r.sqlite'), engines: [realEngine()], intake: realIntake });
  const { batch } = await svc.createBatch({ paths: [page], plan: { engine: 'local', task: 'codes' } });
  await svc.whenSettled(batch.id);
  itemId = (await svc.listItems(batch.id)).items[0]!.id;
}, 120_000);

afterAll(async () => {
  await svc?.close();
  await closeRealEngines();
  tmp.cleanup();
});

const inside = (g: Parameters<typeof boundingBox>[0], box: { left: number; top: number; width: number; height: number }) => {
  const b = boundingBox(g)!;
  return b.left >= box.left - 2 && b.top >= box.top - 2 && b.left + b.width <= box.left + box.width + 2 && b.top + b.height <= box.top + box.height + 2;
};

describe('reading a box drawn on a page', { timeout: 120_000 }, () => {
  it('reads the code inside the box, and only that one, in page pixels', async () => {
    const eanBox = { ...EAN, ...eanSize };
    const ean = await svc.readRegion(itemId, eanBox);
    expect(ean.map((c) => [c.symbology, c.text])).toEqual([['EAN-13', '8413000065504']]);
    expect(inside(ean[0]!.geometry, eanBox)).toBe(true);

    const dmBox = { ...DM, ...dmSize };
    const dm = await svc.readRegion(itemId, dmBox);
    expect(dm.map((c) => [c.symbology, c.text])).toEqual([['DataMatrix', 'Testing C40']]);
    expect(inside(dm[0]!.geometry, dmBox)).toBe(true);
  });

  it('reads nothing in a blank box, and refuses a box off the page or an unknown page', async () => {
    expect(await svc.readRegion(itemId, { left: 200, top: 900, width: 400, height: 300 })).toEqual([]);
    await expect(svc.readRegion(itemId, { left: 1500, top: 0, width: 400, height: 100 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(svc.readRegion(999_999, { left: 0, top: 0, width: 10, height: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
