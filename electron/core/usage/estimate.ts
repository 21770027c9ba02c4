import type { EngineId, EnginePlan, Task } from '../../../shared/engines';
import type { BatchEstimate, QuotaWarning, VendorPages } from '../../../shared/usage';
import type { IntakeResult } from '../intake/types';
import { optionsKey } from '../queue/options-key';
import { DAILY_QUOTAS } from './quotas';
import { nextVendorDay, vendorDay } from './meter';

/**
 * "This batch sends N pages to <vendor>", said before a batch starts (new-batch dialog, CLI), so
 * nobody sends 10,000 pages by mistake. Pages whose result is already stored for the same
 * bytes, engine, task and options are reused, not sent, and are not counted. In a fallback plan
 * the vendor gets only the pages the first engine finds nothing on: N is then an upper bound.
 * Daily quotas (printedTextOCR: 100 calls a day on a basic account) are checked against what
 * was already spent today on the account in use.
 */
export interface EstimateDeps {
  intake: (paths: string[]) => Promise<IntakeResult>;
  /** Whether a result for these bytes, page, engine, task and options is stored. */
  isStored: (key: { sha256: string; page: number; engine: EngineId; task: Task; optionsKey: string }) => boolean | Promise<boolean>;
  /** Billable calls of an operation today for an account (null: every account). */
  billableToday: (q: { vendor: string; operation: string; day: string; account: string | null }) => number | Promise<number>;
  /** Fingerprint of the account a vendor would use now (usage/meter accountOf), or null when unknown. */
  account?: (vendor: string) => Promise<string | null>;
  now?: () => number;
}

export async function estimateBatch(deps: EstimateDeps, input: { paths: string[]; plan: EnginePlan }): Promise<BatchEstimate> {
  const { plan } = input;
  const found = await deps.intake(input.paths);
  const runnable = found.items.filter((i) => !i.error && i.sha256 && i.format);
  const key = optionsKey(plan.options);
  const vendors: VendorPages[] = [];
  const targets: Array<{ engine: EngineId; upTo: boolean }> = [];
  if (plan.engine !== 'local') targets.push({ engine: plan.engine, upTo: false });
  if (plan.fallback && plan.fallback !== 'local') targets.push({ engine: plan.fallback, upTo: true });
  for (const t of targets) {
    let stored = 0;
    for (const it of runnable) {
      if (await deps.isStored({ sha256: it.sha256!, page: it.page, engine: t.engine, task: plan.task, optionsKey: key })) stored++;
    }
    vendors.push({ vendor: t.engine, pages: runnable.length - stored, stored, upTo: t.upTo });
  }
  const now = (deps.now ?? Date.now)();
  const warnings: QuotaWarning[] = [];
  for (const v of vendors) {
    const quota = DAILY_QUOTAS.find((q) => q.vendor === v.vendor && q.task === plan.task);
    if (!quota || v.pages === 0) continue;
    const account = (await deps.account?.(v.vendor)) ?? null;
    const used = await deps.billableToday({ vendor: v.vendor, operation: quota.operation, day: vendorDay(now), account });
    const left = Math.max(0, quota.perDay - used);
    if (v.pages > left) {
      warnings.push({
        vendor: v.vendor,
        operation: quota.operation,
        needed: v.pages,
        left,
        perDay: quota.perDay,
        resetsAt: new Date(nextVendorDay(now)).toISOString(),
      });
    }
  }
  return {
    pages: runnable.length,
    unreadable: found.items.length - runnable.length,
    skipped: found.skipped.length,
    vendors,
    warnings,
  };
}
