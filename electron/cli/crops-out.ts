import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cardFacts, cropFileName } from '../../shared/idcard';
import { PRIVATE_FILE_MODE } from '../core/private-files';
import type { ScanService } from '../core/service-types';

/**
 * `scandesk scan --crops-out <dir>`: IDCardOCR's card and portrait crops of the batch written
 * as files, under the names the export's rows give them (shared/idcard cropFileName), owner-only
 * (personal data). A crop that cannot be read is reported by name; the others are written.
 */
export async function writeCrops(service: ScanService, batchId: number, dir: string): Promise<{ written: number; failed: string[] }> {
  let written = 0;
  const failed: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await service.listItems(batchId, { filter: 'all', offset, limit: 500 });
    for (const it of page.items) {
      const owner = (await service.getItem(it.id)).detections.find((d) => (cardFacts(d)?.crops?.length ?? 0) > 0);
      if (!owner) continue;
      for (const kind of cardFacts(owner)!.crops!) {
        try {
          const img = await service.detectionImage(owner.id, kind);
          const file = join(dir, cropFileName({ itemId: it.id, path: it.path, page: it.page }, kind, img.format));
          await writeFile(file, img.data, { mode: PRIVATE_FILE_MODE });
          await chmod(file, PRIVATE_FILE_MODE); // an older file of the same name keeps its mode otherwise
          written++;
        } catch (err) {
          failed.push(`${cropFileName({ itemId: it.id, path: it.path, page: it.page }, kind)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    if (page.items.length < 500) break;
  }
  return { written, failed };
}
