import type { BatchUsage, OperationUsage, UsageSummary } from '../../../../shared/usage';
import { vendorDay, vendorMonth, type VendorCall } from '../../usage/meter';
import { summarize, usageRows } from '../usage';
import { changes, row, rows, type Queryable } from './db';

/** store/usage.ts for PostgreSQL (every worker's calls add to the same rows). */
export async function recordVendorCall(db: Queryable, call: VendorCall, batchId: number | null): Promise<void> {
  const day = vendorDay(call.at);
  for (const r of usageRows(call)) {
    await changes(
      db,
      `INSERT INTO vendor_usage (day, vendor, account, account_label, operation, calls, billable, errors, bytes_sent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (day, vendor, account, operation) DO UPDATE SET
         calls = vendor_usage.calls + excluded.calls, billable = vendor_usage.billable + excluded.billable,
         errors = vendor_usage.errors + excluded.errors, bytes_sent = vendor_usage.bytes_sent + excluded.bytes_sent,
         account_label = excluded.account_label`,
      [day, call.vendor, call.account, call.accountLabel, r.operation, r.calls, r.billable, r.errors, r.bytes],
    );
    if (batchId === null) continue;
    await changes(
      db,
      `INSERT INTO batch_usage (batch_id, vendor, operation, calls, billable, errors, bytes_sent)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM batches WHERE id = $1)
       ON CONFLICT (batch_id, vendor, operation) DO UPDATE SET
         calls = batch_usage.calls + excluded.calls, billable = batch_usage.billable + excluded.billable,
         errors = batch_usage.errors + excluded.errors, bytes_sent = batch_usage.bytes_sent + excluded.bytes_sent`,
      [batchId, call.vendor, r.operation, r.calls, r.billable, r.errors, r.bytes],
    );
  }
}

export async function usageSummary(db: Queryable): Promise<UsageSummary> {
  const now = (await row<{ ms: number }>(db, `SELECT (extract(epoch FROM now()) * 1000)::float8 AS ms`))!.ms;
  const day = vendorDay(now);
  const month = vendorMonth(now);
  const list = await rows<OperationUsage & { vendor: string; account: string; label: string; today: boolean }>(
    db,
    `SELECT vendor, account, max(account_label) AS label, operation, day = $1 AS today,
            sum(calls) AS calls, sum(billable) AS billable, sum(errors) AS errors, sum(bytes_sent) AS "bytesSent"
     FROM vendor_usage WHERE day >= $2 AND day <= $1
     GROUP BY vendor, account, operation, day = $1 ORDER BY vendor, account, operation`,
    [day, `${month}-01`],
  );
  return summarize(day, month, list);
}

export async function batchUsage(db: Queryable, batchId: number): Promise<BatchUsage> {
  const operations = await rows<BatchUsage['operations'][number]>(
    db,
    `SELECT vendor, operation, calls, billable, errors, bytes_sent AS "bytesSent" FROM batch_usage WHERE batch_id = $1 ORDER BY vendor, operation`,
    [batchId],
  );
  return { batchId, operations };
}

export async function billableOnDay(db: Queryable, q: { vendor: string; operation: string; day: string; account: string | null }): Promise<number> {
  return (await row<{ n: number }>(
    db,
    `SELECT coalesce(sum(billable), 0) AS n FROM vendor_usage WHERE day = $1 AND vendor = $2 AND operation = $3 AND ($4::text IS NULL OR account = $4)`,
    [q.day, q.vendor, q.operation, q.account],
  ))!.n;
}
