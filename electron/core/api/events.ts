import type { EventName, EventPayload } from '../../../shared/contract';
import type { BatchProgress } from '../../../shared/batch';
import type { Notice, ScanService } from '../service-types';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Forwards the service's events to a transport as contract events (batch.progress,
 * batches.changed, notice). Returns the function that stops forwarding.
 */
export function forwardServiceEvents(service: ScanService, emit: EmitEvent): () => void {
  const onProgress = (p: BatchProgress) => emit('batch.progress', { batchId: p.batchId, status: p.status, counts: p.counts });
  const onBatches = () => emit('batches.changed', {});
  const onNotice = (n: Notice) => emit('notice', { batchId: n.batchId, engine: n.engine, message: n.message });
  service.on('progress', onProgress);
  service.on('batches', onBatches);
  service.on('notice', onNotice);
  return () => {
    service.off('progress', onProgress);
    service.off('batches', onBatches);
    service.off('notice', onNotice);
  };
}
