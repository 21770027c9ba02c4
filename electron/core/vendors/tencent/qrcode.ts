import type { Detection } from '../../../../shared/detection';
import { NO_GEOMETRY, type Geometry } from '../../../../shared/geometry';
import { toPageGeometry } from '../../imaging/prepare';
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
  return toPageGeometry({ kind: 'quad', points: pts.map((c) => ({ x: c.X, y: c.Y })) }, { scale });
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
