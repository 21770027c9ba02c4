import { useEffect, useState } from 'react';
import type { RegionCode } from '../../../../shared/code-table';
import { useApp } from '../../api/context';
import type { PageBox } from '../../logic/manual-box';

export type RegionRead = { state: 'reading' } | { state: 'done'; codes: RegionCode[] } | { state: 'failed' };

/**
 * The local decoder's reading of a box drawn on a page (detections.readRegion: full resolution,
 * in the host's worker pool), asked for each time the box changes; a reading that comes back
 * after the box changed again is dropped. A failure is not an error to report: the reviewer
 * types the value, as before.
 */
export function useRegionRead(itemId: number, box: PageBox): RegionRead {
  const { client } = useApp();
  const [read, setRead] = useState<RegionRead>({ state: 'reading' });
  const { left, top, width, height } = box;
  useEffect(() => {
    let live = true;
    setRead({ state: 'reading' });
    client.call('detections.readRegion', { itemId, box: { left, top, width, height } }).then(
      ({ codes }) => live && setRead({ state: 'done', codes }),
      () => live && setRead({ state: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [client, itemId, left, top, width, height]);
  return read;
}
