import type { AppError } from '../../../shared/errors';

/** Formats intake recognises by their bytes (never by the file name alone). */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'bmp' | 'gif' | 'heif' | 'avif' | 'pdf';

/** Where the pixels of one page come from. Every engine starts from one of these. */
export interface ImageSource {
  path: string; // absolute
  page: number; // 1-based; TIFF and PDF pages are separate items
  format: ImageFormat;
}

/**
 * One page to decode, as intake found it. Files that cannot even be read still become items
 * (with `error` set) so the user sees every file they dropped, each with its reason.
 */
export interface IntakeItem {
  path: string; // absolute, as the user would recognise it (symlinks not resolved)
  page: number;
  pageCount: number;
  format: ImageFormat | null;
  size: number; // bytes of the file
  sha256: string | null; // of the whole file's bytes
  error: AppError | null;
}

/** A file intake looked at and decided not to decode (not an image), with the reason. */
export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface IntakeResult {
  items: IntakeItem[];
  skipped: SkippedEntry[];
}
