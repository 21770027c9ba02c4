import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * sha256 of a whole file, streamed in 1 MiB chunks (a 2 GB PDF never sits in memory). `look`
 * sees every chunk too, in order: another pass over the same bytes without reading them again.
 */
export async function sha256OfHandle(fh: FileHandle, look?: (chunk: Buffer) => void): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fh.createReadStream({ start: 0, autoClose: false, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    look?.(chunk as Buffer);
  }
  return hash.digest('hex');
}
