import type { Point } from '../../../../shared/geometry';

/**
 * How pixels of a decoding variant (a scaled, rotated or cropped copy of the page) map back to
 * the oriented page: page = rotate(variant - variantCenter, -angle) / scale + pageCenter - pad.
 * Every variant carries one, so every reported corner lands on the page a person sees.
 */
export interface VariantTransform {
  /** variant pixels per page pixel (before rotation). */
  scale: number;
  /** Clockwise rotation applied to the page, in degrees (sharp's convention). */
  angle: number;
  /** White border added around the page first (a quiet zone for codes printed edge to edge). */
  pad: number;
  /** Size of the (padded) page, and of the variant canvas (a rotation grows the canvas). */
  pageWidth: number;
  pageHeight: number;
  width: number;
  height: number;
}

export function identityTransform(width: number, height: number): VariantTransform {
  return { scale: 1, angle: 0, pad: 0, pageWidth: width, pageHeight: height, width, height };
}

export function toPage(t: VariantTransform, p: Point): Point {
  if (t.angle === 0) return { x: p.x / t.scale - t.pad, y: p.y / t.scale - t.pad };
  const rad = (-t.angle * Math.PI) / 180;
  const dx = p.x - t.width / 2;
  const dy = p.y - t.height / 2;
  const rx = dx * Math.cos(rad) - dy * Math.sin(rad);
  const ry = dx * Math.sin(rad) + dy * Math.cos(rad);
  return { x: rx / t.scale + t.pageWidth / 2 - t.pad, y: ry / t.scale + t.pageHeight / 2 - t.pad };
}
