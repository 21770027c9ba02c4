import pg from 'pg';
import type { StoreEvents } from '../store';
import type { Queryable } from './db';

/**
 * Wake-ups across the processes sharing a queue (LISTEN/NOTIFY): `scandesk_work` when a
 * transaction queued work (a batch submitted, resumed, retried, pages added, a fallback or a
 * lost job requeued), so idle workers claim at once instead of at their next poll; and
 * `scandesk_batch` with the batch id when its pages or status changed, so every desk's
 * progress follows. PostgreSQL delivers them at commit (none for a rolled-back transaction)
 * and folds duplicates within a transaction.
 */
export const WORK_CHANNEL = 'scandesk_work';
export const BATCH_CHANNEL = 'scandesk_batch';

export async function notifyWork(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_notify($1, '')`, [WORK_CHANNEL]);
}

export async function notifyBatch(db: Queryable, batchId: number): Promise<void> {
  await db.query(`SELECT pg_notify($1, $2)`, [BATCH_CHANNEL, String(batchId)]);
}

export type QueueEvents = StoreEvents;

/**
 * Listens on one connection of its own until stopped; a lost connection is opened again (one
 * second later, with a `work` wake-up then, since notifications meanwhile are lost).
 */
export async function listen(url: string, handlers: QueueEvents): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'scandesk-listen' });
    c.on('notification', (n) => {
      if (n.channel === WORK_CHANNEL) handlers.work();
      else if (n.channel === BATCH_CHANNEL && n.payload) handlers.batch(Number(n.payload));
    });
    c.on('error', () => reconnect());
    c.on('end', () => reconnect());
    await c.connect();
    await c.query(`LISTEN ${WORK_CHANNEL}; LISTEN ${BATCH_CHANNEL}`);
    client = c;
  };
  const reconnect = () => {
    if (stopped || retry) return;
    client = null;
    retry = setTimeout(() => {
      retry = null;
      if (stopped) return;
      connect()
        .then(() => handlers.work())
        .catch(() => reconnect());
    }, 1000);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
