import type { ParsedInput, RequestOutput, SharedQueueStatus } from '../../../shared/contract';
import { ScanError } from '../errors';
import type { DeskQueues } from '../shared-queue/desk';

type Names = 'sharedQueue.status' | 'sharedQueue.test' | 'sharedQueue.save' | 'sharedQueue.forget' | 'sharedQueue.show';
export type SharedQueueImpl = { [N in Names]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> };

const OFF: SharedQueueStatus = { configured: false, url: null, endpoint: null, blobs: null, passwordSaved: false, state: 'off', message: null, showing: 'local' };

/** Settings → Shared queue (issue 7). Without `queues` (a table over one fixed service) there is none to open. */
export function sharedQueueHandlers(queues: DeskQueues | undefined): SharedQueueImpl {
  const need = (): DeskQueues => {
    if (!queues) throw new ScanError('INVALID_INPUT', 'This ScanDesk cannot open a shared queue.');
    return queues;
  };
  return {
    'sharedQueue.status': async () => queues?.status() ?? OFF,
    'sharedQueue.test': (input) => need().test(input),
    'sharedQueue.save': (input) => need().save({ url: input.url, password: input.password ?? null, blobs: input.blobs ?? null }),
    'sharedQueue.forget': () => need().forget(),
    'sharedQueue.show': async ({ source }) => need().show(source),
  };
}
