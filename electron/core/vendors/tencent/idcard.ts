import { maskPersonalValue } from '../../../../shared/personal-data';
import type { Detection } from '../../../../shared/detection';
import { NO_GEOMETRY } from '../../../../shared/geometry';
import { ID_CARD_WARNINGS, REFLECT_POSITIONS, type CropKind, type IdCardFacts } from '../../../../shared/idcard';
import type { ResultImage } from '../../engines/engine';
import type { TencentOptions } from './options';

/** IDCardOCR WarnInfos codes (seed 004, AdvancedInfo), in English and Chinese: shared/idcard.ts. */
export { ID_CARD_WARNINGS };

export interface IdCardWarning {
  code: number;
  en: string;
  zh: string;
}

export function decodeWarning(code: number): IdCardWarning {
  const label = ID_CARD_WARNINGS[code] ?? { en: `Unknown warning ${code}`, zh: `未知告警 ${code}` };
  return { code, ...label };
}

const FRONT_FIELDS = ['Name', 'Sex', 'Nation', 'Birth', 'Address', 'IdNum'] as const;
const BACK_FIELDS = ['Authority', 'ValidDate'] as const;

/** The request body for one image, from validated options. */
export function idCardRequest(imageBase64: string, options: TencentOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { ImageBase64: imageBase64 };
  if (options.cardSide !== 'auto') body.CardSide = options.cardSide;
  const flags = Object.fromEntries(Object.entries(options.config).filter(([, v]) => v !== undefined));
  // Config is a JSON *string* (seed 004: Config = Json.stringify({...})).
  if (Object.keys(flags).length > 0) body.Config = JSON.stringify(flags);
  if (options.enableRecognitionRectify !== undefined) body.EnableRecognitionRectify = options.enableRecognitionRectify;
  if (options.enableReflectDetail !== undefined) body.EnableReflectDetail = options.enableReflectDetail;
  if (options.cardWarnType !== undefined) body.CardWarnType = options.cardWarnType;
  return body;
}

export interface AdvancedInfo {
  warnings: IdCardWarning[];
  quality?: number;
  borderCodeValue?: number;
  /** The cropped card (CropIdCard) and portrait (CropPortrait), decoded from base64. */
  crops: ResultImage[];
  hasCardCrop: boolean;
  hasPortraitCrop: boolean;
}

/** A crop's bytes and format (JPEG, PNG or BMP by their signature); null when it is none of them. */
function cropImage(kind: CropKind, b64: unknown): ResultImage | null {
  if (typeof b64 !== 'string' || b64.length === 0) return null;
  const data = Buffer.from(b64, 'base64');
  const format = data[0] === 0xff && data[1] === 0xd8 ? 'jpeg' : data[0] === 0x89 && data[1] === 0x50 ? 'png' : data[0] === 0x42 && data[1] === 0x4d ? 'bmp' : null;
  return format ? { kind, format, data } : null;
}

/** AdvancedInfo is a JSON string inside the JSON response; tolerate absence and garbage. */
export function parseAdvancedInfo(raw: unknown): AdvancedInfo {
  const out: AdvancedInfo = { warnings: [], crops: [], hasCardCrop: false, hasPortraitCrop: false };
  if (typeof raw !== 'string' || raw.trim() === '') return out;
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return out;
  }
  if (!info || typeof info !== 'object') return out;
  const warn = Array.isArray(info.WarnInfos) ? info.WarnInfos : [];
  for (const w of warn) {
    const code = typeof w === 'number' ? w : Number((w as { Code?: unknown })?.Code ?? w);
    if (Number.isFinite(code)) out.warnings.push(decodeWarning(code));
  }
  if (typeof info.Quality === 'number') out.quality = info.Quality;
  if (typeof info.BorderCodeValue === 'number') out.borderCodeValue = info.BorderCodeValue;
  for (const [kind, key] of [
    ['idcard', 'IdCard'],
    ['portrait', 'Portrait'],
  ] as const) {
    const img = cropImage(kind, info[key]);
    if (img) out.crops.push(img);
  }
  out.hasCardCrop = out.crops.some((c) => c.kind === 'idcard');
  out.hasPortraitCrop = out.crops.some((c) => c.kind === 'portrait');
  return out;
}

/** ReflectDetailInfos: [{Position}] where glare covers the card (EnableReflectDetail). Unknown positions are kept as given. */
export function parseReflections(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const r of raw) {
    const p = (r as { Position?: unknown } | null)?.Position;
    if (typeof p === 'string' && p !== '' && !out.includes(p)) out.push(p);
  }
  // Known positions first, in the documented order.
  return out.sort((a, b) => rank(a) - rank(b));
}

function rank(p: string): number {
  const i = (REFLECT_POSITIONS as readonly string[]).indexOf(p);
  return i < 0 ? REFLECT_POSITIONS.length : i;
}

/**
 * One 'field' detection per non-empty field, and the crops. IDCardOCR gives no positions
 * (geometry 'none'). Card-level facts (side, decoded warnings, quality, glare, which crops
 * exist) ride on every field so any row shows them; the crop images themselves are kept with
 * the result (personal data: shown only on request, deleted with the batch), not in detections.
 */
export function idCardResponseToResult(response: Record<string, unknown>): { detections: Detection[]; images: ResultImage[] } {
  const advanced = parseAdvancedInfo(response.AdvancedInfo);
  const has = (f: string): boolean => typeof response[f] === 'string' && (response[f] as string).length > 0;
  const side = FRONT_FIELDS.some(has) ? (BACK_FIELDS.some(has) ? 'BOTH' : 'FRONT') : 'BACK';
  const card: IdCardFacts = { side, warnings: advanced.warnings };
  if (advanced.quality !== undefined) card.quality = advanced.quality;
  if (advanced.borderCodeValue !== undefined) card.borderCodeValue = advanced.borderCodeValue;
  const reflections = parseReflections(response.ReflectDetailInfos);
  if (reflections.length > 0) card.reflections = reflections;
  if (advanced.crops.length > 0) {
    card.crops = advanced.crops.map((c) => c.kind);
    card.cropFormats = Object.fromEntries(advanced.crops.map((c) => [c.kind, c.format]));
  }
  const detections: Detection[] = [];
  for (const field of [...FRONT_FIELDS, ...BACK_FIELDS]) {
    if (!has(field)) continue;
    detections.push({
      kind: 'field',
      symbology: 'IDCard',
      text: response[field] as string,
      field,
      geometry: NO_GEOMETRY,
      engine: 'tencent',
      extra: field === 'IdNum' ? { card, personalData: true } : { card },
    });
  }
  return { detections, images: advanced.crops };
}

/** The detections alone (see idCardResponseToResult). */
export function idCardResponseToDetections(response: Record<string, unknown>): Detection[] {
  return idCardResponseToResult(response).detections;
}

/** For lists and logs: "440***********0014" (shared/personal-data.ts: the one masking rule). */
export const maskIdNumber = maskPersonalValue;
