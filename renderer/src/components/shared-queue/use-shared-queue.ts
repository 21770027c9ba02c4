import { useEffect, useState } from 'react';
import type { ScanDeskClient, SharedQueueStatus } from '../../../../shared/contract';

/** The desk's shared queue (Settings → Shared queue), kept current by its `sharedQueue.changed` event. */
export function useSharedQueue(client: ScanDeskClient, reportError: (e: unknown) => void): SharedQueueStatus | null {
  const [status, setStatus] = useState<SharedQueueStatus | null>(null);
  useEffect(() => {
    client.call('sharedQueue.status').then(setStatus, reportError);
    return client.on('sharedQueue.changed', setStatus);
  }, [client, reportError]);
  return status;
}
