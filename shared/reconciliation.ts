/**
 * Reconciliation: a batch checked against the list of values it should contain (an expected
 * list imported from a CSV or XLSX column). Values compare exactly after trimming spaces; a
 * reviewer's correction counts instead of the decoded value, a rejected code does not count.
 */

export interface ValuePage {
  itemId: number;
  path: string;
  page: number;
}

export interface ReconciledValue {
  value: string;
  /** Pages the value was found on, in page order (none for a missing value). */
  pages: ValuePage[];
}

export interface Reconciliation {
  /** Distinct values in the expected list. */
  expected: number;
  /** Expected values found on at least one page. */
  found: ReconciledValue[];
  /** Expected values found on no page. */
  missing: ReconciledValue[];
  /** Values found that the list does not have. */
  unexpected: ReconciledValue[];
  /** Values (expected or not) found on more than one page. */
  duplicates: ReconciledValue[];
}

/** What a batch's expected list is, as imported. */
export interface ExpectedListInfo {
  /** The file it came from (its name only), or "pasted". */
  source: string;
  /** The column read (its header, or its number). */
  column: string;
  count: number;
  importedAt: string;
}

export const EXPECTED_LIMITS = {
  /** Bytes of an imported CSV/XLSX file. */
  fileBytes: 20 * 1024 * 1024,
  values: 200_000,
  valueChars: 4096,
} as const;
