import type { Point } from '../../../../shared/geometry';

/**
 * How pixels of a decoding variant (a padded, rotated, then resized copy of the page) map back
 * to the oriented page. Every variant carries one, so every reported corner lands on the page a
 * person sees: undo the resize, undo the rotation about the canvas centre, remove the pad, add
 * the offset of the region it was cut from.
 */
export interface VariantTransform {
  /** variant pixels per page pixel, horizontally and vertically (applied after rotation). */
  sx: number;
  sy: number;
  /** Clockwise rotation applied to the padded page, in degrees (sharp's convention). */
  angle: number;
  /** White border added around the page first (a quiet zone for codes printed edge to edge). */
  pad: number;
  /** Where the variant's source region starts on the page, when it was cut from it (else 0). */
  offsetX: number;
  offsetY: number;
  /** Size of the padded page (or region), and of the variant (a rotation grows the canvas). */
  pageWidth: number;
  pageHeight: number;
  width: number;
  height: number;
}

export function identityTransform(width: number, height: number): VariantTransform {
  return { sx: 1, sy: 1, angle: 0, pad: 0, offsetX: 0, offsetY: 0, pageWidth: width, pageHeight: height, width, height };
}

export function toPage(t: VariantTransform, p: Point): Point {
  const x = p.x / t.sx;
  const y = p.y / t.sy;
  if (t.angle === 0) return { x: x - t.pad + t.offsetX, y: y - t.pad + t.offsetY };
  const rad = (-t.angle * Math.PI) / 180;
  const dx = x - t.width / t.sx / 2;
  const dy = y - t.height / t.sy / 2;
  const rx = dx * Math.cos(rad) - dy * Math.sin(rad);
  const ry = dx * Math.sin(rad) + dy * Math.cos(rad);
  return { x: rx + t.pageWidth / 2 - t.pad + t.offsetX, y: ry + t.pageHeight / 2 - t.pad + t.offsetY };
}
