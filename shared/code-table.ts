import type { DetectionEngine, DetectionKind, ReviewStatus, SYMBOLOGIES } from './detection';
import type { Geometry } from './geometry';
import type { RuleBreak, RuleVerdict } from './rules/types';

/**
 * The results table (issue 9): every detection of a batch as one row, each code two engines
 * read at the same place once (store/merge.ts), in intake order, filtered and paged by the
 * store so a 10,000-page batch costs one indexed query per screen.
 */
export interface CodeRow {
  /** The detection's id (a merged code's first engine's copy). */
  id: number;
  itemId: number;
  /** The page's file, its page number in that file and the file's page count. */
  path: string;
  page: number;
  pageCount: number;
  kind: DetectionKind;
  symbology: string;
  /** For kind 'field': which field (ID cards). */
  field: string | null;
  text: string;
  correctedText: string | null;
  review: ReviewStatus;
  /** Every engine that read this code here, first the one whose copy this is. */
  foundBy: DetectionEngine[];
  /** An ID-card number (shared/personal-data.ts): shown masked unless the user reveals it. */
  personal: boolean;
  /** The code's verdict under the batch's review rules (absent: the batch has no rules). */
  rule?: RuleVerdict;
  /** The page's own rule breaks (codes per page), shown beside each of its codes (absent: not judged). */
  pageRule?: RuleBreak[];
}

export interface CodeQuery {
  symbology?: string;
  /** Codes that engine read (alone or with another engine). */
  engine?: DetectionEngine;
  review?: ReviewStatus;
  /** Only codes that break a rule, or whose page breaks one (shared/rules). */
  ruleBreaks?: boolean;
  offset?: number;
  limit?: number;
}

/** What the table can be filtered by in one batch: its symbologies and engines. */
export interface CodeFacets {
  symbologies: string[];
  engines: DetectionEngine[];
}

/** A code the local decoder read inside a box a reviewer drew (detections.readRegion), in page pixels. */
export interface RegionCode {
  symbology: (typeof SYMBOLOGIES)[number];
  text: string;
  geometry: Geometry;
}
