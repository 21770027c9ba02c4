import type { Detection } from '../../../../shared/detection';
import { NO_GEOMETRY } from '../../../../shared/geometry';
import type { TencentOptions } from './options';

/** IDCardOCR WarnInfos codes (seed 004, AdvancedInfo), in English and Chinese. */
export const ID_CARD_WARNINGS: Record<number, { en: string; zh: string }> = {
  [-9101]: { en: 'Card border incomplete', zh: '身份证边框不完整告警' },
  [-9102]: { en: 'Photocopy (colour or black-and-white)', zh: '身份证复印件告警' },
  [-9108]: { en: 'Black-and-white photocopy', zh: '身份证复印件告警（仅黑白复印件）' },
  [-9103]: { en: 'Re-shot (photo of a screen or print)', zh: '身份证翻拍告警' },
  [-9105]: { en: 'Something covers part of the card', zh: '身份证框内遮挡告警' },
  [-9104]: { en: 'Temporary ID card', zh: '临时身份证告警' },
  [-9106]: { en: 'Possibly edited (signs of image manipulation)', zh: '身份证疑似存在PS痕迹告警' },
  [-9107]: { en: 'Glare on the card', zh: '身份证反光告警' },
};

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
  hasCardCrop: boolean;
  hasPortraitCrop: boolean;
}

/** AdvancedInfo is a JSON string inside the JSON response; tolerate absence and garbage. */
export function parseAdvancedInfo(raw: unknown): AdvancedInfo {
  const out: AdvancedInfo = { warnings: [], hasCardCrop: false, hasPortraitCrop: false };
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
  out.hasCardCrop = typeof info.IdCard === 'string' && info.IdCard.length > 0;
  out.hasPortraitCrop = typeof info.Portrait === 'string' && info.Portrait.length > 0;
  return out;
}

/**
 * One 'field' detection per non-empty field. IDCardOCR gives no positions (geometry 'none').
 * Card-level facts (side, decoded warnings, quality) ride on every field so any row shows them;
 * the cropped images are not kept (personal data, and large).
 */
export function idCardResponseToDetections(response: Record<string, unknown>): Detection[] {
  const advanced = parseAdvancedInfo(response.AdvancedInfo);
  const has = (f: string): boolean => typeof response[f] === 'string' && (response[f] as string).length > 0;
  const side = FRONT_FIELDS.some(has) ? (BACK_FIELDS.some(has) ? 'BOTH' : 'FRONT') : 'BACK';
  const card: Record<string, unknown> = { side, warnings: advanced.warnings };
  if (advanced.quality !== undefined) card.quality = advanced.quality;
  if (advanced.borderCodeValue !== undefined) card.borderCodeValue = advanced.borderCodeValue;
  if (advanced.hasCardCrop) card.cardCropReturned = true;
  if (advanced.hasPortraitCrop) card.portraitCropReturned = true;
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
  return detections;
}

/**
 * For lists and logs: "440***********0014". Keeps the first 3 and last 4 characters (enough to
 * tell two cards apart at a glance), hides the region and birth date in between.
 */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 4) return '*'.repeat(s.length);
  if (s.length <= 8) return '*'.repeat(s.length - 2) + s.slice(-2);
  return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
}
