import { join } from 'node:path';
import type { EngineRegistry } from '../engines/registry';
import { ScanError } from '../errors';
import { OSS_JOURNAL_FOLDER, UploadJournal } from './alioss/upload-journal';

/**
 * At app and host start: pages that runs which died (a crash, a kill, a power cut) left
 * uploaded in the OSS bucket are deleted now, not only when a batch next sends a page to OSS
 * (which may be never: they are pictures of the user's documents, in a bucket billed by the
 * day). Nothing is asked of OSS when the profile's journal names no such page. Answers one
 * notice per failure for the user (kept written down: tried again at the next start or page).
 */
export async function sweepVendorsAtStart(registry: EngineRegistry, dataDir: string): Promise<string[]> {
  const waiting = new UploadJournal(join(dataDir, OSS_JOURNAL_FOLDER)).leftoverCount();
  if (waiting === 0) return [];
  try {
    return await registry.sweepLeftovers('alioss');
  } catch (err) {
    const why = err instanceof ScanError ? err.message : err instanceof Error ? err.message : String(err);
    return [
      `${waiting === 1 ? 'A page' : `${waiting} pages`} that an earlier run uploaded to Alibaba Cloud OSS ${waiting === 1 ? 'is' : 'are'} still in the bucket and could not be deleted: ${why} ScanDesk tries again at its next start.`,
    ];
  }
}
