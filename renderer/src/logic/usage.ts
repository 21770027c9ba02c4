import type { BatchEstimate } from '../../../shared/usage';

/** Whether a plan sends pages to a cloud vendor (so the count is shown before it starts). */
export function planUsesVendor(plan: { engine: string; fallback?: string | null }): boolean {
  return plan.engine !== 'local' || (!!plan.fallback && plan.fallback !== 'local');
}

/** Worth stopping for: some vendor gets pages, or a daily quota would run out. */
export function needsConfirmation(e: BatchEstimate): boolean {
  return e.vendors.some((v) => v.pages > 0) || e.warnings.length > 0;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
