import type { AccountUsage, BatchUsage, OperationUsage, UsageSummary, VendorUsage } from '../../../shared/usage';
import { vendorDay, vendorMonth, type VendorCall } from '../usage/meter';
import type { Db } from './db';
import { stmt } from './statements';

/**
 * The usage tables (migration 003), in narrow functions: record one call, read a summary, a
 * batch's spend, and one operation's billable calls on a day (for quota warnings).
 */

interface Row {
  operation: string;
  calls: number;
  billable: number;
  errors: number;
  bytes: number;
}

/**
 * The rows one call adds to: its own operation, plus one row per other party that bills it
 * (OSS image/codes is also an IMM DetectImageCodes call, billed by IMM).
 */
export function usageRows(call: VendorCall): Row[] {
  const rows: Row[] = [
    {
      operation: call.operation,
      calls: 1,
      billable: call.billedAs.includes(call.operation) ? 1 : 0,
      errors: call.ok ? 0 : 1,
      bytes: call.bytesSent,
    },
  ];
  for (const b of call.billedAs) if (b !== call.operation) rows.push({ operation: b, calls: 1, billable: 1, errors: 0, bytes: 0 });
  return rows;
}

/** Counts one vendor call for its account and day, and for the batch it was made for (if any and still there). */
export function recordVendorCall(db: Db, call: VendorCall, batchId: number | null): void {
  const day = vendorDay(call.at);
  const account = stmt(
    db,
    `INSERT INTO vendor_usage (day, vendor, account, account_label, operation, calls, billable, errors, bytes_sent)
     VALUES (@day, @vendor, @account, @label, @operation, @calls, @billable, @errors, @bytes)
     ON CONFLICT (day, vendor, account, operation) DO UPDATE SET
       calls = calls + excluded.calls, billable = billable + excluded.billable,
       errors = errors + excluded.errors, bytes_sent = bytes_sent + excluded.bytes_sent,
       account_label = excluded.account_label`,
  );
  const batch = stmt(
    db,
    `INSERT INTO batch_usage (batch_id, vendor, operation, calls, billable, errors, bytes_sent)
     SELECT @batchId, @vendor, @operation, @calls, @billable, @errors, @bytes WHERE EXISTS (SELECT 1 FROM batches WHERE id = @batchId)
     ON CONFLICT (batch_id, vendor, operation) DO UPDATE SET
       calls = calls + excluded.calls, billable = billable + excluded.billable,
       errors = errors + excluded.errors, bytes_sent = bytes_sent + excluded.bytes_sent`,
  );
  db.transaction(() => {
    for (const r of usageRows(call)) {
      const values = { vendor: call.vendor, operation: r.operation, calls: r.calls, billable: r.billable, errors: r.errors, bytes: r.bytes };
      account.run({ ...values, day, account: call.account, label: call.accountLabel });
      if (batchId !== null) batch.run({ ...values, batchId });
    }
  })();
}

const COLUMNS = `sum(calls) AS calls, sum(billable) AS billable, sum(errors) AS errors, sum(bytes_sent) AS bytesSent`;

/** Today's and this month's usage (the vendors' calendar, UTC+8) per vendor, account and operation. */
export function usageSummary(db: Db, now: number = Date.now()): UsageSummary {
  const day = vendorDay(now);
  const month = vendorMonth(now);
  const rows = stmt(
    db,
    `SELECT vendor, account, max(account_label) AS label, operation, day = @day AS today, ${COLUMNS}
     FROM vendor_usage WHERE day >= @first AND day <= @day
     GROUP BY vendor, account, operation, day = @day ORDER BY vendor, account, operation`,
  ).all({ day, first: `${month}-01` }) as Array<OperationUsage & { vendor: string; account: string; label: string; today: number }>;
  return summarize(day, month, rows);
}

/** Folds usage rows (one per vendor, account, operation, today or not) into the summary (both stores). */
export function summarize(
  day: string,
  month: string,
  rows: ReadonlyArray<OperationUsage & { vendor: string; account: string; label: string; today: number | boolean }>,
): UsageSummary {
  const vendors = new Map<string, Map<string, AccountUsage>>();
  for (const r of rows) {
    const accounts = vendors.get(r.vendor) ?? new Map<string, AccountUsage>();
    vendors.set(r.vendor, accounts);
    const a = accounts.get(r.account) ?? { label: r.label, today: [], month: [] };
    accounts.set(r.account, a);
    const counts = { operation: r.operation, calls: r.calls, billable: r.billable, errors: r.errors, bytesSent: r.bytesSent };
    if (r.today) a.today.push(counts);
    addTo(a.month, counts);
  }
  const out: VendorUsage[] = [...vendors].map(([vendor, accounts]) => ({ vendor, accounts: [...accounts.values()] }));
  return { day, month, vendors: out };
}

function addTo(list: OperationUsage[], c: OperationUsage): void {
  const e = list.find((x) => x.operation === c.operation);
  if (!e) {
    list.push({ ...c });
    return;
  }
  e.calls += c.calls;
  e.billable += c.billable;
  e.errors += c.errors;
  e.bytesSent += c.bytesSent;
}

/** What one batch spent, per vendor and operation. */
export function batchUsage(db: Db, batchId: number): BatchUsage {
  const operations = stmt(
    db,
    `SELECT vendor, operation, calls, billable, errors, bytes_sent AS bytesSent FROM batch_usage WHERE batch_id = ? ORDER BY vendor, operation`,
  ).all(batchId) as BatchUsage['operations'];
  return { batchId, operations };
}

/** Billable calls of one operation on one vendor day (an account's, or every account's when `account` is null). */
export function billableOnDay(db: Db, q: { vendor: string; operation: string; day: string; account: string | null }): number {
  const r = stmt(
    db,
    `SELECT coalesce(sum(billable), 0) AS n FROM vendor_usage
     WHERE day = @day AND vendor = @vendor AND operation = @operation AND (@account IS NULL OR account = @account)`,
  ).get(q) as { n: number };
  return r.n;
}
