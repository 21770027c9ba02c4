import type { ReadResult } from 'zxing-wasm/reader';
import type { ZBarSymbol } from '@undecaf/zbar-wasm';
import type { Detection } from '../../../../shared/detection';
import type { Point } from '../../../../shared/geometry';
import { toPage, type VariantTransform } from './geometry-map';
import { symbologyFromZBar, symbologyFromZXing } from './symbology';
import { expandUpcE } from './upc';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text plus, when the text does not carry the exact bytes, the bytes themselves. */
function payload(text: string, bytes: Uint8Array, binary: boolean): Pick<Detection, 'text' | 'bytesBase64'> {
  let asUtf8: string | null;
  try {
    asUtf8 = utf8.decode(bytes);
  } catch {
    asUtf8 = null;
  }
  if (asUtf8 !== null && (asUtf8 === text || !binary)) return { text };
  const bytesBase64 = Buffer.from(bytes).toString('base64');
  // Binary content: a lossless latin-1 reading; text in a legacy charset: ZXing's Unicode text.
  return { text: binary ? Buffer.from(bytes).toString('latin1') : text, bytesBase64 };
}

function quad(points: Point[], t: VariantTransform): Detection['geometry'] {
  return { kind: 'quad', points: points.map((p) => round(toPage(t, p))) };
}

function round(p: Point): Point {
  return { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
}

function parseExtra(json: string): Record<string, unknown> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function fromZXing(r: ReadResult, t: VariantTransform, pass: string): Detection {
  const x = parseExtra(r.extra);
  const extra: Record<string, unknown> = {
    decoder: 'zxing',
    format: r.format,
    symbologyIdentifier: r.symbologyIdentifier,
    contentType: r.contentType,
    isMirrored: r.isMirrored,
    isInverted: r.isInverted,
    rotation: r.rotation,
    pass,
  };
  if (r.ecLevel) extra.ecLevel = r.ecLevel;
  if (typeof x.Version === 'string' || typeof x.Version === 'number') extra.version = x.Version;
  // ZXing can report an add-on it did not accept (symbology identifier ]E0, text without it).
  if (typeof x.EanAddOn === 'string' && x.EanAddOn && r.text.endsWith(x.EanAddOn)) extra.eanAddOn = x.EanAddOn;
  if (typeof x.UPCE === 'string') extra.upce = x.UPCE;
  if (x.ReaderInit) extra.readerInit = true;
  if (r.sequenceSize >= 0) {
    extra.sequenceSize = r.sequenceSize;
    extra.sequenceIndex = r.sequenceIndex;
    extra.sequenceId = r.sequenceId;
  }
  const p = r.position;
  return {
    kind: 'code',
    symbology: symbologyFromZXing(r.format),
    // Binary content, or ECIs ZXing cannot transcode (it then gives no text at all).
    ...payload(r.text, r.bytes, r.contentType === 'Binary' || r.contentType === 'UnknownECI' || (r.text === '' && r.bytes.length > 0)),
    geometry: quad([p.topLeft, p.topRight, p.bottomRight, p.bottomLeft], t),
    engine: 'local',
    extra,
  };
}

/** ZBar gives the scan-line hits, not corners: their box, ordered from the code's own top-left. */
export function fromZBar(s: ZBarSymbol, t: VariantTransform, pass: string): Detection | null {
  const symbology = symbologyFromZBar(s.typeName);
  if (!symbology || s.points.length === 0) return null;
  const raw = s.decode('utf-8');
  const extra: Record<string, unknown> = { decoder: 'zbar', format: s.typeName, quality: s.quality, pass };
  let text = raw;
  if (symbology === 'UPC-E') {
    const expanded = expandUpcE(raw);
    if (!expanded) return null;
    text = `0${expanded}`;
    extra.upce = raw;
  }
  const xs = s.points.map((p) => p.x);
  const ys = s.points.map((p) => p.y);
  const l = Math.min(...xs);
  const r = Math.max(...xs);
  const tp = Math.min(...ys);
  const b = Math.max(...ys);
  const tl = { x: l, y: tp };
  const tr = { x: r, y: tp };
  const br = { x: r, y: b };
  const bl = { x: l, y: b };
  // ZBar orientation: 0 upright, 1 read top to bottom, 2 upside down, 3 read bottom to top.
  const corners = [
    [tl, tr, br, bl],
    [tr, br, bl, tl],
    [br, bl, tl, tr],
    [bl, tl, tr, br],
  ][s.orientation >= 0 && s.orientation <= 3 ? s.orientation : 0]!;
  return { kind: 'code', symbology, text, geometry: quad(corners, t), engine: 'local', extra };
}
