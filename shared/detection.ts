import type { Geometry } from './geometry';
import { ENGINE_IDS, type EngineId } from './engines';
import type { RuleVerdict } from './rules/types';

/**
 * One thing an engine found on a page: a code, a line of printed text, or a field of an
 * identity card. `symbology` uses ZXing's format names for codes ('QRCode', 'EAN-13',
 * 'DataMatrix', 'PDF417', 'Code128', ...; see SYMBOLOGIES), 'Text' for printed text and
 * 'IDCard' for card fields (the field name is in `field`).
 */
export type DetectionKind = 'code' | 'text' | 'field';

export type ReviewStatus = 'pending' | 'accepted' | 'rejected';

/**
 * Who found a detection: an engine, or `manual` (a reviewer drew a box where no engine found
 * the code and typed, or had the local decoder read, its value).
 */
export const MANUAL_ENGINE = 'manual' as const;
export type DetectionEngine = EngineId | typeof MANUAL_ENGINE;
export const DETECTION_ENGINES = [...ENGINE_IDS, MANUAL_ENGINE] as const;

export interface Detection {
  kind: DetectionKind;
  symbology: string;
  /** The decoded text. For binary payloads, a lossless latin-1 reading of `bytes`. */
  text: string;
  /** Base64 of the raw payload bytes, present when they are not valid UTF-8 text. */
  bytesBase64?: string;
  /** For kind 'field': which field of the document ('Name', 'IdNum', ...). */
  field?: string;
  geometry: Geometry;
  engine: DetectionEngine;
  /** Vendor- or engine-specific facts worth keeping (warnings, product data, EC level). */
  extra?: Record<string, unknown>;
}

/** A detection as stored: with its id and the reviewer's verdict. */
export interface StoredDetection extends Detection {
  id: number;
  itemId: number;
  review: ReviewStatus;
  /** The value a reviewer typed in, when the decoded one was wrong. */
  correctedText: string | null;
  /** Every engine that read this same code at this place (merged: shown, counted and reviewed once). */
  foundBy?: DetectionEngine[];
  /** Another engine read something else at this place: a person should look. */
  disagrees?: boolean;
  /** The batch's review rules on this code (shared/rules): absent when the batch has none or it is not a code. */
  rule?: RuleVerdict;
}

/** ZXing-C++ format names, the canonical symbology names of the product. */
export const SYMBOLOGIES = [
  'Aztec',
  'Codabar',
  'Code39',
  'Code93',
  'Code128',
  'DataBar',
  'DataBarExpanded',
  'DataBarLimited',
  'DataMatrix',
  'DXFilmEdge',
  'EAN-8',
  'EAN-13',
  'ITF',
  'MaxiCode',
  'MicroPDF417',
  'MicroQRCode',
  'PDF417',
  'QRCode',
  'rMQRCode',
  'Telepen',
  'UPC-A',
  'UPC-E',
] as const;
