import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanError } from '../errors';
import type { IntakeItem } from '../intake/types';

/**
 * The blob store of a shared queue: each source file copied once into a folder every worker
 * can read (SMB/NFS), under its sha256 (`<root>/ab/abcdef...`). Submitting copies the files
 * in; workers read the copy (never the submitting desk's path, which they may not see) and
 * check its hash; results keep the original path for the export. The same bytes submitted
 * twice, by any desk, are stored once.
 */
export function blobPath(root: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ScanError('INTERNAL', `Not a sha256: "${sha256}".`);
  return join(root, sha256.slice(0, 2), sha256);
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Copies each readable item's file into the store unless its bytes are there already. A copy
 * is written beside its final name and renamed once its hash is checked, so a reader never
 * sees half a file and a file changed since intake is refused (its item gets the error).
 * Answers how many files were copied.
 */
export async function putBlobs(root: string, items: IntakeItem[]): Promise<{ copied: number; failed: Map<string, ScanError> }> {
  const failed = new Map<string, ScanError>();
  const seen = new Set<string>();
  let copied = 0;
  for (const it of items) {
    if (it.error || !it.sha256 || seen.has(it.sha256)) continue;
    seen.add(it.sha256);
    const target = blobPath(root, it.sha256);
    if (await stat(target).then((s) => s.size === it.size, () => false)) continue;
    await mkdir(join(root, it.sha256.slice(0, 2)), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      await copyFile(it.path, tmp);
      if ((await sha256Of(tmp)) !== it.sha256) {
        throw new ScanError('FILE_UNREADABLE', `${it.path} changed while it was copied to the shared queue's files: submit it again.`);
      }
      await rename(tmp, target);
      copied++;
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof ScanError) failed.set(it.sha256, err);
      else throw new ScanError('FILE_UNREADABLE', `Cannot copy ${it.path} to the shared queue's files in ${root}: ${(err as Error).message}`);
    }
  }
  return { copied, failed };
}

/** Items whose file could not be copied carry the reason (the batch keeps them, failed). */
export function withBlobErrors(items: IntakeItem[], failed: Map<string, ScanError>): IntakeItem[] {
  if (failed.size === 0) return items;
  return items.map((it) => {
    const e = it.sha256 ? failed.get(it.sha256) : undefined;
    return e ? { ...it, error: { code: e.code, message: e.message } } : it;
  });
}
