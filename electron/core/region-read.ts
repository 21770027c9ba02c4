import { open } from 'node:fs/promises';
import type { ItemDetail } from '../../shared/batch';
import type { RegionCode } from '../../shared/code-table';
import { SYMBOLOGIES } from '../../shared/detection';
import type { Engine } from './engines/engine';
import { ScanError } from './errors';
import { SNIFF_BYTES, sniff } from './intake/sniff';
import { checkBox } from './store/manual';

/**
 * "Read this box": a reviewer drew a box where the page's decode missed a code, and the local
 * decoder reads that region at full resolution (in its worker pool) to offer the value; when it
 * finds nothing, the reviewer types it as before. Only codes of a symbology a reviewer can
 * store by hand (shared/detection SYMBOLOGIES) are offered.
 */
export async function readRegion(local: Engine | undefined, item: ItemDetail, box: { left: number; top: number; width: number; height: number }): Promise<RegionCode[]> {
  if (!local?.readRegion) throw new ScanError('INVALID_INPUT', 'The local decoder is not available in this ScanDesk: type the value.');
  checkBox(item, box);
  const fh = await open(item.path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new ScanError('FILE_NOT_FOUND', `${item.path} can no longer be read (${e.code ?? e.message}): type the value.`);
  });
  let format;
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const { size } = await fh.stat();
    const sniffed = await sniff(head.subarray(0, bytesRead), item.path, size);
    if (sniffed.format === null) throw new ScanError('UNSUPPORTED_FORMAT', `${item.path} is ${sniffed.description}.`);
    format = sniffed.format;
  } finally {
    await fh.close();
  }
  const { detections } = await local.readRegion({ path: item.path, page: item.page, format }, box);
  const known = new Set<string>(SYMBOLOGIES);
  const seen = new Set<string>();
  const out: RegionCode[] = [];
  for (const d of detections) {
    if (d.kind !== 'code' || !known.has(d.symbology) || seen.has(`${d.symbology}\n${d.text}`)) continue;
    seen.add(`${d.symbology}\n${d.text}`);
    out.push({ symbology: d.symbology as RegionCode['symbology'], text: d.text, geometry: d.geometry });
  }
  return out;
}
