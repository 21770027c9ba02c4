import type { Reconciliation, ReconciledValue, ValuePage } from '../../../shared/reconciliation';

/** How one found value stands against the list, for a row of a table. */
export type ValueStanding = 'found' | 'found (duplicate)' | 'unexpected' | 'unexpected (duplicate)';

/** The form values are compared in: spaces around a value are never part of it. */
export function normalizeValue(v: string): string {
  return v.trim();
}

/**
 * Checks a batch's pages, fed in page order, against an expected list. A value counts once per
 * page (two engines, or two passes of the decoder, finding it on the same page are one
 * sighting); a value on two or more pages is a duplicate (a parcel scanned twice).
 */
export class ReconciliationBuilder {
  private readonly expected: Set<string>;
  private readonly seen = new Map<string, ValuePage[]>();

  constructor(expected: Iterable<string>) {
    this.expected = new Set([...expected].map(normalizeValue).filter((v) => v !== ''));
  }

  add(page: ValuePage, values: Iterable<string>): void {
    for (const raw of new Set([...values].map(normalizeValue))) {
      if (raw === '') continue;
      const pages = this.seen.get(raw);
      if (pages) {
        if (pages[pages.length - 1]?.itemId !== page.itemId) pages.push(page);
      } else this.seen.set(raw, [page]);
    }
  }

  finish(): Reconciliation {
    const entry = (value: string): ReconciledValue => ({ value, pages: this.seen.get(value) ?? [] });
    const found: ReconciledValue[] = [];
    const missing: ReconciledValue[] = [];
    for (const v of this.expected) (this.seen.has(v) ? found : missing).push(entry(v));
    const unexpected: ReconciledValue[] = [];
    const duplicates: ReconciledValue[] = [];
    for (const [v, pages] of this.seen) {
      if (!this.expected.has(v)) unexpected.push(entry(v));
      if (pages.length > 1) duplicates.push(entry(v));
    }
    return { expected: this.expected.size, found, missing, unexpected, duplicates };
  }
}

/** Looks a found value up in a finished reconciliation, for per-row columns. */
export function standingIndex(r: Reconciliation): (value: string) => ValueStanding | null {
  const expected = new Set([...r.found, ...r.missing].map((e) => e.value));
  const dup = new Set(r.duplicates.map((e) => e.value));
  return (raw) => {
    const v = normalizeValue(raw);
    if (v === '') return null;
    const base = expected.has(v) ? 'found' : 'unexpected';
    return dup.has(v) ? `${base} (duplicate)` : base;
  };
}
