import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntakeResult } from '../../electron/core/intake/types';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';
import { CountingEngine } from '../queue/support/wrappers';

const tmp = tempDir('svc-replaced');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});
const plan = { engine: 'local', task: 'codes' } as const;

/**
 * Scanners overwrite `scan001.jpg`: a file can change between intake (which hashes it) and
 * decoding. The cache must hold the bytes that were decoded, so the new page's codes are never
 * filed under the old bytes' hash (where a later batch with the old bytes would reuse them).
 */
describe('a file replaced between intake and decode', () => {
  it('stores its codes under the bytes that were decoded, not the ones intake hashed', async () => {
    const [a, b] = sampleImages('zxing/qrcode-2', 2) as [string, string];
    const scan = join(tmp.dir, 'scan001.png');
    const keptA = join(tmp.dir, 'kept-copy-of-a.png');
    copyFileSync(a, scan);
    copyFileSync(a, keptA);
    const engine = new CountingEngine(realEngine());
    // Intake reads and hashes a's bytes; then the scanner writes b's page over the same name.
    const intake = async (paths: string[]): Promise<IntakeResult> => {
      const found = await realIntake(paths);
      if (paths.includes(scan)) copyFileSync(b, scan);
      return found;
    };
    const svc = await openScanService({ dbPath: join(tmp.dir, 'replaced.sqlite'), engines: [engine], intake });
    try {
      const first = await svc.createBatch({ paths: [scan], plan });
      await svc.whenSettled(first.batch.id);
      const replaced = await svc.getItem((await svc.listItems(first.batch.id)).items[0]!.id);

      // b decoded alone, for what its codes are.
      const bAlone = await svc.createBatch({ paths: [b], plan });
      await svc.whenSettled(bAlone.batch.id);
      const bTexts = (await svc.getItem((await svc.listItems(bAlone.batch.id)).items[0]!.id)).detections.map((d) => d.text);
      expect(bTexts.length).toBeGreaterThan(0);
      // What the first batch decoded was b's page (the file as it was when decoded).
      expect(replaced.detections.map((d) => d.text)).toEqual(bTexts);

      // A later batch with a's bytes must get a's codes, decoded, not b's from the cache.
      const later = await svc.createBatch({ paths: [keptA], plan });
      await svc.whenSettled(later.batch.id);
      const aItem = await svc.getItem((await svc.listItems(later.batch.id)).items[0]!.id);
      const aTexts = aItem.detections.map((d) => d.text);
      expect(aTexts.length).toBeGreaterThan(0);
      expect(aTexts).not.toEqual(bTexts);
      expect(engine.paths).toContain(keptA);
    } finally {
      await svc.close();
    }
  });
});
