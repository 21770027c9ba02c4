/**
 * Tencent IDCardOCR's outputs as both sides know them (seed 004 and the current IDCardOCR page):
 * the Config flags a batch may ask for, the regions it answers in, the warning codes of
 * AdvancedInfo.WarnInfos and the glare positions of ReflectDetailInfos. The engine sends and
 * parses them; the new-batch dialog offers them; the review view names them.
 */

/** IDCardOCR Config flags: all booleans, default false on the service side. */
export const ID_CARD_CONFIG_FLAGS = [
  'CropIdCard',
  'CropPortrait',
  'CopyWarn',
  'BorderCheckWarn',
  'ReshootWarn',
  'DetectPsWarn',
  'TempIdWarn',
  'InvalidDateWarn',
  'Quality',
  'MultiCardDetect',
  'ReflectWarn',
] as const;
export type IdCardConfigFlag = (typeof ID_CARD_CONFIG_FLAGS)[number];

/**
 * Regions Tencent Cloud OCR answers in (its "Request Structure" page). QrcodeOCR is limited to
 * ap-beijing and ap-guangzhou; IDCardOCR is not.
 */
export const OCR_REGIONS = [
  'ap-guangzhou',
  'ap-beijing',
  'ap-shanghai',
  'ap-nanjing',
  'ap-chengdu',
  'ap-chongqing',
  'ap-hongkong',
  'ap-singapore',
  'ap-seoul',
  'ap-tokyo',
  'ap-bangkok',
  'ap-jakarta',
  'ap-mumbai',
  'eu-frankfurt',
  'na-siliconvalley',
  'na-ashburn',
  'na-toronto',
  'sa-saopaulo',
] as const;

/** Any region id of Tencent's form (ap-guangzhou, na-toronto, ap-shanghai-fsi...). */
export const REGION_ID = /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/;

/** AdvancedInfo.WarnInfos codes, in English and Chinese (the service's own wording). */
export const ID_CARD_WARNINGS: Readonly<Record<number, { en: string; zh: string }>> = {
  [-9101]: { en: 'Card border incomplete', zh: '身份证边框不完整告警' },
  [-9102]: { en: 'Photocopy (colour or black-and-white)', zh: '身份证复印件告警' },
  [-9108]: { en: 'Black-and-white photocopy', zh: '身份证复印件告警（仅黑白复印件）' },
  [-9103]: { en: 'Re-shot (photo of a screen or print)', zh: '身份证翻拍告警' },
  [-9105]: { en: 'Something covers part of the card', zh: '身份证框内遮挡告警' },
  [-9104]: { en: 'Temporary ID card', zh: '临时身份证告警' },
  [-9106]: { en: 'Possibly edited (signs of image manipulation)', zh: '身份证疑似存在PS痕迹告警' },
  [-9107]: { en: 'Glare on the card', zh: '身份证反光告警' },
  [-9109]: { en: 'Validity date not valid', zh: '身份证有效日期不合法告警' },
  [-9110]: { en: 'Electronic ID card (a picture of one)', zh: '电子身份证告警' },
  [-9111]: { en: 'Watermark on the image', zh: '身份证水印告警' },
};

/** ReflectDetailInfos[].Position: where a glare spot covers the card. */
export const REFLECT_POSITIONS = ['Portrait', 'NationalEmblem', 'RecognitionField', 'Others'] as const;
export type ReflectPosition = (typeof REFLECT_POSITIONS)[number];

/** The cropped images IDCardOCR returns (CropIdCard, CropPortrait), kept with the result. */
export const CROP_KINDS = ['idcard', 'portrait'] as const;
export type CropKind = (typeof CROP_KINDS)[number];

/** What the engine keeps of a card (on every field detection's `extra.card`). */
export interface IdCardFacts {
  side: 'FRONT' | 'BACK' | 'BOTH';
  warnings: Array<{ code: number; en: string; zh: string }>;
  quality?: number;
  borderCodeValue?: number;
  /** Glare spots (ReflectDetailInfos), when EnableReflectDetail was on. */
  reflections?: string[];
  /** Which crops the service returned (kept with the result, shown on request). */
  crops?: CropKind[];
  /** Each crop's image format (JPEG unless said otherwise: results stored before this was kept). */
  cropFormats?: Partial<Record<CropKind, CropFormat>>;
}

export type CropFormat = 'jpeg' | 'png' | 'bmp';

const CROP_SUFFIX: Record<CropKind, string> = { idcard: 'card', portrait: 'portrait' };
const CROP_EXT: Record<CropFormat, string> = { jpeg: 'jpg', png: 'png', bmp: 'bmp' };

/**
 * The file name a crop is written under beside an export (`scandesk scan --crops-out`), and
 * named by the export's rows: `<item id>-<page file's name>-p<page>-card.jpg`. The item id keeps
 * two pages of the same file name (from different folders) apart.
 */
export function cropFileName(page: { itemId?: number; path: string; page: number }, kind: CropKind, format: CropFormat = 'jpeg'): string {
  const base = page.path.split(/[\\/]/).pop() ?? 'page';
  const stem = base.replace(/\.[^.]*$/, '') || base;
  const id = page.itemId === undefined ? '' : `${page.itemId}-`;
  return `${id}${stem}-p${page.page}-${CROP_SUFFIX[kind]}.${CROP_EXT[format]}`;
}

/** The card facts kept on a detection (`extra.card`), when it is an ID-card field. */
export function cardFacts(d: { extra?: Record<string, unknown> | null }): IdCardFacts | null {
  const c = d.extra?.card;
  return c && typeof c === 'object' && Array.isArray((c as IdCardFacts).warnings) ? (c as IdCardFacts) : null;
}

/**
 * IDCardOCR's field keys as a person reads them (the card's own printed Chinese labels, and
 * English). Review and the JSON export show these; CSV/XLSX keep the key in their `field`
 * column (a stable value to filter on) beside it.
 */
export const ID_CARD_FIELD_LABELS: Readonly<Record<string, { en: string; zh: string }>> = {
  Name: { en: 'Name', zh: '姓名' },
  Sex: { en: 'Sex', zh: '性别' },
  Nation: { en: 'Ethnicity', zh: '民族' },
  Birth: { en: 'Date of birth', zh: '出生' },
  Address: { en: 'Address', zh: '住址' },
  IdNum: { en: 'ID number', zh: '公民身份号码' },
  Authority: { en: 'Issuing authority', zh: '签发机关' },
  ValidDate: { en: 'Valid period', zh: '有效期限' },
};

/** A field's label in `lang`; an unknown key (a newer Tencent field) as it came. */
export function idCardFieldLabel(field: string, lang: 'en' | 'zh'): string {
  const known = Object.hasOwn(ID_CARD_FIELD_LABELS, field) ? ID_CARD_FIELD_LABELS[field] : undefined;
  return known ? known[lang] : field;
}
