import { rows, type Queryable } from './db';

/** What `scandesk queue status` shows beside the batches: who holds pages, and what waits per engine. */
export interface QueueStatus {
  workers: Array<{ owner: string; running: number; leaseExpiresInMs: number }>;
  engines: Array<{ engine: string; pending: number; dueNow: number; blocked: number }>;
}

export async function queueStatus(db: Queryable): Promise<QueueStatus> {
  const workers = await rows<{ owner: string; running: number; leaseExpiresInMs: number }>(
    db,
    `SELECT lease_owner AS owner, count(*) AS running,
            greatest(0, extract(epoch FROM min(lease_expires_at) - now()) * 1000)::float8 AS "leaseExpiresInMs"
     FROM jobs WHERE status = 'running' GROUP BY lease_owner ORDER BY lease_owner`,
  );
  const engines = await rows<{ engine: string; pending: number; dueNow: number; blocked: number }>(
    db,
    `SELECT j.engine, count(*) FILTER (WHERE j.status = 'pending') AS pending,
            count(*) FILTER (WHERE j.status = 'pending' AND j.available_at <= now() AND b.status = 'running') AS "dueNow",
            count(*) FILTER (WHERE j.status = 'blocked') AS blocked
     FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.status IN ('pending','blocked') GROUP BY j.engine ORDER BY j.engine`,
  );
  return { workers, engines };
}
