import type { CodeRow } from '../../../shared/code-table';
import type { DetectionEngine, ReviewStatus } from '../../../shared/detection';
import { maskPersonalValue } from '../../../shared/personal-data';

/** The results table's filters (each unset: every value). */
export interface CodeFilters {
  symbology?: string;
  engine?: DetectionEngine;
  review?: ReviewStatus;
  /** Only codes that break a review rule, or whose page does. */
  ruleBreaks?: boolean;
}

/** A row's value as the table shows and copies it: the corrected value if there is one, an ID number masked. */
export function shownValue(row: Pick<CodeRow, 'text' | 'correctedText' | 'personal'>): string {
  const value = row.correctedText ?? row.text;
  return row.personal ? maskPersonalValue(value) : value;
}

/** The next row for a key in the table (null: the key does not move), kept within 0..total-1. */
export function rowMove(key: string, at: number, total: number, perScreen: number): number | null {
  if (total <= 0) return null;
  const to = (n: number) => Math.min(total - 1, Math.max(0, n));
  switch (key) {
    case 'ArrowDown':
      return to(at + 1);
    case 'ArrowUp':
      return to(at - 1);
    case 'PageDown':
      return to(at + Math.max(1, perScreen));
    case 'PageUp':
      return to(at - Math.max(1, perScreen));
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
    default:
      return null;
  }
}

/** Filters from a <select>'s value ('' is every value). */
export function withFilter(filters: CodeFilters, key: keyof CodeFilters, value: string | boolean | undefined): CodeFilters {
  const next: CodeFilters = { ...filters };
  if (value === '' || value === undefined || value === false) delete next[key];
  else (next as Record<string, string | boolean>)[key] = value;
  return next;
}

export const REVIEW_STATES: readonly ReviewStatus[] = ['pending', 'accepted', 'rejected'];
