import type { Detection } from '../../../../shared/detection';
import { NO_GEOMETRY, type Geometry } from '../../../../shared/geometry';
import type { WxOcrResponse, WxPos, WxQrcodeResponse } from './wire';

/**
 * WeChat's type_name (ZXing Java's BarcodeFormat names such as QR_CODE, EAN_13, PDF_417)
 * → the product's symbology names (shared SYMBOLOGIES). Compared without '_'/'-' and case, so
 * "EAN-13" and "ean_13" read the same. Unknown names (e.g. WX_CODE, the mini-program code) are
 * kept as WeChat wrote them.
 */
const TYPE_TO_SYMBOLOGY: Record<string, string> = {
  QRCODE: 'QRCode',
  MICROQRCODE: 'MicroQRCode',
  DATAMATRIX: 'DataMatrix',
  PDF417: 'PDF417',
  AZTEC: 'Aztec',
  MAXICODE: 'MaxiCode',
  EAN13: 'EAN-13',
  EAN8: 'EAN-8',
  UPCA: 'UPC-A',
  UPCE: 'UPC-E',
  CODE128: 'Code128',
  CODE39: 'Code39',
  CODE93: 'Code93',
  CODABAR: 'Codabar',
  ITF: 'ITF',
  RSS14: 'DataBar',
  RSSEXPANDED: 'DataBarExpanded',
};

export function symbologyFromWeChat(typeName: string): string {
  return TYPE_TO_SYMBOLOGY[typeName.toUpperCase().replace(/[^A-Z0-9]/g, '')] ?? typeName;
}

/**
 * A quad in page pixels from WeChat's pos (in pixels of the image we sent): divide by `scale`
 * (sent = page * scale). No pos, or a degenerate one (all corners equal, negative), is 'none'.
 */
export function geometryFromPos(pos: WxPos | null | undefined, scale: number): Geometry {
  if (!pos) return NO_GEOMETRY;
  const pts = [pos.left_top, pos.right_top, pos.right_bottom, pos.left_bottom];
  if (pts.some((p) => p.x < 0 || p.y < 0)) return NO_GEOMETRY;
  if (pts.every((p) => p.x === pts[0]!.x && p.y === pts[0]!.y)) return NO_GEOMETRY;
  return { kind: 'quad', points: pts.map((p) => ({ x: p.x / scale, y: p.y / scale })) };
}

export function codesToDetections(res: WxQrcodeResponse, scale: number): Detection[] {
  return res.code_results.map((r) => ({
    kind: 'code',
    symbology: symbologyFromWeChat(r.type_name),
    text: r.data,
    geometry: geometryFromPos(r.pos, scale),
    engine: 'wechat',
    extra: { typeName: r.type_name },
  }));
}

export function textToDetections(res: WxOcrResponse, scale: number): Detection[] {
  return res.items.map((item) => ({
    kind: 'text',
    symbology: 'Text',
    text: item.text,
    geometry: geometryFromPos(item.pos, scale),
    engine: 'wechat',
  }));
}
