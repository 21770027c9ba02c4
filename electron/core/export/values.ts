import type { Geometry } from '../../../shared/geometry';
import { isPersonalData as isPersonal, maskPersonalValue } from '../../../shared/personal-data';
import { cardFacts, cropFileName } from '../../../shared/idcard';
import type { ExportDetection, ExportItem, ExportOptions } from './types';

/**
 * Pure helpers shared by the three writers: which detections a page exports, which value a
 * row shows, and how a position reads in a table.
 */

/** The value a person should see: the reviewer's correction when there is one. */
export function effectiveText(d: ExportDetection): string {
  return d.correctedText ?? d.text;
}

/**
 * With `acceptedOnly`, only what a reviewer accepted; the page itself is always listed.
 * Personal data comes out masked unless `revealPersonalData` (see shownDetection).
 */
export function exportedDetections(item: ExportItem, options: ExportOptions | undefined): ExportDetection[] {
  const chosen = options?.acceptedOnly ? item.detections.filter((d) => d.review === 'accepted') : item.detections;
  return chosen.map((d) => shownDetection(d, options));
}

export const NO_POSITION = 'no position from this engine';

/** Eight numbers x1,y1..x4,y4 (TL, TR, BR, BL), or null when the engine gave no position. */
export function cornerNumbers(g: Geometry): number[] | null {
  if (g.kind === 'none' || g.points.length < 4) return null;
  return g.points.slice(0, 4).flatMap((p) => [round1(p.x), round1(p.y)]);
}

/** Pixel positions come from resized copies scaled back up: one decimal is plenty. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** http(s) values become clickable links; anything else (javascript:, file:, ...) never does. */
export function httpUrl(value: string): string | null {
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * XML 1.0 cannot hold most C0 control characters, and exceljs silently deletes them, which
 * would turn a GS1 DataMatrix payload (GS separators) into a different value. Show them as
 * their Unicode "control pictures" (GS -> U+241D) so the cell stays readable and the
 * separators stay visible. Line ends become LF, as every XML reader (Excel included) would
 * make them anyway. The exact text is in the JSON and CSV exports.
 */
export function xmlSafe(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
  );
}

/** Excel refuses cells longer than this. */
export const EXCEL_MAX_CELL = 32_767;

export function fitCell(text: string): string {
  return text.length <= EXCEL_MAX_CELL ? text : `${text.slice(0, EXCEL_MAX_CELL - 1)}…`;
}

/** Personal data (an ID-card number): the rule of shared/personal-data.ts, as on the review screen. */
export function isPersonalData(d: ExportDetection): boolean {
  return isPersonal(d);
}

/** Whether this detection's value is written masked in this export. */
export function masksValue(d: ExportDetection, options: ExportOptions | undefined): boolean {
  return !options?.revealPersonalData && isPersonalData(d);
}

/**
 * The detection as an export shows it: personal data masked (value, decoded text and
 * correction, raw bytes dropped) unless the caller asked to reveal it.
 */
export function shownDetection(d: ExportDetection, options: ExportOptions | undefined): ExportDetection {
  if (!masksValue(d, options)) return d;
  const { bytesBase64: _bytes, ...rest } = d;
  return {
    ...rest,
    text: maskPersonalValue(d.text),
    correctedText: d.correctedText === null ? null : maskPersonalValue(d.correctedText),
  };
}

/**
 * Tencent QueryBarCode product data kept on an EAN/UPC detection (`extra.product`, one
 * ProductDataRecords entry): "name (brand)" for a table cell, '' when there is none.
 */
export function productLabel(d: ExportDetection): string {
  const p = d.extra?.product;
  if (!p || typeof p !== 'object') return '';
  const rec = p as Record<string, unknown>;
  const str = (k: string): string => (typeof rec[k] === 'string' ? (rec[k] as string).trim() : '');
  const name = str('ProductName') || str('EnName');
  const brand = str('BrandName');
  if (name && brand) return `${name} (${brand})`;
  return name || brand;
}

/**
 * IDCardOCR's warnings on the card a field belongs to, for a table cell:
 * "Photocopy (colour or black-and-white) [-9102]; Glare on the card [-9107]" ('' when none).
 */
export function idCardWarningsLabel(d: ExportDetection): string {
  return (cardFacts(d)?.warnings ?? []).map((w) => `${w.en} [${w.code}]`).join('; ');
}

/** The file names of the card's crops (shared/idcard cropFileName), as `--crops-out` writes them. */
export function idCardCropFiles(item: ExportItem, d: ExportDetection): string[] {
  const card = cardFacts(d);
  return (card?.crops ?? []).map((k) => cropFileName(item, k, card?.cropFormats?.[k]));
}
