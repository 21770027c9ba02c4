import type { EnginePlan } from '../../../shared/engines';
import { enqueue } from '../../../electron/core/queue/jobs';
import { insertBatchRow, insertItem } from '../../../electron/core/store/batches';
import type { Db } from '../../../electron/core/store/db';
import { realIntake } from './parts';

/** Writes a batch of real files straight into the store (what createBatch does), returns its id. */
export async function seedBatch(db: Db, paths: string[], plan: EnginePlan = { engine: 'local', task: 'codes' }): Promise<number> {
  const { items } = await realIntake(paths);
  return db.transaction(() => {
    const id = insertBatchRow(db, 'seeded', plan, new Date().toISOString());
    for (const it of items) {
      const { id: itemId, runnable } = insertItem(db, id, it);
      if (runnable) enqueue(db, { batchId: id, itemId, engine: plan.engine, task: plan.task, role: 'primary' });
    }
    return id;
  })();
}
