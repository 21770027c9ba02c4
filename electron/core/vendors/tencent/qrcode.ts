import type { Detection } from '../../../../shared/detection';
import { NO_GEOMETRY, scaleGeometry, type Geometry } from '../../../../shared/geometry';
import { symbologyFromTypeName } from './symbology';

interface TcPoint {
  X: number;
  Y: number;
}
interface CodeResult {
  TypeName?: string;
  Url?: string;
  Position?: { LeftTop?: TcPoint; RightTop?: TcPoint; RightBottom?: TcPoint; LeftBottom?: TcPoint };
}

/**
 * Tencent's corners, divided by the scale of the copy we sent, give page pixels. 1-D barcodes
 * come back with every corner at (-1,-1): found, but no position.
 */
function toGeometry(pos: CodeResult['Position'], scale: number): Geometry {
  const corners = [pos?.LeftTop, pos?.RightTop, pos?.RightBottom, pos?.LeftBottom];
  if (corners.some((c) => !c || !Number.isFinite(c.X) || !Number.isFinite(c.Y))) return NO_GEOMETRY;
  const pts = corners as TcPoint[];
  if (pts.every((c) => c.X < 0 && c.Y < 0)) return NO_GEOMETRY;
  return scaleGeometry({ kind: 'quad', points: pts.map((c) => ({ x: c.X, y: c.Y })) }, 1 / scale);
}

/**
 * The scale from page pixels to the pixels Tencent's corners are in. Normally the copy we sent
 * (`prepared.scale`); ImgSize says which image the service actually measured, and when it
 * decoded a resized copy (as WeChat's img_size can show too) the corners follow that copy.
 * An ImgSize whose shape differs from what we sent cannot be mapped with one factor: the
 * caller says so once.
 */
export function tencentScale(response: Record<string, unknown>, sent: { width: number; height: number; scale: number }): { scale: number; mismatch: string | null } {
  const size = response.ImgSize as { Wide?: unknown; High?: unknown } | undefined;
  const wide = Number(size?.Wide);
  const high = Number(size?.High);
  if (!(wide > 0 && high > 0) || sent.width <= 0 || sent.height <= 0) return { scale: sent.scale, mismatch: null };
  const fx = wide / sent.width;
  const fy = high / sent.height;
  const mismatch = Math.abs(fx - fy) > 0.02 * Math.max(fx, fy) ? `Tencent Cloud OCR measured a ${wide}x${high} image for a ${sent.width}x${sent.height} page sent: code outlines may be off.` : null;
  return { scale: sent.scale * fx, mismatch };
}

export function qrcodeResponseToDetections(response: Record<string, unknown>, scale: number): Detection[] {
  const results = Array.isArray(response.CodeResults) ? (response.CodeResults as CodeResult[]) : [];
  return results.map((r) => {
    const typeName = String(r.TypeName ?? '');
    const symbology = symbologyFromTypeName(typeName);
    return {
      kind: 'code',
      symbology: symbology ?? typeName,
      text: String(r.Url ?? ''),
      geometry: toGeometry(r.Position, scale),
      engine: 'tencent',
      extra: symbology ? { vendorType: typeName } : { vendorType: typeName, unknownSymbology: true },
    } satisfies Detection;
  });
}
