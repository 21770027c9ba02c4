import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../../electron/core/store/db';
import { migrate, schemaVersion } from '../../../electron/core/store/migrations';
import { batchUsage, billableOnDay, recordVendorCall, usageSummary } from '../../../electron/core/store/usage';
import { accountOf, type VendorCall } from '../../../electron/core/usage/meter';
import { tempDir } from '../../queue/support/tmp';

const tmp = tempDir('mig003');
afterAll(() => tmp.cleanup());

const AT = Date.UTC(2026, 11, 6, 3, 0); // 11:00 in China Standard Time

function call(over: Partial<VendorCall> = {}): VendorCall {
  return { vendor: 'alioss', ...accountOf('alioss', 'LTAI5tExampleKeyId0001'), operation: 'ProcessImage', ok: true, bytesSent: 0, billedAs: ['ProcessImage', 'IMM DetectImageCodes'], at: AT, ...over };
}

/** A file at version 2 with a batch -> 003: usage is counted per day/account/operation and per batch; the batch's rows go with it. */
describe('migration 003 (vendor usage)', () => {
  it('adds the usage tables to an existing file; counts add up; deleting a batch keeps the account history', () => {
    const db = new Database(join(tmp.dir, 'v2.sqlite'));
    applyPragmas(db);
    migrate(db, 2);
    db.exec(`INSERT INTO batches (id, name, created_at, status, plan_json) VALUES (1, 'b', '2026-01-01T00:00:00Z', 'done', '{"engine":"alioss","task":"codes"}')`);
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);

    recordVendorCall(db, call(), 1);
    recordVendorCall(db, call(), 1);
    recordVendorCall(db, call({ ok: false, errorCode: 'VENDOR_SERVER', billedAs: [] }), 1);
    recordVendorCall(db, call({ operation: 'PutObject', bytesSent: 1234, billedAs: ['PutObject'] }), null);
    // A batch deleted while its call was in flight: the account still counts it.
    recordVendorCall(db, call(), 99);

    const s = usageSummary(db, AT);
    expect(s).toMatchObject({ day: '2026-12-06', month: '2026-12' });
    const [account] = s.vendors[0]!.accounts;
    expect(account!.label).toBe('LTAI…0001');
    const today = Object.fromEntries(account!.today.map((o) => [o.operation, o]));
    expect(today.ProcessImage).toMatchObject({ calls: 4, billable: 3, errors: 1, bytesSent: 0 });
    expect(today['IMM DetectImageCodes']).toMatchObject({ calls: 3, billable: 3, errors: 0 });
    expect(today.PutObject).toMatchObject({ calls: 1, billable: 1, bytesSent: 1234 });
    expect(billableOnDay(db, { vendor: 'alioss', operation: 'ProcessImage', day: '2026-12-06', account: null })).toBe(3);
    expect(billableOnDay(db, { vendor: 'alioss', operation: 'ProcessImage', day: '2026-12-07', account: null })).toBe(0);

    // Tomorrow (vendors' calendar) is a new day of the same month.
    expect(usageSummary(db, AT + 86_400_000).vendors[0]!.accounts[0]!.today).toEqual([]);
    expect(usageSummary(db, AT + 86_400_000).vendors[0]!.accounts[0]!.month.find((o) => o.operation === 'ProcessImage')).toMatchObject({ calls: 4 });

    expect(batchUsage(db, 1).operations.map((o) => [o.operation, o.calls, o.billable])).toEqual([
      ['IMM DetectImageCodes', 2, 2],
      ['ProcessImage', 3, 2],
    ]);
    db.exec('DELETE FROM batches WHERE id = 1');
    expect(batchUsage(db, 1).operations).toEqual([]);
    expect(usageSummary(db, AT).vendors[0]!.accounts[0]!.today.find((o) => o.operation === 'ProcessImage')).toMatchObject({ calls: 4 });
    db.close();
  });
});
