import type { AppError } from './errors';

/**
 * Document separation: a batch of pages is a stack of documents. A rule says where each one
 * starts; the documents themselves are derived from the pages and their codes whenever they
 * are asked for (a correction in review, or a page decoded later, moves a boundary at once).
 */

/**
 * - `code`: a new document starts at every page carrying a code whose value matches `pattern`
 *   (a separator sheet, or the first page of each document). With `dropSeparators`, that page
 *   is left out of the document (a separator sheet); its code still names the document.
 * - `every`: a new document every `pages` pages.
 *
 * `keyPattern` picks the code that names a document (its "key code"): the first code on the
 * document matching it. Without it: the separator's code (`code`), or the document's first
 * code (`every`). `template` names each document's PDF: `{code}` is the key code, `{n}` the
 * document's number, `{batch}` the batch name (default `{code}.pdf`).
 */
export type SeparationRule =
  | { kind: 'code'; pattern: string; dropSeparators: boolean; keyPattern?: string; template?: string }
  | { kind: 'every'; pages: number; keyPattern?: string; template?: string };

export const DEFAULT_DOCUMENT_TEMPLATE = '{code}.pdf';

/** Bounds the UI and the contract share. */
export const SEPARATION_LIMITS = {
  patternChars: 500,
  templateChars: 200,
  everyPages: 100_000,
} as const;

/** One page of a document, by its item. */
export interface DocumentPage {
  itemId: number;
  path: string;
  page: number;
}

/**
 * One document of a batch: a run of consecutive pages (in intake order). `separator` is the
 * page that started it when it was dropped from the document (a separator sheet).
 */
export interface DocumentSummary {
  /** 1-based, in page order. */
  n: number;
  /** The PDF file name the template gives it (safe on every OS, unique in the batch). */
  fileName: string;
  /** The value naming the document, or null when none of its codes qualifies. */
  key: string | null;
  pages: DocumentPage[];
  separator: DocumentPage | null;
  /** Distinct code values found on its pages (the separator's included), in page order. */
  codes: string[];
  /** Pages not decoded yet: the document may still change (grow, or split). */
  pending: number;
  failed: number;
}

export interface DocumentList {
  rule: SeparationRule | null;
  documents: DocumentSummary[];
}

/** One document's PDF, as written (path) or not (error, and the others went on). */
export interface DocumentPdf {
  n: number;
  fileName: string;
  pages: number;
  path: string | null;
  error: AppError | null;
}
